/**
 * Sections → chunks of about `targetChars` characters that keep their source (heading path, page).
 *
 * A chunk never spans two sections, so it never mixes topics. Inside a section the text is cut at the
 * largest boundary that makes pieces fit: paragraphs, then lines, then sentences (". ! ?" and the CJK
 * "。！？；…", which need no following space), then clauses (", ; :" and "，；：、"), then spaces, and only
 * as a last resort at a character count. Small neighbouring pieces are packed back together up to the
 * target. A single sentence up to `maxChars` is kept whole rather than cut.
 */
import { LIMITS } from './limits';
import type { Chunk, Section } from './types';

export interface ChunkOptions {
  /** Size to pack chunks up to, in characters (default 800). */
  targetChars?: number;
  /** Longest chunk allowed when that avoids cutting a sentence (default 1.25 × target). */
  maxChars?: number;
}

const BOUNDARIES: RegExp[] = [
  /\n[ \t]*\n\s*/g, // paragraphs
  /\n/g, // lines
  /[.!?]+["'”’)\]]*\s+|[。！？；…]+["'”’」』）)\]]*\s*/g, // sentences
  /[,;:]\s+|[，；：、]\s*/g, // clauses
  /\s+/g, // words
];
const LINE_LEVEL = 1;
const SENTENCE_LEVEL = 2;

/**
 * Hard-wrapped prose (a text file folded at 72 columns) breaks lines mid-sentence; cutting it at lines
 * would cut sentences, so such a paragraph goes straight to sentence boundaries. A break is "soft" when
 * the line before it does not end a sentence and the line after it does not start a list item or row.
 */
function isWrappedProse(text: string): boolean {
  const lines = text.split('\n');
  if (lines.length < 2) return false;
  let soft = 0;
  for (let i = 0; i < lines.length - 1; i++) {
    const ends = /[.!?:;。！？；：…"”')\]]\s*$/.test(lines[i]);
    const starts = /^\s*([-*+>|#]|\d+[.)]\s)/.test(lines[i + 1]);
    if (!ends && !starts && lines[i].trim()) soft++;
  }
  return soft / (lines.length - 1) > 0.5;
}

/** Splits after each match, so the pieces concatenate back to the input. */
function splitAfter(text: string, re: RegExp): string[] {
  const parts: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const end = m.index + m[0].length;
    if (end > last && end < text.length) {
      parts.push(text.slice(last, end));
      last = end;
    }
  }
  parts.push(text.slice(last));
  return parts.filter((p) => p.length > 0);
}

/** Cuts at a character count, never between the two halves of a surrogate pair. */
function hardCut(text: string, size: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + size, text.length);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end--;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

function splitText(text: string, target: number, max: number, level = 0): string[] {
  if (text.length <= target) return [text];
  if (level >= BOUNDARIES.length) return hardCut(text, target);
  if (level > SENTENCE_LEVEL && text.length <= max) return [text];
  if (level === LINE_LEVEL && isWrappedProse(text)) return splitText(text, target, max, SENTENCE_LEVEL);
  const out: string[] = [];
  let buf = '';
  for (const part of splitAfter(text, BOUNDARIES[level])) {
    if (part.length > target) {
      if (buf) out.push(buf);
      buf = '';
      out.push(...splitText(part, target, max, level + 1));
    } else if (buf.length + part.length > target) {
      out.push(buf);
      buf = part;
    } else {
      buf += part;
    }
  }
  if (buf) out.push(buf);
  return out;
}

/** Heading path, then text: what to embed and index for a chunk. */
export function chunkIndexText(headingPath: string[], text: string): string {
  return headingPath.length ? `${headingPath.join(' > ')}\n\n${text}` : text;
}

export function chunkDocument(sections: Section[], opts: ChunkOptions = {}): Chunk[] {
  const target = Math.max(50, Math.floor(opts.targetChars ?? LIMITS.chunkChars));
  const max = Math.max(target, Math.floor(opts.maxChars ?? target * 1.25));
  const chunks: Chunk[] = [];
  for (const section of sections) {
    const raw = splitText(section.text, target, max).filter((p) => p.trim());
    // A short tail reads better attached to its predecessor when the two still fit.
    if (raw.length >= 2) {
      const tail = raw[raw.length - 1];
      const prev = raw[raw.length - 2];
      if (tail.trim().length < target * 0.2 && (prev + tail).trim().length <= max) raw.splice(-2, 2, prev + tail);
    }
    const pieces = raw.map((p) => p.trim());
    for (const text of pieces) {
      const headingPath = [...section.headingPath];
      chunks.push({
        index: chunks.length,
        text,
        headingPath,
        ...(section.page !== undefined ? { page: section.page } : {}),
        indexText: chunkIndexText(headingPath, text),
      });
    }
  }
  return chunks;
}
