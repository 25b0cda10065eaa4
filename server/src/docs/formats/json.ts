/**
 * JSON → sections: one per top-level key or array item. A value that is a list of records
 * ({"faq": [{...}, {...}]}) is descended into, so each record gets its own heading path, named by its
 * title-like field when it has one. Below that, values are rendered as indented "key: value" lines,
 * which read (and embed) better than raw JSON; records in a list are separated by blank lines so the
 * chunker can split between them.
 */
import { ApiError, ErrorCode } from '../../errors';
import type { Section } from '../types';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

const TITLE_KEYS = ['title', 'name', 'heading', 'question', 'subject', 'label'];
const ID_KEYS = ['id', 'key'];
const MAX_DEPTH = 3;

const isContainer = (v: Json): v is Container => v !== null && typeof v === 'object';
const scalar = (v: Json): string => (v === null ? 'null' : String(v));

export function parseJson(text: string): Section[] {
  let value: Json;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  } catch (err) {
    throw new ApiError(ErrorCode.InvalidFileFormat, `not valid JSON: ${(err as Error).message}`);
  }
  const sections: Section[] = [];
  walk(value, [], 0, 'item', sections);
  return sections;
}

/** "Office software" for {"title": "Office software", ...}, "item #3 (id 42)" for {"id": 42}, else "item #3". */
function recordLabel(value: Json, fallback: string): string {
  if (isContainer(value) && !Array.isArray(value)) {
    for (const key of TITLE_KEYS) {
      const v = value[key];
      if ((typeof v === 'string' || typeof v === 'number') && String(v).trim() && String(v).length <= 120) return String(v).trim();
    }
    for (const key of ID_KEYS) {
      const v = value[key];
      if (typeof v === 'string' || typeof v === 'number') return `${fallback} (${key} ${v})`;
    }
  }
  return fallback;
}

function walk(value: Json, path: string[], depth: number, listName: string, out: Section[]): void {
  if (isContainer(value) && depth < MAX_DEPTH) {
    const kids: [string, Json][] = Array.isArray(value)
      ? value.map((v, i) => [recordLabel(v, `${listName} #${i + 1}`), v])
      : Object.entries(value);
    const descend = depth === 0 || (Array.isArray(value) && kids.length > 1 && kids.every(([, v]) => isContainer(v)));
    if (descend && kids.length > 0) {
      for (const [name, v] of kids) walk(v, [...path, name], depth + 1, Array.isArray(value) ? listName : name, out);
      return;
    }
  }
  const text = render(value).trim();
  if (text) out.push({ headingPath: path, text });
}

export function render(value: Json, indent = ''): string {
  if (!isContainer(value)) return indent + scalar(value);
  if (Array.isArray(value)) {
    if (value.every((v) => !isContainer(v))) {
      const inline = value.map(scalar).join(', ');
      return inline.length <= 200 ? indent + inline : value.map((v) => `${indent}- ${scalar(v)}`).join('\n');
    }
    return value.map((v) => render(v, indent)).join('\n\n');
  }
  const lines: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (!isContainer(v)) lines.push(`${indent}${k}: ${scalar(v)}`);
    else if (Array.isArray(v) && v.every((x) => !isContainer(x)) && v.map(scalar).join(', ').length <= 200) {
      lines.push(`${indent}${k}: ${v.map(scalar).join(', ')}`);
    } else lines.push(`${indent}${k}:`, render(v, `${indent}  `));
  }
  return lines.join('\n');
}
