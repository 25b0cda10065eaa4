/**
 * Hybrid recall with an embedding model (MEMOS_EMBEDDING_MODEL), against a fake OpenAI-compatible endpoint with
 * deterministic vectors: vectors find what shares no word with the query, calls are batched and cached, and an
 * endpoint failing in the middle of ingestion costs nothing but time.
 */
import { startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings';
import { client } from '../helpers/memos-lite';
import { startTestServer, useServer } from '../helpers/server';

let fake: FakeEmbeddings;

beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(() => fake.close());
const server = useServer(() => ({ env: { MEMOS_EMBEDDING_MODEL: 'fake-embed', MEMOS_EMBEDDING_BASE_URL: fake.baseUrl } }));
const call = client(server);

const values = (d: any) => d.memory_detail_list.map((m: any) => m.memory_value as string);

async function searchUntil(user: string, query: string, pattern: RegExp, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('/search/memory', { user_id: user, query, include_preference: false });
    expect(r.body.code).toBe(0);
    const hit = r.body.data.memory_detail_list.find((m: any) => pattern.test(m.memory_value));
    if (hit || Date.now() > end) return { hit, data: r.body.data };
    await new Promise((res) => setTimeout(res, 100));
  }
}

test('vectors recall a memory that shares no word with the query', async () => {
  await call('/add/message', { user_id: 'eater', conversation_id: 'c1', messages: [{ role: 'user', content: 'I adore durian.' }, { role: 'user', content: 'My locker code is 4711.' }] });
  const { hit, data } = await searchUntil('eater', 'Which tropical fruit would I enjoy?', /durian/);
  expect(hit).toBeDefined();
  expect(hit.relativity).toBeGreaterThanOrEqual(0.45);
  // The unrelated memory is not dragged in by the vectors.
  expect(values(data).join('\n')).not.toMatch(/4711/);
});

test('lexical matches still come first when the words are there', async () => {
  const r = await call('/search/memory', { user_id: 'eater', query: 'locker code', include_preference: false });
  expect(values(r.body.data)[0]).toMatch(/4711/);
});

test('embedding calls are batched and cached', async () => {
  const before = fake.requests.length;
  const messages = Array.from({ length: 12 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `Batch line number ${i} about the garden plan.` }));
  await call('/add/message', { user_id: 'batcher', conversation_id: 'c1', messages });
  const end = Date.now() + 10_000;
  while (!fake.requests.slice(before).some((inputs) => inputs.some((t) => t.startsWith('Batch line number 11'))) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  const lines = fake.requests.slice(before).filter((inputs) => inputs.some((t) => t.startsWith('Batch line number')));
  // Twelve memories in a single request, not twelve requests.
  expect(lines.length).toBe(1);
  expect(lines[0].filter((t) => t.startsWith('Batch line number'))).toHaveLength(12);

  const query = 'what was the garden plan about, again?';
  for (let i = 0; i < 3; i++) await call('/search/memory', { user_id: 'batcher', query });
  expect(fake.requests.filter((inputs) => inputs.includes(query))).toHaveLength(1);
});

test('the endpoint failing mid-ingest loses nothing: lexical recall goes on, vectors catch up', async () => {
  await call('/add/message', { user_id: 'petowner', conversation_id: 'c1', messages: [{ role: 'user', content: 'We walk by the river every morning.' }] });
  await searchUntil('petowner', 'river walk', /river/);
  fake.failAlways(true);
  const add = await call('/add/message', { user_id: 'petowner', conversation_id: 'c2', messages: [{ role: 'user', content: 'Our hamster Biscuit sleeps all day.' }] });
  expect(add.body.code).toBe(0);
  // Writes and lexical search work while embeddings fail (the query embedding fails too).
  const lexical = await call('/search/memory', { user_id: 'petowner', query: 'Biscuit the hamster', include_preference: false });
  expect(lexical.body.code).toBe(0);
  expect(values(lexical.body.data).join('\n')).toMatch(/Biscuit/);
  // ("rodent" would not do: the concept lexicon knows a hamster is one.)
  const meaning = await call('/search/memory', { user_id: 'petowner', query: 'Tell me about our floofball.', include_preference: false });
  expect(values(meaning.body.data).join('\n')).not.toMatch(/Biscuit/);

  // The indexer has tried (and failed) to embed the new memory before the endpoint comes back.
  const end = Date.now() + 10_000;
  while (!fake.failed.some((inputs) => inputs.some((t) => /hamster Biscuit sleeps/.test(t))) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  expect(fake.failed.some((inputs) => inputs.some((t) => /hamster Biscuit sleeps/.test(t)))).toBe(true);
  fake.failAlways(false);
  const { hit } = await searchUntil('petowner', 'Tell me about our floofball.', /Biscuit/, 15_000);
  expect(hit).toBeDefined();
});

test('without a model the same question finds nothing and nothing breaks', async () => {
  const offline = await startTestServer();
  try {
    const c = client(offline);
    await c('/add/message', { user_id: 'eater', conversation_id: 'c1', messages: [{ role: 'user', content: 'I adore durian.' }], async_mode: false });
    const r = await c('/search/memory', { user_id: 'eater', query: 'Which tropical fruit would I enjoy?', include_preference: false });
    expect(r.body.code).toBe(0);
    expect(values(r.body.data).join('\n')).not.toMatch(/durian/);
  } finally {
    await offline.stop();
  }
});
