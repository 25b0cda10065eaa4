/**
 * DOCX → sections via mammoth's HTML output, which keeps Word's heading styles as <h1>..<h6> (and the
 * Title style, as the root of the heading path) and lists and tables as HTML structure. Images are not
 * read at all.
 *
 * The zip is opened first with our own reader: it proves the file is a Word package (50107 otherwise) and
 * refuses, from the declared sizes alone, packages whose XML would inflate to an unreasonable size, since
 * mammoth inflates parts in memory without such a check.
 */
import mammoth from 'mammoth';
import { ApiError, ErrorCode } from '../../errors';
import { MB, formatBytes } from '../limits';
import type { Section } from '../types';
import { openZip } from '../zip';

export interface DocxOptions {
  /** Cap on the declared uncompressed size of the package's non-media parts (default 256 MB). */
  maxXmlBytes?: number;
}

/** The Title style is the document's name: it goes above Heading 1 (level 0) rather than beside it. */
const STYLE_MAP = ["p[style-name='Title'] => h1.doc-title:fresh"];

export async function parseDocx(bytes: Buffer, opts: DocxOptions = {}): Promise<Section[]> {
  const maxXml = opts.maxXmlBytes ?? 256 * MB;
  const zip = await openZip(bytes, { what: 'DOCX', maxEntries: 100_000 });
  try {
    if (!zip.entries.some((e) => e.name === 'word/document.xml')) {
      throw new ApiError(ErrorCode.InvalidFileFormat, 'not a valid DOCX: the package has no word/document.xml');
    }
    const xmlBytes = zip.entries.filter((e) => !e.name.startsWith('word/media/')).reduce((n, e) => n + e.uncompressedSize, 0);
    if (xmlBytes > maxXml) {
      throw new ApiError(ErrorCode.FileTooLarge, `DOCX expands to ${formatBytes(xmlBytes)} of XML; the limit is ${formatBytes(maxXml)}`);
    }
  } finally {
    zip.close();
  }

  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap: STYLE_MAP,
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
      },
    );
    html = result.value;
  } catch (err) {
    throw new ApiError(ErrorCode.InvalidFileFormat, `not a valid DOCX: ${(err as Error).message}`);
  }
  return htmlToSections(html);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** A table becomes one line per row, cells separated by " | ". */
function tableToText(table: string): string {
  const rows = table.match(/<tr[^>]*>[\s\S]*?<\/tr>/gi) ?? [];
  const lines = rows.map((row) =>
    (row.match(/<t[dh][^>]*>[\s\S]*?<\/t[dh]>/gi) ?? [])
      .map((cell) => htmlToText(cell.replace(/^<t[dh][^>]*>|<\/t[dh]>$/gi, '')).replace(/\s*\n+\s*/g, ' '))
      .join(' | '),
  );
  return `<p>${lines.join('<br />')}</p>`;
}

/** mammoth's HTML is simple and regular (no attributes that matter, no scripts), so a tag scan is enough. */
function htmlToText(fragment: string): string {
  return decodeEntities(
    fragment
      .replace(/<table[^>]*>(?:(?!<table)[\s\S])*?<\/table>/gi, tableToText)
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<\/(p|ul|ol|table)>/gi, '\n\n')
      .replace(/<\/li>/gi, '\n')
      .replace(/<\/t[dh]>/gi, ' | ')
      .replace(/<\/tr>/gi, '\n')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+\|[ \t]*\n/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function htmlToSections(html: string): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; title: string }[] = [];
  const heading = /<h([1-6])([^>]*)>([\s\S]*?)<\/h\1>/gi;
  let last = 0;
  const emit = (fragment: string, nextLevel?: number) => {
    const text = htmlToText(fragment);
    const top = stack[stack.length - 1];
    if (text) sections.push({ headingPath: stack.map((h) => h.title), text });
    // An empty leaf heading still carries its words.
    else if (top && (nextLevel === undefined || nextLevel <= top.level)) sections.push({ headingPath: stack.map((h) => h.title), text: top.title });
  };
  for (let m = heading.exec(html); m; m = heading.exec(html)) {
    const level = /doc-title/.test(m[2]) ? 0 : Number(m[1]);
    emit(html.slice(last, m.index), level);
    last = heading.lastIndex;
    const title = htmlToText(m[3]).replace(/\s+/g, ' ');
    if (!title) continue;
    while (stack.length && stack[stack.length - 1].level >= level) stack.pop();
    stack.push({ level, title });
  }
  emit(html.slice(last));
  return sections;
}
