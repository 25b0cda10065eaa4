/**
 * XML → sections: one per child element of the root, in document order; an element that only groups other
 * groups (<library><shelf><book>...) is descended into, up to three levels. A section is labelled by the
 * element's title-like child or attribute (<title>, name=, id=) or else its tag. Inside, leaf elements
 * become "tag: text" lines, long prose elements (<para>) stand as their own paragraphs, and mixed content
 * (<p>Some <b>bold</b> text</p>) is flattened to its text.
 *
 * The validator runs first because the parser itself is lenient; external entities are never fetched by
 * fast-xml-parser, and its entity-expansion limits stay at their defaults (billion-laughs guard).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ApiError, ErrorCode } from '../../errors';
import type { Section } from '../types';

interface El {
  tag: string;
  attrs: Record<string, string>;
  kids: (El | string)[];
}

type Ordered = Record<string, unknown>[];

const TITLE_TAGS = ['title', 'name', 'heading', 'subject', 'caption', 'label'];
const MAX_DEPTH = 3;
const PROSE_CHARS = 80;

export function parseXml(text: string): Section[] {
  const source = text.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    throw new ApiError(ErrorCode.InvalidFileFormat, `not valid XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  let ordered: Ordered;
  try {
    ordered = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      trimValues: true,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      htmlEntities: true,
    }).parse(source) as Ordered;
  } catch (err) {
    throw new ApiError(ErrorCode.InvalidFileFormat, `not valid XML: ${(err as Error).message}`);
  }
  const root = toElements(ordered).find((k): k is El => typeof k !== 'string');
  if (!root) throw new ApiError(ErrorCode.InvalidFileFormat, 'not valid XML: no root element');

  const sections: Section[] = [];
  walk(root, [], 0, sections);
  return sections;
}

function toElements(nodes: Ordered): (El | string)[] {
  const out: (El | string)[] = [];
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@') continue;
      if (key === '#text') {
        const s = String(value).trim();
        if (s) out.push(s);
      } else if (!key.startsWith('?') && !key.startsWith('!')) {
        const attrs = Object.fromEntries(Object.entries((node[':@'] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
        out.push({ tag: key, attrs, kids: toElements(value as Ordered) });
      }
    }
  }
  return out;
}

const elementsOf = (el: El) => el.kids.filter((k): k is El => typeof k !== 'string');
const hasText = (el: El) => el.kids.some((k) => typeof k === 'string');
/** A group holds only elements (no text of its own): <book><title/><author/></book>. */
const isGroup = (el: El) => !hasText(el) && elementsOf(el).length > 0;

function textOf(el: El | string): string {
  if (typeof el === 'string') return el;
  return el.kids.map(textOf).filter(Boolean).join(' ');
}

function label(el: El): string {
  const titleEl = elementsOf(el).find((k) => TITLE_TAGS.includes(k.tag.toLowerCase()) && !isGroup(k));
  const title = titleEl ? textOf(titleEl) : TITLE_TAGS.map((t) => el.attrs[t]).find(Boolean);
  if (title && title.length <= 120) return title;
  const id = el.attrs.id ?? el.attrs.key;
  return id ? `${el.tag} ${id}` : el.tag;
}

function walk(el: El, path: string[], depth: number, out: Section[]): void {
  const kids = elementsOf(el);
  const descend = depth === 0 ? isGroup(el) : depth < MAX_DEPTH && kids.length > 1 && kids.every(isGroup) && isGroup(el);
  if (descend) {
    for (const kid of kids) walk(kid, [...path, label(kid)], depth + 1, out);
    return;
  }
  const text = render(el, '').trim();
  if (text) out.push({ headingPath: depth === 0 ? [label(el)] : path, text });
}

/** The element's body: attributes, then children in order. */
function render(el: El, indent: string): string {
  const lines: string[] = Object.entries(el.attrs).map(([k, v]) => `${indent}${k}: ${v}`);
  if (!isGroup(el)) {
    const own = textOf(el);
    if (own) lines.push(indent + own);
    return lines.join('\n');
  }
  for (const kid of elementsOf(el)) {
    if (isGroup(kid)) {
      lines.push('', `${indent}${label(kid)}:`, render(kid, `${indent}  `));
      continue;
    }
    const t = textOf(kid);
    const attrs = Object.entries(kid.attrs).map(([k, v]) => `${k}=${v}`).join(', ');
    const head = attrs ? `${kid.tag} (${attrs})` : kid.tag;
    if (t.length > PROSE_CHARS && !attrs) lines.push('', indent + t, '');
    else if (t || attrs) lines.push(`${indent}${head}: ${t}`.trimEnd());
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
