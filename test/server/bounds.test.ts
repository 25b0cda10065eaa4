/**
 * Bounded work per request: for each path where text or structure enters, doubling the input must not more than
 * double the time (a quadratic path quadruples it). Times are compared as ratios of medians measured side by side,
 * with slack for a noisy machine; absolute speed belongs to the benchmarks. Each case also checks the outcome:
 * long tokens are still found, the selective term survives a long query, over-limit inputs get their codes.
 */
import { jsonDepthExceeds } from '../../server/src/api/limits';
import { validate } from '../../server/src/api/validate';
import { deleteMemory } from '../../server/src/api/schemas';
import { indexText, MAX_TOKEN_CHARS, queryTerms, tokenize } from '../../server/src/engine/text';
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

// Linear is 4; 8 leaves room for noise (garbage collection grows with the input too) while quadratic (16) fails.
const LINEAR = 8;

/** Fastest of a few runs of `fn`, in ms: the least disturbed by other work on the machine. */
function time(fn: () => unknown, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/**
 * How much slower the input gets over two doublings: time(4n) / time(n). Linear work gives about 4 (each doubling
 * doubles the time), quadratic work 16. At least 1 ms is assumed of any run.
 */
function growth(make: (n: number) => () => unknown, n: number): number {
  make(n)(); // warm-up (JIT, caches)
  // A shared machine can stall any one measurement: up to three tries, the best counts. A path that really is
  // quadratic fails all three.
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= LINEAR; attempt++) best = Math.min(best, time(make(4 * n)) / Math.max(1, time(make(n))));
  return best;
}

describe('the tokenizer is linear in its input, whatever its shape', () => {
  test('one long word: cut to MAX_TOKEN_CHARS, never stemmed (stemming was quadratic)', () => {
    expect(growth((n) => () => tokenize('x' + 'ab'.repeat(n)), 1_000_000)).toBeLessThan(LINEAR);
    const [t] = tokenize('supercalifragilistic'.repeat(10));
    expect(t.length).toBe(MAX_TOKEN_CHARS);
    expect(t).toBe('supercalifragilistic'.repeat(10).slice(0, MAX_TOKEN_CHARS));
  });

  test('a word of joiners ("a-a-a-…-"): the trailing-punctuation strip does not backtrack', () => {
    expect(growth((n) => () => tokenize('a-'.repeat(n) + ' b' + '-'.repeat(n)), 500_000)).toBeLessThan(LINEAR);
    expect(tokenize('well-known--')).toEqual(['well-known']);
  });

  test('many distinct words', () => {
    const words = (n: number, run = 0) => Array.from({ length: n }, (_, i) => `w${run}x${i.toString(36)}q`).join(' ');
    // New words on every run: the stem cache must not make the smaller input look cheaper.
    const fresh = (n: number) => {
      const texts = Array.from({ length: 6 }, (_, run) => words(n, run + n));
      let next = 0;
      return () => tokenize(texts[next++ % texts.length]);
    };
    expect(growth(fresh, 10_000)).toBeLessThan(LINEAR);
    // queryTerms keeps a bounded number of distinct terms however long the text.
    expect(queryTerms(words(100_000)).length).toBeLessThanOrEqual(256);
  });

  test('a 200,000-character Chinese text: no stack overflow, linear, every character indexed', () => {
    const zh = (n: number) => '我喜欢吃四川火锅和北京烤鸭'.repeat(n / 13);
    expect(() => indexText(zh(200_000))).not.toThrow();
    expect(growth((n) => () => indexText(zh(n)), 20_000)).toBeLessThan(LINEAR);
    expect(indexText('我不吃香菜').split(' ')).toEqual(expect.arrayContaining(['香菜', '香', '菜', '吃']));
  });
});

