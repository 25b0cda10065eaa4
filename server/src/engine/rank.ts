/**
 * Lexical scoring of recall candidates: BM25F over the fields of a memory's index text (text.ts FIELD), and the
 * `relativity` the threshold applies to.
 *
 * Why fields: a turn of a conversation is often found by the words of its exchange rather than its own ("Do you
 * play any instruments?" / "Yes, the clarinet!"). Those words are indexed with the turn, at a lower weight than
 * its own, so they lift it without letting the neighbours' topic drown its own.
 */
import type { LexicalHit, MemoryRecord } from '../store/types';
import type { Related } from './concepts';
import { FIELD } from './text';

/** Field weights in the BM25F term frequency: own text, author, Q/A partner, nearby turns. */
const FIELD_WEIGHT = [1, 1, 0.5, 0.3];
/** How much of a query term a field answers, for `relativity`. */
const FIELD_CREDIT = [1, 1, 0.6, 0.4];
const K1 = 1.2;
/** Length normalisation. Turns vary from "Wow!" to paragraphs; full normalisation (0.75) over-rewards the short. */
const B = 0.5;
/** A question that names the speaker of a memory ("What did Ann paint?") is about what Ann said. */
const AUTHOR_BOOST = 1.3;

export interface ScoreContext {
  terms: string[];
  /** Related words per query term with their weights (concepts.ts, intent.ts), none of them query terms. */
  related: Map<string, Related[]>;
  /** Document frequency of every term and related word. */
  df: Map<string, number>;
  docCount: number;
  /** Keep what each hit matched, for an explanation (recall.ts Explanation). */
  explain?: boolean;
}

export interface Scored {
  memory: MemoryRecord;
  /** BM25F (or, with vectors, its fusion with the vector ranking); larger is better, comparable within one query only. */
  relevance: number;
  relativity: number;
  /** The query names the memory's author. */
  byNamedAuthor: boolean;
  /** With `explain`: the query words found in each field of the index text, and the share of the query covered. */
  matched?: string[][];
  coverage?: number;
  /** Positions (1-based) in the lexical and vector rankings when they were fused, and the cosine similarity. */
  lexicalRank?: number;
  vectorRank?: number;
  similarity?: number;
}

export const idfOf = (df: number, n: number) => Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));

/** Per field (line) of a candidate's index text: its length in words and the query and related words it holds. */
export type FieldStats = Array<{ length: number; found: string[] }>;

/**
 * The fields of each candidate, with the words of `words` each holds (repeats included: they are its term
 * frequency). Recall reads them once, to learn which related words the candidates hold before it looks up their
 * frequencies, and hands them to scoreHits.
 */
export function readFields(hits: LexicalHit[], words: Iterable<string>): FieldStats[] {
  const re = wordsRegExp(words);
  return hits.map((h) => fieldStats(h.memory.searchText, re));
}

