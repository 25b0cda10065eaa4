/**
 * One tokenizer for indexing and querying, so scores can be explained term by term: lower-case, Unicode words,
 * English Porter2 stems, Chinese/Japanese runs segmented into words with Intl.Segmenter (FTS5's unicode61
 * tokenizer would otherwise treat a whole CJK sentence as one token).
 */
import stem from 'wink-porter2-stemmer';

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]+/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

const zhSegmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const jaSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });

// Function words carry no topic; they would make every memory match every question.
const EN_STOP = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto over under about as is am are was were be been being ' +
    'do does did doing done have has had having i me my mine myself we us our ours you your yours he him his she her hers it its they them their theirs ' +
    'this that these those there here what which who whom whose when where why how all any both each few more most other some such no nor not only own same so than too very ' +
    's t can will just don should now would could shall may might must also ok okay yes yeah hi hello hey please thanks thank let lets get got ' +
    "i'm i've i'd i'll you're it's that's what's don't doesn't didn't can't won't isn't aren't wasn't im ive dont doesnt didnt cant wont isnt " +
    'tell know think want wanna gonna like really something anything thing things one ones up out off again further once very much many ' +
    // "What do we use for mail?": the light verb would tie with the topic word it stands beside.
    'use uses used using'
  ).split(/\s+/),
);
// Note: "like" and "want" are stop words for matching only; preference extraction reads the raw text.
const ZH_STOP = new Set(
  '的 了 是 我 你 他 她 它 们 我们 你们 他们 吗 呢 吧 啊 呀 哦 嗯 和 与 及 或 在 也 都 就 还 又 很 太 这 那 这个 那个 什么 怎么 怎样 如何 为什么 哪 哪里 哪儿 哪些 一个 一下 有 没有 要 会 能 可以 请 把 被 给 让 对 从 到 吗 么 之 其 上 下 中 里 个 过 着 得 地 而 但 但是 如果 因为 所以 现在 一些 自己'.split(
    ' ',
  ),
);

/**
 * Longest token kept, in characters. Porter2's suffix rules take time that grows with the square of a word's
 * length (a 16k-letter "word" took 8 s), and no real word or identifier comes near this: anything longer is
 * cut to this length and indexed or matched as it is, never stemmed.
 */
export const MAX_TOKEN_CHARS = 64;
/** Words up to this length are stemmed; longer ones (ids, hashes, compounds) are kept whole. */
const MAX_STEM_CHARS = 32;

