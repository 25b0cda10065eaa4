/**
 * English word meaning from WordNet 3.1: for a word or two-word phrase, its synonyms and derived forms
 * ("allergic" ↔ "allergy") and its kinds ("martial art" → judo, karate, taekwondo; "European country" → Spain).
 * The compact index is generated from the WordNet database by server/scripts/wordnet-lexicon.js and shipped with
 * the server and searched in place.
 */
import wordnet from './wordnet-en.json';

export interface WordSense {
  /** Synonyms and derived forms, in index (stemmed) form. */
  same: string[];
  /** Kinds, nearest and most frequent first. */
  kinds: string[];
}

/**
 * Where each line starts in the one string the index is shipped as. Lines are sorted by key (the generator sorts
 * them), so a lookup is a binary search: a few kilobytes of offsets instead of a map of 60,000 entries.
 */
let starts: Int32Array | undefined;

function lineStarts(text: string): Int32Array {
  const at: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) at.push(i + 1);
  return Int32Array.from(at);
}

const words = (s: string | undefined) => (s ? s.split(' ') : []);

/** A stemmed word, or two joined by a space ("martial art"). */
export function wordSense(key: string): WordSense | undefined {
  const text = wordnet.lines;
  const at = (starts ??= lineStarts(text));
  let lo = 0;
  let hi = at.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const tab = text.indexOf('\t', at[mid]);
    const k = text.slice(at[mid], tab);
    if (k === key) {
      const end = mid + 1 < at.length ? at[mid + 1] - 1 : text.length;
      const [same, kinds] = text.slice(tab + 1, end).split('\t');
      return { same: words(same), kinds: words(kinds) };
    }
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
