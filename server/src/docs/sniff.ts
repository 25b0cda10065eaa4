/**
 * File-type evidence: magic bytes, file names, MIME types and a look at the text itself.
 * source.ts decides how to weigh them; nothing here throws.
 */
import { looksBinary } from './text';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Searches the head and the tail of a zip (local headers / central directory) for an entry name. */
function zipMentions(b: Buffer, entry: string): boolean {
  const window = 256 * 1024;
  if (b.length <= 2 * window) return b.includes(entry);
  return b.subarray(0, window).includes(entry) || b.subarray(b.length - window).includes(entry);
}

/**
 * The type the leading bytes prove, when they prove one. Returns names of unsupported formats too
 * (rar, png, xlsx, ...) so the caller can say exactly what it received.
 */
export function magicType(bytes: Buffer): string | undefined {
  const b = bytes;
  // Only at the start: a text file that merely mentions "%PDF-" must not become a PDF. (A PDF with junk
  // before its header still parses when its name or media type says pdf.)
  if (/^\s*%PDF-/.test(b.subarray(0, 64).toString('latin1'))) return 'pdf';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) {
    if (zipMentions(b, 'word/document.xml') || zipMentions(b, 'word/_rels/')) return 'docx';
    if (zipMentions(b, 'xl/workbook.xml')) return 'xlsx';
    if (zipMentions(b, 'ppt/presentation.xml')) return 'pptx';
    if (b.subarray(0, 100).includes('mimetypeapplication/vnd.oasis.opendocument.text')) return 'odt';
    if (b.subarray(0, 100).includes('mimetypeapplication/epub+zip')) return 'epub';
    return 'zip';
  }
  // OLE2 compound file: Word 97-2003 keeps its text in a stream named "WordDocument".
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return b.includes(Buffer.from('WordDocument', 'utf16le')) ? 'doc' : 'ole';
  }
  if (startsWith(b, ascii('Rar!\x1a\x07'))) return 'rar';
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(b, [0x1f, 0x8b])) return 'gz';
  if (startsWith(b, [0x42, 0x5a, 0x68])) return 'bz2';
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (b.length > 262 && b.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(b, ascii('GIF8'))) return 'gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(b, ascii('{\\rtf'))) return 'rtf';
  return undefined;
}

const EXT_ALIASES: Record<string, string> = {
  markdown: 'md',
  mdown: 'md',
  mkd: 'md',
  text: 'txt',
  jpeg: 'jpg',
  htm: 'html',
};

/** "Report.PDF" → "pdf"; undefined when the name has no extension. */
export function extFromName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[\\/]/).pop() ?? '';
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(base);
  // "Q3 report v1.2" has no extension, just a version number.
  if (!m || /^\d+$/.test(m[1])) return undefined;
  const ext = m[1].toLowerCase();
  return EXT_ALIASES[ext] ?? ext;
}

const MIME_EXTS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/msword': 'doc',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'application/json': 'json',
  'text/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/vnd.rar': 'rar',
  'application/x-rar-compressed': 'rar',
  'application/x-7z-compressed': '7z',
  'text/html': 'html',
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/**
 * Extension for a MIME type ("text/markdown; charset=utf-8" → "md"). Generic types such as
 * application/octet-stream say nothing and give undefined; so do unknown ones, leaving the decision to
 * weaker evidence rather than refusing a file over a server's odd Content-Type.
 */
export function extFromMime(mime: string | undefined): string | undefined {
  if (!mime) return undefined;
  const type = mime.split(';')[0].trim().toLowerCase();
  if (MIME_EXTS[type]) return MIME_EXTS[type];
  if (type.endsWith('+json')) return 'json';
  if (type.endsWith('+xml')) return 'xml';
  return undefined;
}

/** For content that carries no other evidence: JSON, XML, Markdown or plain text; 'bin' for binary data. */
export function sniffText(bytes: Buffer): 'json' | 'xml' | 'md' | 'txt' | 'bin' {
  if (bytes.length === 0) return 'txt';
  if (looksBinary(bytes)) return 'bin';
  const head = bytes.subarray(0, 64 * 1024).toString('utf8').replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (/^[[{]/.test(trimmed)) {
    const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('utf8').trimEnd();
    // Large files are judged by their brackets alone; parsing 100 MB just to sniff is not worth it.
    if (bytes.length > 5 * 1024 * 1024) {
      if (/[\]}]$/.test(tail)) return 'json';
    } else {
      try {
        JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
        return 'json';
      } catch {
        // not JSON after all
      }
    }
  }
  if (/^<\?xml[\s?]/i.test(trimmed) || (/^<[A-Za-z_][\w.:-]*[\s>/]/.test(trimmed) && !/^<(!doctype\s+)?html/i.test(trimmed))) {
    return 'xml';
  }
  const markdownSignals = [
    /^---\r?\n[\s\S]*?\r?\n---\r?\n/, // front matter
    /^#{1,6}\s+\S/m, // ATX heading
    /^```/m, // fenced code
    /^\s*[-*+]\s+\S/m, // bullet list
    /\[[^\]\n]+\]\([^)\s]+\)/, // link
    /^\S.*\r?\n(=+|-+)\s*$/m, // setext heading
  ];
  if (markdownSignals.some((re) => re.test(head))) return 'md';
  return 'txt';
}