// Porter2 is regular-expression heavy and words repeat endlessly: stems are kept (bounded).
const stems = new Map<string, string>();
function stemWord(w: string): string {
  let s = stems.get(w);
  if (s === undefined) {
    s = /^\d/.test(w) || w.length <= 2 || w.length > MAX_STEM_CHARS || !/^[a-z'’-]+$/.test(w) ? w : (stem(w.replace(/[’]/g, "'").replace(/'s$/, '')) as string);
    if (stems.size >= 50_000) stems.clear();
    stems.set(w, s);
  }
  return s;
}

/** Characters handed to the segmenter at once: a 200,000-character run is segmented piece by piece. */
const CJK_PIECE = 4096;

function pushCjkWords(run: string, out: string[]) {
  const seg = KANA.test(run) ? jaSegmenter : zhSegmenter;
  // A piece boundary may split one word in two; at 4k characters a piece that is rare and harmless.
  for (let at = 0; at < run.length; at += CJK_PIECE) {
    for (const s of seg.segment(run.slice(at, at + CJK_PIECE))) if (s.isWordLike) out.push(s.segment.slice(0, MAX_TOKEN_CHARS));
  }
}

/** Trailing apostrophes, underscores and hyphens, stripped by hand: a regex anchored at $ backtracks on long runs. */
function trimJoiners(w: string): string {
  let end = w.length;
  while (end > 0 && "'’_-".includes(w[end - 1])) end--;
  return end === w.length ? w : w.slice(0, end);
}

/**
 * All tokens of a text, in order, stop words included (used for the index). One pass over the text, with no
 * recursion and no argument spreading, so its cost grows linearly with the input whatever its shape.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase().normalize('NFKC');
  let last = 0;
  const pushLatin = (chunk: string) => {
    for (const m of chunk.matchAll(WORD)) {
      const w = trimJoiners(m[0].slice(0, MAX_TOKEN_CHARS));
      if (w) out.push(stemWord(w));
    }
  };
  for (const m of lower.matchAll(CJK_RUN)) {
    pushLatin(lower.slice(last, m.index));
    pushCjkWords(m[0], out);
    last = m.index! + m[0].length;
  }
  pushLatin(lower.slice(last));
  return out;
}

export const isStopword = (t: string): boolean => EN_STOP.has(t) || ZH_STOP.has(t);

const CJK_COMPOUND = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{2,}$/u;

/**
 * Index form: tokens joined by spaces (FTS5 unicode61 then splits on the spaces; hyphens become separators).
 * A Chinese or Japanese word is indexed with its characters too: the segmenter reads "不吃香菜" as 不吃 / 香菜,
 * and a question asking what the user does not "吃" must still find it.
 */
export function indexText(text: string): string {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    const w = t.replace(/['’_-]/g, '');
    if (!w) continue;
    out.push(w);
    if (CJK_COMPOUND.test(w)) for (const ch of w) out.push(ch);
  }
  return out.join(' ');
}

/**
 * A memory's index text holds up to four fields, one per line, so the ranking can weigh where a word was found:
 * the memory's own text, its author (the speaker's name), the turn it answers or that answers it, and the turns
 * around it. FTS5 indexes every line alike (a newline is a separator); recall reads the lines apart. A text with
 * one line (older rows, knowledge-base chunks) is all "own".
 */
export const FIELD = { own: 0, author: 1, partner: 2, near: 3 } as const;

export interface IndexParts {
  own: string;
  author?: string;
  partner?: string;
  near?: string;
}

export function fieldedIndexText(p: IndexParts): string {
  return joinIndexedFields([p.own, p.author ?? '', p.partner ?? '', p.near ?? ''].map(indexText));
}

/** The same from fields already in index form (a writer that indexes each text once and reuses it). */
export function joinIndexedFields(lines: string[]): string {
  const out = [...lines];
  while (out.length > 1 && !out[out.length - 1]) out.pop();
  return out.join('\n');
}

/** The words of each field of an index text. */
export function indexFields(searchText: string): string[][] {
  return searchText.split('\n').map((line) => (line ? line.split(' ') : []));
}

/**
 * Most distinct terms one query is matched with. A query is at most MAX_QUERY_TOKENS long, and a few dozen
 * of its rarest words decide its ranking anyway; recall keeps the most selective MAX_QUERY_TERMS of these.
 */
export const MAX_QUERY_TERMS = 64;
/** Distinct terms read from a query before the selective ones are chosen (bounds the lookup of their frequencies). */
export const MAX_QUERY_CANDIDATE_TERMS = 256;
/** The contract's query limit (§3.2, 4k tokens): longer queries get 40305. */
export const MAX_QUERY_TOKENS = 4_000;

/** Distinct content terms of a query, in order (at most `max`). */
export function queryTerms(text: string, max = MAX_QUERY_CANDIDATE_TERMS): string[] {
  const seen = new Set<string>();
  for (const t of tokenize(text)) {
    const term = t.replace(/['’_-]/g, '');
    if (!term || isStopword(t) || isStopword(term)) continue;
    seen.add(term);
    if (seen.size >= max) break;
  }
  return [...seen];
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Rough token count (CJK character ≈ 1 token, otherwise ≈ 4 characters): used for the contract's input limits. */
export function estimateTokens(text: string): number {
  let cjk = 0;
  for (const _ of text.matchAll(CJK_CHAR)) cjk++;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

/** FTS5 MATCH expression: any of the terms (ranking decides), each quoted so no term is read as syntax. */
export function ftsMatch(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}
