/**
 * Text for the load benchmarks: LoCoMo turns and questions when ../shared/bench/locomo-dev.json is there, each
 * turn extended with a few words drawn from a Zipf-distributed synthetic vocabulary, so a large corpus keeps
 * growing its vocabulary as real ones do (Heaps' law) instead of repeating 3,000 turns' words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadLocomo, spokenText } from './locomo-data';
import { REPO } from './server';

const FALLBACK_WORDS = 'family trip painting camping guitar dog school project meeting recipe garden book movie concert hike beach job market friend weekend'.split(' ');

export interface Corpus {
  turn(i: number): string;
  query(i: number): string;
  source: string;
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka lo mi su re ta no vi de ra po lu sen mar tel dor fin gal hul bri'.split(' ');
function pseudoWord(rank: number): string {
  let w = '';
  let n = rank + 1;
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  }
  return w;
}

export function loadCorpus(): Corpus {
  const file = path.join(REPO, '..', 'shared', 'bench', 'locomo-dev.json');
  let turns: string[] = [];
  let questions: string[] = [];
  if (fs.existsSync(file)) {
    const convs = loadLocomo(file);
    turns = convs.flatMap((c) => c.sessions.flatMap((s) => s.turns.map(spokenText)));
    questions = convs.flatMap((c) => c.questions.map((q) => q.question));
  }
  const source = turns.length ? 'LoCoMo turns + synthetic Zipf vocabulary' : 'synthetic text';
  if (!turns.length) {
    const r = rng(7);
    turns = Array.from({ length: 3000 }, () => Array.from({ length: 12 }, () => FALLBACK_WORDS[Math.floor(r() * FALLBACK_WORDS.length)]).join(' '));
    questions = Array.from({ length: 500 }, () => `what about the ${FALLBACK_WORDS[Math.floor(r() * FALLBACK_WORDS.length)]}?`);
  }
  // Zipf(1) over 200k words, sampled by inverting the harmonic CDF approximately.
  const zipf = (u: number) => Math.min(199_999, Math.floor(Math.exp(u * Math.log(200_000))) - 1);
  return {
    source,
    turn(i) {
      const r = rng(i + 1);
      const extra = [0, 1, 2].map(() => pseudoWord(zipf(r()))).join(' ');
      return `${turns[i % turns.length]} ${extra}`;
    },
    query(i) {
      return questions[i % questions.length];
    },
  };
}
