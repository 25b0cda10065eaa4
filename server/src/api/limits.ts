/**
 * Request limits that keep the work of one request bounded and its data well-formed, shared by the endpoint
 * schemas: identifier text, id-list lengths, time values and the nesting depth of a body.
 */
import type { z } from 'zod';

/** Ids one call may name (memory_ids, knowledge-base ids): every id is looked up, so a call's cost follows it. */
export const MAX_ID_LIST = 1000;
/** Deepest nesting of a request body. info and filters need a handful of levels; 5,000 would overflow stringify. */
export const MAX_JSON_DEPTH = 64;

// In a /u regex a surrogate pair is one code point, so \p{Cs} matches only a lone (ill-formed) surrogate.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * An identifier must be well-formed text: a lone surrogate cannot be stored as UTF-8 (SQLite and PostgreSQL
 * would both turn it into U+FFFD, folding "\ud800" and "\udfff" into one user), and U+FFFD itself is what a
 * broken encoding leaves behind. A blank id (only spaces) names nobody.
 */
export function checkIdentifier(v: string, ctx: z.RefinementCtx) {
  if (v.length > 0 && !v.trim()) ctx.addIssue({ code: 'custom', message: 'must not be blank (only white space)', params: { code: 40002 } });
  else if (LONE_SURROGATE.test(v) || v.includes('\ufffd'))
    ctx.addIssue({ code: 'custom', message: 'must be well-formed text, and this holds a lone UTF-16 surrogate or U+FFFD; send ids as valid Unicode' });
}

/** The years 0001 to 9999: every stored time can be compared, formatted and read back. */
export const MIN_TIME_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z
export const MAX_TIME_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
export const timeInRange = (ms: number): boolean => Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;

/** Epoch ms of a numeric time value: seconds up to 1e11, milliseconds above (as parseChatTime reads it). */
export const numericTimeMs = (n: number): number => (Math.abs(n) > 1e11 ? n : n * 1000);

export function checkNumericTime(n: number, ctx: z.RefinementCtx) {
  if (!timeInRange(numericTimeMs(n)))
    ctx.addIssue({
      code: 'custom',
      message: `${n} is not a time this server can store: send epoch seconds or milliseconds between the years 1 and 9999, or a date string`,
    });
}

/**
 * Nesting depth of a JSON text, read without parsing it. JSON.parse itself takes seconds on a body of four million
 * '[' (it is well under the body limit), so depth is checked on the text first. Linear, allocation-free.
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) i = stringEnd(text, i);
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return depth;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `open` (the text's end if none). A 27 MB base64 string is
 * skipped with native searches rather than a character loop. */
function stringEnd(text: string, open: number): number {
  for (let at = open + 1; ; ) {
    const q = text.indexOf('"', at);
    if (q === -1) return text.length;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return q;
    at = q + 1;
  }
}
