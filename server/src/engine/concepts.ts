/**
 * Related words for offline recall. Without embeddings, "which fruit do I like?" shares no word with
 * "I like mangosteens", "what martial arts has John done?" none with "I started taekwondo", and "where do I live
 * now?" none with "I moved to Shanghai". Two sources: the curated groups (lexicon/groups.ts, English and Chinese)
 * and WordNet (lexicon/wordnet.ts, English). Each related word carries a weight below 1, the weight of the query's
 * own words, so a memory that says what was asked still ranks above one that only says something related.
 */
import { tokenize } from './text';
import { GROUPS } from './lexicon/groups';
import { wordSense, type WordSense } from './lexicon/wordnet';

export interface Related {
  term: string;
  /** Share of a query word's weight a match of this word gets (0-1). */
  weight: number;
}

/** A word of the same curated group: written for our domains, so trusted most. */
export const CURATED_WEIGHT = 0.6;
/** A WordNet synonym or derived form ("allergy" for "allergic"). */
export const SYNONYM_WEIGHT = 0.5;
/** A WordNet kind ("judo" for "martial art"): one of many, so it says less about the question. */
export const KIND_WEIGHT = 0.4;
/** Related words kept per query word, the heaviest first (recall.ts bounds the total per search). */
const MAX_PER_TERM = 64;
const HAN = /\p{Script=Han}/u;

const stems = (words: string) => [...new Set(words.split(/\s+/).filter(Boolean).flatMap((w) => tokenize(w)))];

/** term -> the terms its curated groups bring in. */
const curatedOf = new Map<string, Set<string>>();
const relate = (term: string, others: string[]) => {
  let set = curatedOf.get(term);
  if (!set) curatedOf.set(term, (set = new Set()));
  for (const o of others) if (o !== term) set.add(o);
};
for (const group of GROUPS) {
  const [headPart, kindPart = ''] = group.split('>');
  const heads = stems(headPart);
  const kinds = kindPart.split('/').map(stems).filter((k) => k.length);
  const all = [...heads, ...kinds.flat()];
  for (const h of heads) relate(h, all);
  for (const k of kinds) for (const w of k) relate(w, [...k, ...heads]);
}

/** Curated words related to `term` (excluding itself). */
export function curatedTerms(term: string): string[] {
  return [...(curatedOf.get(term) ?? [])];
}

/**
 * Related words per query term (none of them a query term). A two-word phrase WordNet knows ("martial arts")
 * speaks for both its words, instead of what each means alone ("art" → painting, dance).
 */
export function relatedTerms(terms: string[]): Map<string, Related[]> {
  const own = new Set(terms);
  const found = new Map<string, Map<string, number>>(terms.map((t) => [t, new Map()]));
  const add = (t: string, r: string, weight: number) => {
    if (own.has(r)) return;
    const m = found.get(t)!;
    if ((m.get(r) ?? 0) < weight) m.set(r, weight);
  };
  const addSense = (t: string, s: WordSense) => {
    for (const r of s.same) add(t, r, SYNONYM_WEIGHT);
    for (const r of s.kinds) add(t, r, KIND_WEIGHT);
  };
  const inPhrase = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) {
    const phrase = wordSense(`${terms[i]} ${terms[i + 1]}`);
    if (!phrase) continue;
    for (const t of [terms[i], terms[i + 1]]) {
      inPhrase.add(t);
      addSense(t, phrase);
    }
  }
  for (const t of terms) {
    for (const r of curatedTerms(t)) add(t, r, CURATED_WEIGHT);
    const sense = inPhrase.has(t) ? undefined : wordSense(t);
    if (sense) addSense(t, sense);
  }
  // Heaviest first; among equals, words in the query word's own script (a Chinese question is answered by
  // Chinese memories first), then in the lexicon's order.
  return new Map(
    [...found].map(([t, m]) => {
      const script = HAN.test(t);
      const rank = (r: Related) => r.weight + (HAN.test(r.term) === script ? 0.01 : 0);
      const list = [...m].map(([term, weight]) => ({ term, weight }));
      return [t, list.sort((a, b) => rank(b) - rank(a)).slice(0, MAX_PER_TERM)];
    }),
  );
}

/** Both maps' related words per term; the heavier weight where both relate the same word. */
export function mergeRelated(a: Map<string, Related[]>, b: Map<string, Related[]>): Map<string, Related[]> {
  const out = new Map(a);
  for (const [t, rs] of b) {
    const byTerm = new Map((out.get(t) ?? []).map((r) => [r.term, r]));
    for (const r of rs) if ((byTerm.get(r.term)?.weight ?? 0) < r.weight) byTerm.set(r.term, r);
    out.set(t, [...byTerm.values()].sort((x, y) => y.weight - x.weight));
  }
  return out;
}
