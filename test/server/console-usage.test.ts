/**
 * The console's usage figures with a language model and an embedding model configured (the suite's fakes, which
 * report token usage like OpenAI does): each model call is counted against the operation that made it (an
 * endpoint, or the background task it started), with the tokens the provider reported, and only for the
 * caller's project.
 */
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai';
import { startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

let llm: FakeOpenAI;
let emb: FakeEmbeddings;

beforeAll(async () => {
  llm = await startFakeOpenAI();
  emb = await startFakeEmbeddings();
});
afterAll(async () => {
  await llm.close();
  await emb.close();
});

const server = useServer(() => ({
  env: {
    MEMOS_LLM_BASE_URL: llm.baseUrl,
    MEMOS_LLM_API_KEY: 'sk-test',
    MEMOS_LLM_MODEL: 'fake-small',
    MEMOS_EMBEDDING_MODEL: 'fake-embed',
    MEMOS_EMBEDDING_BASE_URL: emb.baseUrl,
  },
}));

interface UsageRow {
  operation: string;
  requests: number;
  llm_calls: number;
  llm_prompt_tokens: number;
  llm_completion_tokens: number;
  embedding_calls: number;
  embedding_tokens: number;
}

const usage = async (key = server.apiKey): Promise<UsageRow[]> => {
  const res = await fetch(server.origin + '/api/console/usage', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
    body: '{}',
  });
  return ((await res.json()) as { data: { days: UsageRow[] } }).data.days;
};
const row = (rows: UsageRow[], op: string) => rows.find((r) => r.operation === op);

test('model calls and tokens per operation, as the providers reported them', async () => {
  const call = client(server);
  const before = llm.requests.length;
  const chat = await call('/chat', { user_id: 'u1', conversation_id: 'c1', query: 'What do you know about me?', add_message_on_answer: false });
  expect(chat.body.code).toBe(0);
  const chatCalls = llm.requests.length - before;
  expect(chatCalls).toBeGreaterThanOrEqual(1);

  const add = await call('/add/message', { user_id: 'u1', conversation_id: 'c1', async_mode: false, messages: [{ role: 'user', content: 'I live in Hangzhou.' }] });
  expect(add.body.code).toBe(0);
  const refineCalls = llm.requests.length - before - chatCalls;
  expect(refineCalls).toBeGreaterThanOrEqual(1);

  const embBefore = emb.requests.length;
  expect((await call('/search/memory', { user_id: 'u1', query: 'Which city do I live in?' })).body.code).toBe(0);
  expect(emb.requests.length).toBeGreaterThan(embBefore);

  const rows = await usage();
  // The fake answers every chat completion with 10 prompt and 10 completion tokens.
  expect(row(rows, '/chat')).toEqual(expect.objectContaining({ requests: 1, llm_calls: chatCalls, llm_prompt_tokens: 10 * chatCalls, llm_completion_tokens: 10 * chatCalls }));
  // Extraction runs in the write's background task and is counted there, not under /add/message.
  expect(row(rows, 'task:refine')).toEqual(expect.objectContaining({ llm_calls: refineCalls, llm_prompt_tokens: 10 * refineCalls }));
  expect(row(rows, '/add/message')?.llm_calls ?? 0).toBe(0);
  // The query's embedding is counted under the search (the fake reports one token per text).
  const search = row(rows, '/search/memory')!;
  expect(search.embedding_calls).toBeGreaterThanOrEqual(1);
  expect(search.embedding_tokens).toBeGreaterThanOrEqual(1);
  expect(search.llm_calls).toBe(0);

  // Another project sees none of it.
  const other = await server.createKey('usage-other');
  expect(await usage(other)).toEqual([]);
});

test('with embeddings on, the search playground gives each result its vector rank', async () => {
  const call = client(server);
  await call('/add/message', { user_id: 'u2', conversation_id: 'c1', async_mode: false, messages: [{ role: 'user', content: 'My dog is a corgi named Biscuit.' }] });
  type Result = { value: string; explain: { vector_rank: number | null; lexical_rank: number | null; similarity: number | null } };
  const explained = async () => {
    const res = await fetch(server.origin + '/api/console/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
      body: JSON.stringify({ user_id: 'u2', query: 'What breed is my dog?', relativity: 0 }),
    });
    return ((await res.json()) as { data: { results: Result[] } }).data.results.filter((r) => r.explain.vector_rank !== null);
  };
  // Memories get their vectors in the background, shortly after they are written.
  let ranked: Result[] = [];
  for (let i = 0; i < 100 && ranked.length === 0; i++) {
    ranked = await explained();
    if (!ranked.length) await new Promise((r) => setTimeout(r, 100));
  }
  expect(ranked.length).toBeGreaterThan(0);
  expect(ranked[0].explain.vector_rank).toBeGreaterThanOrEqual(1);
  expect(ranked[0].explain.similarity).toEqual(expect.any(Number));
});
