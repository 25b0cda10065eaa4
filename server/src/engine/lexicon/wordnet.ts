/**
 * English word meaning from WordNet 3.1: for a word or two-word phrase, its synonyms and derived forms
 * ("allergic" ↔ "allergy") and its kinds ("martial art" → judo, karate, taekwondo; "European country" → Spain).
 * The compact index is generated from the WordNet database by server/scripts/wordnet-lexicon.js and shipped with
 * the server; it is split into entries on first use (tens of milliseconds), not at start-up.
 */
import wordnet from './wordnet-en.json';

export interface WordSense {
  /** Synonyms and derived forms, in index (stemmed) form. */
  same: string[];
  /** Kinds, nearest and most frequent first. */
  kinds: string[];
}

let entries: Map<string, string> | undefined;

function load(): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of wordnet.lines.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) map.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return map;
}

const words = (s: string | undefined) => (s ? s.split(' ') : []);

/** A stemmed word, or two joined by a space ("martial art"). */
export function wordSense(key: string): WordSense | undefined {
  const raw = (entries ??= load()).get(key);
  if (raw === undefined) return undefined;
  const [same, kinds] = raw.split('\t');
  return { same: words(same), kinds: words(kinds) };
}
