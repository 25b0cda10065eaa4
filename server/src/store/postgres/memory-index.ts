/**
 * The full-text index entry of a memory: a tsvector built here from the index text the engine already
 * normalised and segmented, split exactly as SQLite's FTS5 (unicode61, remove_diacritics) splits it, so both
 * backends index the same words, Chinese and Japanese included. PostgreSQL's own parser is not used on it: it
 * would split and type the engine's words its own way (hyphens, numbers, e-mail addresses).
 */

/** Latin letters lose their accents, as FTS5's remove_diacritics does; other scripts' marks are kept. */
function fold(text: string): string {
  return /[\u0300-\u036f]/.test(text.normalize('NFD')) ? text.normalize('NFD').replace(/([\p{Script=Latin}])[\u0300-\u036f]+/gu, '$1').normalize('NFC') : text;
}

/** FTS5 unicode61 token characters: letters, numbers, private use; everything else separates. */
const SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;

export function indexTokens(text: string): string[] {
  return fold(text.toLowerCase())
    .split(SEPARATORS)
    .filter((t) => t.length > 0);
}

/** tsvector limits: positions stop at 16383, a lexeme keeps at most 256 of them, and a lexeme is under 2 KB. */
const MAX_POS = 16383;
const MAX_POSITIONS = 256;
const MAX_LEXEME_CHARS = 500;

const quote = (lexeme: string) => "'" + lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

/** The tsvector literal (cast with ::tsvector) and the token count of an index text. */
export function indexEntry(searchText: string): { tsv: string; tokens: number } {
  const positions = new Map<string, number[]>();
  const tokens = indexTokens(searchText);
  tokens.forEach((t, i) => {
    const lexeme = t.slice(0, MAX_LEXEME_CHARS);
    let list = positions.get(lexeme);
    if (!list) positions.set(lexeme, (list = []));
    if (list.length < MAX_POSITIONS) list.push(Math.min(i + 1, MAX_POS));
  });
  const parts: string[] = [];
  for (const [lexeme, pos] of positions) parts.push(`${quote(lexeme)}:${[...new Set(pos)].join(',')}`);
  return { tsv: parts.join(' '), tokens: tokens.length };
}

/**
 * The FTS5 expressions recall builds (engine/text.ts ftsMatch: quoted terms joined by OR, or two joined by AND)
 * as a tsquery literal, with the distinct words they name. A quoted term that splits into several words is a
 * phrase, as in FTS5.
 */
export function matchToQuery(match: string): { tsquery: string; words: string[] } | undefined {
  const phrases: string[][] = [];
  for (const m of match.matchAll(/"((?:[^"]|"")*)"/g)) {
    const words = indexTokens(m[1].replace(/""/g, '"')).map((w) => w.slice(0, MAX_LEXEME_CHARS));
    if (words.length) phrases.push(words);
  }
  if (phrases.length === 0) return undefined;
  const op = /"\s+AND\s+"/.test(match) ? ' & ' : ' | ';
  const tsquery = phrases.map((p) => (p.length === 1 ? quote(p[0]) : '(' + p.map(quote).join(' <-> ') + ')')).join(op);
  return { tsquery, words: [...new Set(phrases.flat())] };
}