describe('structure limits are checked in time proportional to the input', () => {
  test('nesting depth is read from the text before parsing, stopping at the limit', () => {
    expect(jsonDepthExceeds('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toBe(65);
    expect(jsonDepthExceeds('{"a":'.repeat(64) + '1' + '}'.repeat(64))).toBeUndefined();
    // Brackets inside strings do not count.
    expect(jsonDepthExceeds(JSON.stringify({ s: '['.repeat(1000) }))).toBeUndefined();
    const flat = (n: number) => JSON.stringify({ list: Array.from({ length: n }, (_, i) => ({ k: `v${i}` })) });
    expect(growth((n) => () => jsonDepthExceeds(flat(n)), 25_000)).toBeLessThan(LINEAR);
  });

  test('a list of ids over the limit is refused with 40000 naming the limit', () => {
    const ids = (n: number) => ({ memory_ids: Array.from({ length: n }, (_, i) => `m${i}`) });
    expect(() => validate(deleteMemory, ids(40_000))).toThrow(expect.objectContaining({ code: 40000, message: expect.stringMatching(/memory_ids holds 40000 items; at most 1000/) }));
    expect(() => validate(deleteMemory, ids(1000))).not.toThrow();
  });
});

describe('over HTTP', () => {
  const call = client(useServer());

  /** Median round-trip of a request, in ms. */
  async function timed(p: string, body: unknown, runs = 3): Promise<number> {
    const ts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await call(p, body);
      ts.push(performance.now() - t);
      expect(r.body.code ?? 0).toBeLessThan(50000);
    }
    return ts.sort((a, b) => a - b)[Math.floor(runs / 2)];
  }

  test('a long word in a search, a message, a rerank, a feedback and a chat: time grows linearly', async () => {
    const word = (n: number) => 'x' + 'ab'.repeat(n / 2);
    // Each size is under the endpoint's token limit (a search query 4k tokens, about 16k letters); before the
    // fix, a 16k-letter word took 8.5 s.
    const cases: Array<[string, number, (w: string) => unknown]> = [
      ['/search/memory', 3_750, (w) => ({ user_id: 'growth', query: w })],
      ['/add/message', 7_500, (w) => ({ user_id: 'growth', conversation_id: 'g', messages: [{ role: 'user', content: `I like ${w}` }], async_mode: false })],
      ['/rerank', 3_750, (w) => ({ query: w, documents: [w, 'tea'] })],
      ['/add/feedback', 7_500, (w) => ({ user_id: 'growth', conversation_id: 'g', feedback_content: `not ${w}`, async_mode: false })],
      ['/chat', 7_000, (w) => ({ user_id: 'growth', conversation_id: 'g', query: `what about ${w}` })],
    ];
    for (const [p, n, make] of cases) {
      await timed(p, make(word(1000)), 1);
      const small = Math.max(20, await timed(p, make(word(n))));
      const large = await timed(p, make(word(4 * n)));
      expect([p, large / small < LINEAR ? 'linear' : `grew ${(large / small).toFixed(2)}x`]).toEqual([p, 'linear']);
    }
  });

  test('a memory with a token longer than the cap is still recalled by that token', async () => {
    const token = 'k' + 'q7'.repeat(60);
    const w = await call('/add/message', { user_id: 'long-token', conversation_id: 'c', messages: [{ role: 'user', content: `My licence key is ${token}` }], async_mode: false });
    expect(w.body.code).toBe(0);
    await waitForTask(call, w.body.data.task_id);
    const r = await call('/search/memory', { user_id: 'long-token', query: token, relativity: 0 });
    expect(r.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value).join(' ')).toContain(token);
  });

  test('a long query keeps its most selective terms: the one word that matches survives 300 unknown ones', async () => {
    const w = await call('/add/message', { user_id: 'selective', conversation_id: 'c', messages: [{ role: 'user', content: 'My dog is called Xanthippe.' }], async_mode: false });
    await waitForTask(call, w.body.data.task_id);
    const noise = Array.from({ length: 300 }, (_, i) => `zz${i.toString(36)}v`).join(' ');
    const r = await call('/search/memory', { user_id: 'selective', query: `${noise.slice(0, 1200)} xanthippe ${noise.slice(1200)}`, relativity: 0 });
    expect(r.body.code).toBe(0);
    expect(r.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value).join(' ')).toMatch(/Xanthippe/);
  });

  test('a query over 4k tokens → 40305; 700,000 distinct words answered at once, not after minutes', async () => {
    const t = performance.now();
    const r = await call('/search/memory', { user_id: 'u', query: Array.from({ length: 700_000 }, (_, i) => `w${i}`).join(' ') });
    expect(r.body.code).toBe(40305);
    expect(r.body.message).toMatch(/at most 4000/);
    expect(performance.now() - t).toBeLessThan(10_000);
    const zh = await call('/search/memory', { user_id: 'u', query: '我喜欢吃苹果'.repeat(34_000) });
    expect(zh.body.code).toBe(40305);
  });

  test('an id list: refusing 40,000 ids costs no more than linearly more than refusing 10,000', async () => {
    const body = (n: number) => ({ memory_ids: Array.from({ length: n }, (_, i) => `m${i}`) });
    await timed('/delete/memory', body(1000), 1);
    const small = Math.max(20, await timed('/delete/memory', body(10_000)));
    const large = await timed('/delete/memory', body(40_000));
    expect(large / small).toBeLessThan(LINEAR);
  });

  test('id lists and nesting: 40,000 ids and info nested 5,000 levels are refused with 40000', async () => {
    const del = await call('/delete/memory', { memory_ids: Array.from({ length: 40_000 }, (_, i) => `m${i}`) });
    expect(del.body).toMatchObject({ code: 40000, message: expect.stringMatching(/at most 1000/) });
    const info = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const nested = await call('/add/message', `{"user_id":"u","conversation_id":"c","messages":[{"role":"user","content":"hi"}],"info":${info}}`);
    expect(nested.body).toMatchObject({ code: 40000, message: expect.stringMatching(/nested more than 64 levels/) });
  });
});
