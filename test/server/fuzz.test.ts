/**
 * Property-based fuzzing of every endpoint and of /mcp (fast-check, fixed seed, bounded run count): random and
 * adversarial bodies (wrong types, nulls, huge strings, deep nesting, lone surrogates and other unicode edge
 * cases, prototype keys, invalid JSON). For every one of them:
 *   - the answer is a client error, never an internal one: no 5xxxx code except the contract's own client-side
 *     5xxxx codes (file limits, unknown or unlinked knowledge base, unknown task), and no HTTP 5xx
 *     (the server runs with MEMOS_HTTP_ERROR_STATUS=mapped, the stricter mode);
 *   - it comes within 1 s;
 * and meanwhile /health keeps answering, and a memory written before the fuzzing is still recalled after it.
 */
import fc from 'fast-check';
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

jest.setTimeout(120_000);

const server = useServer({ env: { MEMOS_HTTP_ERROR_STATUS: 'mapped' } });
const call = client(server);
let paths: string[];
let kbId: string;

/** 5xxxx codes the contract assigns to client mistakes (contract §1.5). */
const CLIENT_5XXXX = new Set([50103, 50104, 50105, 50107, 50120, 50123, 50131]);
const KEEPER = { user_id: 'fuzz-keeper', conversation_id: 'keeper-conv' };
const SEED = 20261202;

beforeAll(async () => {
  const w = await call('/add/message', { ...KEEPER, messages: [{ role: 'user', content: 'My sister Aurelia lives in Porto and teaches violin.' }], async_mode: false });
  expect(w.body.code).toBe(0);
  await waitForTask(call, w.body.data.task_id);
  kbId = (await call('/create/knowledgebase', { knowledgebase_name: 'fuzz' })).body.data.id;
  // Every POST endpoint the server publishes, so a new one is fuzzed without editing this file.
  const doc = (await (await fetch(server.origin + '/openapi/full.json')).json()) as { paths: Record<string, Record<string, unknown>>; servers?: Array<{ url: string }> };
  const prefix = new URL(doc.servers?.[0]?.url ?? server.baseUrl).pathname.replace(/\/$/, '');
  paths = Object.entries(doc.paths)
    .filter(([, ops]) => 'post' in ops)
    .map(([p]) => (p.startsWith(prefix) ? p.slice(prefix.length) : p))
    .filter((p) => !p.includes('{'));
  expect(paths).toEqual(expect.arrayContaining(['/add/message', '/search/memory', '/delete/memory', '/add/knowledgebase-file', '/chat']));
});

const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const FIELD_NAMES = [
  'user_id', 'conversation_id', 'query', 'messages', 'memory_ids', 'filter', 'info', 'tags', 'knowledgebase_id', 'knowledgebase_ids',
  'allow_knowledgebase_ids', 'file', 'file_ids', 'documents', 'feedback_content', 'task_id', 'chat_time', 'feedback_time', 'relativity',
  'memory_limit_number', 'page', 'size', 'async_mode', 'stream', 'agent_id', 'app_id', 'content', 'role', 'type', 'name', 'model',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
];
const edgeStrings = fc.constantFrom(
  '', ' ', '   ', '\u0000', '\ud800', '\udbff', '\udfff', '\ufffd', 'a\ud800b', '\u202e', '\u200b', '😀'.repeat(50), 'e\u0301', '<script>',
  "'; DROP TABLE memories; --", '" OR 1=1', 'NEAR(a b)', '"unbalanced', '*', 'a'.repeat(70_000), '词'.repeat(60_000), 'x-'.repeat(30_000),
  Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' '), 'aGVsbG8', 'aGVsbG8=', 'data:text/plain;base64,aGVsbG8=', 'all', '1e20', '-1', 'KB_ID',
);
const edgeNumbers = fc.constantFrom(0, -0, -1, 1, 0.5, 1e20, -1e20, 1e300, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 1e-300);
/** 1,001 ids (one over the limit), shown as such in a counterexample instead of in full. */
const MANY_IDS = Object.assign(Array.from({ length: 1001 }, (_, i) => `id-${i}`), { [fc.toStringMethod]: () => '[1001 ids]' });
const scalar = fc.oneof(edgeStrings, edgeNumbers, fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('v'), { maxKeys: 4 }),
    fc.constant(MANY_IDS),
    fc.constant([{ role: 'user', content: 'hi', chat_time: 1e300 }]),
    fc.constant([{ content: 'aGVsbG8', name: 'a.txt' }]),
  ),
})).v;
/** Valid requests, one field of which the fuzzer then replaces: these reach the engine, not only validation. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  '/add/message': { user_id: 'fz', conversation_id: 'c', messages: [{ role: 'user', content: 'I like green tea', chat_time: '2025-09-12 08:00' }], async_mode: false },
  '/search/memory': { user_id: 'fz', query: 'what tea do I like', knowledgebase_ids: 'all' },
  '/chat': { user_id: 'fz', conversation_id: 'c', query: 'what do I like to drink' },
  '/add/feedback': { user_id: 'fz', conversation_id: 'c', feedback_content: 'I prefer black tea, not green tea', async_mode: false },
  '/get/memory': { user_id: 'fz', page: 1, size: 10 },
  '/get/message': { user_id: 'fz', conversation_id: 'c' },
  '/extract/memory': { messages: [{ role: 'user', content: 'I live in Oslo' }] },
  '/rerank': { query: 'tea', documents: ['green tea', 'coffee'] },
  '/add/knowledgebase-file': { knowledgebase_id: 'KB_ID', file: [{ content: 'aGVsbG8gd29ybGQ=', name: 'a.txt' }] },
  '/get/knowledgebase-file': { knowledgebase_id: 'KB_ID' },
  '/delete/memory': { memory_ids: ['no-such-memory'] },
};
const mutated = fc
  .tuple(fc.constantFrom(...Object.keys(TEMPLATES)), fc.constantFrom(...FIELD_NAMES, 'messages.0.content', 'messages.0.chat_time', 'file.0.content'), value)
  .map(([p, field, v]) => {
    const b = JSON.parse(JSON.stringify(TEMPLATES[p])) as Record<string, any>;
    const [top, i, leaf] = field.split('.');
    if (leaf && Array.isArray(b[top])) b[top][Number(i)][leaf] = v;
    else if (!leaf) b[top] = v;
    return { path: p, text: JSON.stringify(b) };
  });

/** A body: a random object over the endpoints' field names, or a raw text that is not a valid request at all. */
const body = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '{',
      '{"user_id":',
      'null',
      '[]',
      '"text"',
      deep(70),
      deep(5000),
      '['.repeat(100_000) + ']'.repeat(100_000),
      '{"__proto__":{"admin":true},"user_id":"u","query":"q"}',
      '{"constructor":{"prototype":{"polluted":1}},"user_id":"u","query":"q"}',
      '{"user_id":"\\ud800","query":"q"}',
      `{"user_id":"u","query":"q","info":${deep(200)}}`,
    ),
  },
);

