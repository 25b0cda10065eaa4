/**
 * The shortcuts that keep search fast must not change what it finds (issue 12). On SQLite, termStats reads all of
 * a search's word frequencies in one statement and remembers words found in no memory until the next write;
 * recall works out the own words' share of the postings budget once. Each case here fails if a shortcut answers
 * from stale or wrong state: a word absent, then written (as a new memory or by rewriting one in place), must be
 * counted by the next lookup, on every backend; batched counts equal the words counted one by one in the data;
 * and recall through the caching store ranks exactly as through one that looks every word up again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rankForSearch } from '../../server/src/engine/recall';
import type { EngineContext } from '../../server/src/engine/context';
import { indexText } from '../../server/src/engine/text';
import * as schemas from '../../server/src/api/schemas';
import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import type { MemoryRecord, Store } from '../../server/src/store/types';
import { rng } from '../../bench/lib/corpus';
import { storeBackends } from '../helpers/postgres';
import { memoryRecord } from '../helpers/records';

jest.setTimeout(60_000);

/** A fast-mode user memory holding `value`, indexed as the server would index it. */
const memory = (value: string, over: Partial<MemoryRecord> = {}): MemoryRecord =>
  memoryRecord({ value, searchText: indexText(value), tags: ['mode:fast'], ...over });

describe.each(storeBackends())('word frequencies: $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await backend.cleanup?.();
  });

  test('a word in no memory, then written, is counted by the next lookup', async () => {
    await store.commit({ memories: [memory('the first note')] });
    // Twice: the second lookup is the one a cache of unseen words would answer.
    expect((await store.termStats(['zorblatt'])).df.get('zorblatt')).toBe(0);
    expect((await store.termStats(['zorblatt', 'note'])).df.get('zorblatt')).toBe(0);
    await store.commit({ memories: [memory('a zorblatt in the garden')] });
    expect((await store.termStats(['zorblatt'])).df.get('zorblatt')).toBe(1);
  });

  test('a word brought by rewriting a memory in place (same row) is counted by the next lookup', async () => {
    const m = memory('my quiet evening');
    await store.commit({ memories: [m] });
    expect((await store.termStats(['quuxmor'])).df.get('quuxmor')).toBe(0);
    expect((await store.termStats(['quuxmor'])).df.get('quuxmor')).toBe(0);
    // The row count does not move: only the write itself can tell the cache the word now exists.
    await store.commit({ updates: [{ id: m.id, value: 'my quuxmor evening', searchText: indexText('my quuxmor evening'), updateTime: Date.now() }] });
    expect((await store.termStats(['quuxmor'])).df.get('quuxmor')).toBe(1);
  });

  test('many words at once (more than one batch, repeats, unseen words) are counted as one by one in the data', async () => {
    const r = rng(12);
    const vocab = Array.from({ length: 150 }, (_, i) => `vw${i}x`);
    const texts = Array.from({ length: 120 }, () => Array.from({ length: 6 }, () => vocab[Math.floor(r() * r() * vocab.length)]).join(' '));
    await store.commit({ memories: texts.map((t) => memory(t)) });
    const truth = (w: string) => texts.filter((t) => t.split(' ').includes(w)).length;
    const asked = [...vocab, 'vw3x', 'vw3x', 'nowhere1', 'nowhere2', ...vocab.slice(0, 5)];
    for (const words of [asked, asked.slice(0, 65), asked.slice(60, 63), ['vw0x']]) {
      // Twice: once read, once from the caches.
      for (let pass = 0; pass < 2; pass++) {
        const { df } = await store.termStats(words);
        for (const w of words) expect([w, df.get(w)]).toEqual([w, truth(w)]);
      }
    }
  });
});

/** Recall through the store as it is, and through one that looks every word up again, one statement per word. */
describe('recall with and without the frequency shortcuts', () => {
  let dir: string;
  let store: SqliteStore;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-speed-'));
    store = new SqliteStore(dir);
    const r = rng(7);
    const words =
      'dog puppy cat kitten fruit mango apple banana car vehicle truck guitar music piano song school teacher class trip travel beach hike mountain garden flower rose book novel movie film cook recipe dinner family sister brother mother job office work paint art photo'.split(
        ' ',
      );
    const pick = () => words[Math.floor(r() * words.length)];
    const memories = Array.from({ length: 400 }, (_, i) => memory(`I ${i % 3 ? 'like' : 'saw'} the ${pick()} and the ${pick()} with my ${pick()} ${pick()}`));
    await store.commit({ memories });
  });
  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('same hits, same order, same scores', async () => {
    const db = store.db;
    const uncached: Store = Object.create(store);
    uncached.termStats = async (terms: string[]) => {
      const docCount = ((db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'memories'").get() as { seq: number } | undefined)?.seq ?? 0) as number;
      const vocab = db.prepare('SELECT doc FROM memories_vocab WHERE term = ?');
      return { docCount, df: new Map(terms.map((t) => [t, ((vocab.get(t) as { doc: number } | undefined)?.doc ?? 0) as number])) };
    };
    const silent = { warn() {}, info() {}, error() {}, debug() {} };
    const ctx = (s: Store) => ({ store: s, config: { timezone: 'UTC' }, log: silent }) as unknown as EngineContext;
    const queries = ['What fruit do I like?', 'Which pet did I see?', 'Did I play any instrument with my sister?', 'Where did my family travel?', 'What did I cook for dinner?', 'zebra quagga'];
    let found = 0;
    // Twice over: the second pass is answered from the caches the first filled.
    for (let pass = 0; pass < 2; pass++)
      for (const query of queries) {
        const req = schemas.searchMemory.parse({ user_id: 'u1', query, relativity: 0 });
        const fast = await rankForSearch(ctx(store), { projectId: 'p1' }, req);
        const slow = await rankForSearch(ctx(uncached), { projectId: 'p1' }, req);
        expect(fast.map((x) => [x.memory.id, x.score, x.relativity])).toEqual(slow.map((x) => [x.memory.id, x.score, x.relativity]));
        found += fast.length;
      }
    expect(found).toBeGreaterThan(20);
  });
});