export function scoreHits(hits: LexicalHit[], c: ScoreContext, docs?: FieldStats[]): Scored[] {
  const weight = new Map<string, number>();
  const idf = new Map<string, number>();
  const idfOfTerm = (w: string) => idfOf(c.df.get(w) ?? 0, c.docCount);
  // A related word weighs what its relation is worth ("fruit" answered by "mangosteen"), a query word 1; and it is
  // never rarer than the word it stands for: a rare kind ("taichichuan") must not outweigh the question's own words.
  for (const t of c.terms)
    for (const r of c.related.get(t) ?? []) {
      weight.set(r.term, Math.max(weight.get(r.term) ?? 0, r.weight));
      idf.set(r.term, Math.max(idf.get(r.term) ?? 0, Math.min(idfOfTerm(r.term), idfOfTerm(t))));
    }
  for (const t of c.terms) {
    weight.set(t, 1);
    idf.set(t, idfOfTerm(t));
  }
  const totalIdf = c.terms.reduce((s, t) => s + idf.get(t)!, 0) || 1;

  docs ??= readFields(hits, weight.keys());
  const avgLen = FIELD_WEIGHT.map((_, f) => {
    let sum = 0;
    let n = 0;
    for (const d of docs)
      if (d[f]?.length) {
        sum += d[f].length;
        n++;
      }
    return n ? sum / n : 1;
  });

  return hits.map((h, i) => {
    const fields = docs[i];
    // Per word: normalised, field-weighted frequency, and the best credit any field gives it.
    const tfn = new Map<string, number>();
    const credit = new Map<string, number>();
    fields.forEach(({ length, found }, f) => {
      if (f >= FIELD_WEIGHT.length || length === 0) return;
      const norm = 1 - B + (B * length) / avgLen[f];
      for (const w of found) {
        tfn.set(w, (tfn.get(w) ?? 0) + FIELD_WEIGHT[f] / norm);
        credit.set(w, Math.max(credit.get(w) ?? 0, FIELD_CREDIT[f]));
      }
    });
    // Per query word, its own match or, when that is weaker, its best related word's: a related word stands in
    // for a missing query word, it does not add to one that is there.
    const wordScore = (w: string) => {
      const tf = tfn.get(w);
      return tf ? weight.get(w)! * idf.get(w)! * ((tf * (K1 + 1)) / (tf + K1)) : 0;
    };
    let lexical = 0;
    for (const t of c.terms) lexical += Math.max(wordScore(t), ...(c.related.get(t) ?? []).map((r) => wordScore(r.term)));

    let covered = 0;
    for (const t of c.terms) {
      const own = credit.get(t) ?? 0;
      const viaRelated = Math.max(0, ...(c.related.get(t) ?? []).map((r) => r.weight * (credit.get(r.term) ?? 0)));
      covered += idf.get(t)! * Math.max(own, viaRelated);
    }
    const coverage = covered / totalIdf;
    const relativity = coverage > 0 ? Math.min(1, 0.3 + 0.7 * Math.sqrt(coverage)) : 0;
    const authors = fields[FIELD.author]?.found ?? [];
    const byNamedAuthor = authors.length > 0 && c.terms.some((t) => authors.includes(t));
    const scored: Scored = { memory: h.memory, relevance: byNamedAuthor ? lexical * AUTHOR_BOOST : lexical, relativity, byNamedAuthor };
    if (c.explain) Object.assign(scored, { matched: fields.map((f) => f.found), coverage });
    return scored;
  });
}

const escapeRegExp = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression that finds any of `words` as a whole word of an index text line. */
const wordsRegExp = (words: Iterable<string>) => new RegExp(`(?<=^| )(?:${[...words].map(escapeRegExp).join('|')})(?= |$)`, 'g');

/**
 * Per field (line) of an index text: its length in words and the query words it holds, found with one regular
 * expression rather than by splitting every candidate into words (the search's hot loop; with 50 candidates and
 * 64 words the expression still takes about half the time of splitting and looking each word up in a set).
 */
function fieldStats(searchText: string, words: RegExp): FieldStats {
  return searchText.split('\n').map((line) => {
    if (!line) return { length: 0, found: [] };
    let length = 1;
    for (let at = line.indexOf(' '); at >= 0; at = line.indexOf(' ', at + 1)) length++;
    return { length, found: line.match(words) ?? [] };
  });
}

/** Reciprocal-rank-fusion constant: how flat the credit for lower ranks is (60 is the usual choice). */
const RRF_K = 60;

/**
 * Hybrid ranking: reciprocal rank fusion of the lexical ranking and the vector ranking, so neither scale has to be
 * calibrated against the other. A memory only the vectors found gets its relativity from cosine similarity.
 */
export function fuse(lexical: Scored[], vector: Array<{ memory: MemoryRecord; similarity: number }>): Scored[] {
  const fused = new Map<string, Scored>();
  [...lexical]
    .sort((a, b) => b.relevance - a.relevance)
    .forEach((s, i) => fused.set(s.memory.id, { ...s, relevance: 1 / (RRF_K + i + 1), lexicalRank: i + 1 }));
  vector.forEach((v, i) => {
    const credit = 1 / (RRF_K + i + 1);
    const relativity = Math.min(1, Math.max(0, v.similarity));
    const seen = fused.get(v.memory.id);
    const ranks = { vectorRank: i + 1, similarity: v.similarity };
    if (seen) fused.set(v.memory.id, { ...seen, ...ranks, relevance: seen.relevance + credit, relativity: Math.max(seen.relativity, relativity) });
    else fused.set(v.memory.id, { memory: v.memory, ...ranks, relevance: credit, relativity, byNamedAuthor: false });
  });
  return [...fused.values()];
}