async function post(url: string, text: string, headers: Record<string, string> = {}) {
  const t = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}`, accept: 'application/json, text/event-stream', ...headers },
    body: text,
    signal: AbortSignal.timeout(10_000),
  });
  const raw = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  return { status: res.status, body: parsed, raw, ms: performance.now() - t };
}

/** Polls /health every 50 ms while `work` runs; the slowest answer. */
async function withHealthWatch(work: () => Promise<void>): Promise<number> {
  let running = true;
  let worst = 0;
  const watch = (async () => {
    while (running) {
      const t = performance.now();
      const r = await fetch(server.origin + '/health');
      expect(r.status).toBe(200);
      worst = Math.max(worst, performance.now() - t);
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await watch;
  }
  return worst;
}

// An SSE answer (chat with stream:true) is a client-acceptable reply: its frames are checked for error codes.
function codesOf(r: { body: any; raw: string }): number[] {
  if (r.body && typeof r.body === 'object' && typeof r.body.code === 'number') return [r.body.code];
  return [...r.raw.matchAll(/"code":\s*(\d+)/g)].map((m) => Number(m[1]));
}

test('every endpoint answers random and adversarial bodies with a client error, within 1 s, /health responsive', async () => {
  const slow: string[] = [];
  const worstHealth = await withHealthWatch(async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.record({ path: fc.constantFrom(...paths), text: body }), mutated), async ({ path: p, text }) => {
        const r = await post(server.baseUrl + p, text.replace('"KB_ID"', JSON.stringify(kbId)));
        if (r.ms > 1000) slow.push(`${p} ${Math.round(r.ms)} ms: ${text.slice(0, 120)}`);
        expect(r.status).toBeLessThan(500);
        for (const code of codesOf(r)) if (code >= 50000) expect(CLIENT_5XXXX.has(code) ? code : `${code} ${r.raw.slice(0, 300)}`).toBe(code);
      }),
      { seed: SEED, numRuns: 1200, endOnFailure: true },
    );
  });
  expect(slow).toEqual([]);
  expect(worstHealth).toBeLessThan(1000);
});

test('/mcp answers random JSON-RPC with JSON-RPC errors, never an internal error', async () => {
  const tools = ['search_memory', 'add_message', 'add_feedback', 'chat_with_memory', 'create_knowledge_base', 'add_kb_document', 'get_kb_documents', 'nope'];
  const rpc = fc.record(
    {
      jsonrpc: fc.oneof(fc.constant('2.0'), scalar),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null)),
      method: fc.oneof(fc.constantFrom('tools/call', 'tools/list', 'initialize', 'ping', 'resources/list'), scalar),
      params: fc.oneof(fc.record({ name: fc.oneof(fc.constantFrom(...tools), scalar), arguments: value }, { requiredKeys: [] }), scalar),
    },
    { requiredKeys: [] },
  );
  const text = fc.oneof({ weight: 5, arbitrary: rpc.map((m) => JSON.stringify(m)) }, { weight: 1, arbitrary: body });
  const worstHealth = await withHealthWatch(async () => {
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const r = await post(server.origin + '/mcp', t);
        expect(r.ms).toBeLessThan(1000);
        expect(r.status).toBeLessThan(500);
        // A JSON-RPC reply (or an empty 202 for a notification), never the MemOS envelope, never -32603.
        if (r.raw) {
          const replies = (Array.isArray(r.body) ? r.body : [r.body]) as Array<{ jsonrpc?: string; error?: { code: number; message: string } }>;
          for (const reply of replies) {
            expect(reply?.jsonrpc).toBe('2.0');
            if (reply.error) expect(reply.error.code).not.toBe(-32603);
          }
        }
      }),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
  });
  expect(worstHealth).toBeLessThan(1000);
});

test('the memory written before the fuzzing is still recalled after it', async () => {
  const r = await call('/search/memory', { user_id: KEEPER.user_id, query: 'Where does my sister Aurelia live?' });
  expect(r.body.code).toBe(0);
  const values = r.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value).join(' | ');
  expect(values).toMatch(/Aurelia/);
  expect(values).toMatch(/Porto/);
});
