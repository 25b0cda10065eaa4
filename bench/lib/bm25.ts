/**
 * The baseline: plain Okapi BM25 (k1 1.2, b 0.75) over one document per turn, the session date prefixed and the
 * image caption included, as in ../shared/bench/README.md. Its tokenizer is deliberately its own (lower-case
 * words, a standard English stop list, Porter2 stems), so work on the server's tokenizer never moves the baseline.
 */
import stem from 'wink-porter2-stemmer';

const STOP = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him himself ' +
    'his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves'
  ).split(' '),
);

export function bm25Tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu)) {
    const w = m[0].replace(/'s$/, '');
    if (STOP.has(w)) continue;
    out.push(/^\d/.test(w) ? w : stem(w));
  }
  return out;
}

export class Bm25Index {
  private readonly docs: Array<Map<string, number>> = [];
  private readonly lengths: number[] = [];
  private readonly df = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();

  constructor(
    texts: string[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    texts.forEach((t, i) => {
      const tf = new Map<string, number>();
      const toks = bm25Tokens(t);
      for (const w of toks) tf.set(w, (tf.get(w) ?? 0) + 1);
      this.docs.push(tf);
      this.lengths.push(toks.length);
      for (const w of tf.keys()) {
        this.df.set(w, (this.df.get(w) ?? 0) + 1);
        let p = this.postings.get(w);
        if (!p) this.postings.set(w, (p = []));
        p.push(i);
      }
    });
  }

  /** Document indexes, best first (documents sharing no term with the query are left out). */
  search(query: string, k: number): number[] {
    const n = this.docs.length;
    const avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const scores = new Map<number, number>();
    for (const w of new Set(bm25Tokens(query))) {
      const df = this.df.get(w) ?? 0;
      if (!df) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (const d of this.postings.get(w)!) {
        const tf = this.docs[d].get(w)!;
        const s = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.lengths[d]) / avg));
        scores.set(d, (scores.get(d) ?? 0) + s);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([d]) => d);
  }
}
