/**
 * The hostile inputs of issue "no request can stall the others", one by one, over real HTTP: each gets the
 * contract's code and a message naming the problem, never an internal error, in both error-status modes.
 */
import { client, startMemosLite, waitForTask } from '../helpers/memos-lite';
import { useServer, type TestServer } from '../helpers/server';

const server = useServer();
const mapped = useServer({ env: { MEMOS_HTTP_ERROR_STATUS: 'mapped' } });
const call = client(server);
const callMapped = client(mapped);

const turn = (content: string, extra: object = {}) => [{ role: 'user', content, ...extra }];

describe('identifiers must be well-formed text', () => {
  test.each(['\ud800', '\udbff', '\udfff', '\ufffd', 'ab\ud800cd'])('user_id %j → 40000, nothing stored', async (bad) => {
    const r = await call('/add/message', { user_id: bad, conversation_id: 'c', messages: turn('I like tea') });
    expect(r.body).toMatchObject({ code: 40000, data: null });
    expect(r.body.message).toMatch(/user_id: must be well-formed text.*lone UTF-16 surrogate/);
  });

  test('lone surrogates in other ids are refused too', async () => {
    for (const [p, body] of [
      ['/search/memory', { user_id: 'u', query: 'q', conversation_id: '\udc00' }],
      ['/get/status', { task_id: '\ud83d' }],
      ['/delete/memory', { memory_ids: ['ok', '\udfff'] }],
      ['/get/knowledgebase-file', { knowledgebase_id: '\ud800' }],
    ] as const) {
      const r = await call(p, body);
      expect([p, r.body.code]).toEqual([p, 40000]);
      expect(r.body.message).toMatch(/well-formed/);
    }
  });

  test('two surrogate-holding ids are not folded into one user: both refused, a real emoji id works', async () => {
    const emoji = await call('/add/message', { user_id: 'user-😀', conversation_id: 'c', messages: turn('My cat is called Miso.'), async_mode: false });
    expect(emoji.body.code).toBe(0);
    await waitForTask(call, emoji.body.data.task_id);
    const found = await call('/search/memory', { user_id: 'user-😀', query: 'what is my cat called' });
    expect(JSON.stringify(found.body.data.memory_detail_list)).toMatch(/Miso/);
    // The id that the emoji's lone high surrogate would have been stored as sees nothing.
    expect((await call('/search/memory', { user_id: 'user-\ud83d', query: 'cat' })).body.code).toBe(40000);
  });

  test('a blank user_id of spaces → 40002', async () => {
    const r = await call('/add/message', { user_id: '   ', conversation_id: 'c', messages: turn('hi') });
    expect(r.body).toMatchObject({ code: 40002, message: expect.stringMatching(/user_id: must not be blank/) });
    expect((await call('/search/memory', { user_id: '\t ', query: 'q' })).body.code).toBe(40002);
  });
});

describe('time values are range-checked', () => {
  test.each([1e20, -1e20, 1e300, 8.64e15 + 1, 253_402_300_800_000])('chat_time %p → 40000 naming the field', async (t) => {
    const r = await call('/add/message', { user_id: 'u', conversation_id: 'c', messages: turn('hi there', { chat_time: t }) });
    expect(r.body.code).toBe(40000);
    expect(r.body.message).toMatch(/messages\[0\]\.chat_time: .* not a time this server can store/);
  });

  test('feedback_time and extract chat_time too; in-range epochs in seconds and milliseconds are accepted', async () => {
    expect((await call('/add/feedback', { user_id: 'u', conversation_id: 'c', feedback_content: 'no, it is 5', feedback_time: 1e300 })).body.code).toBe(40000);
    expect((await call('/extract/memory', { messages: [{ role: 'user', content: 'I live in Oslo', chat_time: -1e20 }] })).body.code).toBe(40000);
    for (const t of [1757664000, 1757664000000, 253_402_300_799_999])
      expect((await call('/add/message', { user_id: 'u', conversation_id: 'c', messages: turn('I live in Oslo', { chat_time: t }) })).body.code).toBe(0);
  });
});

describe('base64 padding', () => {
  test('unpadded standard base64 → 40009; padded and URL-safe unpadded are accepted', async () => {
    const kb = (await call('/create/knowledgebase', { knowledgebase_name: 'b64' })).body.data.id;
    const unpadded = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: 'aGVsbG8', name: 'a.txt' }] });
    expect(unpadded.body).toMatchObject({ code: 40009, message: expect.stringMatching(/missing its '=' padding/) });
    expect((await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: 'aGVsbG8=', name: 'a.txt' }] })).body.code).toBe(0);
  });
});

describe('client mistakes never come back as 5xx in mapped mode', () => {
  test('50103 (21 files) → 400, 50123 (unlinked knowledge base) → 403, too many ids and too deep a body → 400', async () => {
    const kb = (await callMapped('/create/knowledgebase', { knowledgebase_name: 'files' })).body.data.id;
    const files = Array.from({ length: 21 }, (_, i) => ({ content: 'aGVsbG8=', name: `f${i}.txt` }));
    const many = await callMapped('/add/knowledgebase-file', { knowledgebase_id: kb, file: files });
    expect([many.status, many.body.code]).toEqual([400, 50103]);
    // A knowledge base of another project: linked there, not here.
    const other = client({ baseUrl: mapped.baseUrl, apiKey: await mapped.createKey('other-project') });
    const theirs = (await other('/create/knowledgebase', { knowledgebase_name: 'theirs' })).body.data.id;
    const unlinked = await callMapped('/search/memory', { user_id: 'u', query: 'q', knowledgebase_ids: [theirs] });
    expect([unlinked.status, unlinked.body.code]).toEqual([403, 50123]);
    const del = await callMapped('/delete/memory', { memory_ids: Array.from({ length: 40_000 }, (_, i) => `m${i}`) });
    expect([del.status, del.body.code]).toEqual([400, 40000]);
    const deep = await callMapped('/add/message', `{"user_id":"u","conversation_id":"c","messages":[{"role":"user","content":"hi"}],"info":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    expect([deep.status, deep.body.code]).toEqual([400, 40000]);
  });

  test('the hostile inputs of the issue answer 4xx in mapped mode and 200 with a 4xxxx code by default', async () => {
    const cases: Array<[string, unknown]> = [
      ['/search/memory', { user_id: 'u', query: '我喜欢吃苹果'.repeat(34_000) }],
      ['/add/message', { user_id: 'u', conversation_id: 'c', messages: turn('hi', { chat_time: 1e20 }) }],
      ['/add/message', { user_id: '\ud800', conversation_id: 'c', messages: turn('hi') }],
      ['/search/memory', { user_id: 'u', query: 'x'.repeat(300_000) }],
    ];
    for (const [p, body] of cases) {
      const a = await call(p, body);
      expect([p, a.status, a.body.code < 50000]).toEqual([p, 200, true]);
      const b = await callMapped(p, body);
      expect([p, b.status >= 400 && b.status < 500, b.body.code < 50000]).toEqual([p, true, true]);
    }
  });
});

describe('/mcp speaks JSON-RPC errors', () => {
  const mcp = (s: TestServer, body: string) =>
    fetch(s.origin + '/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${s.apiKey}` },
      body,
    });

  test('invalid JSON → -32700 parse error (not the MemOS envelope)', async () => {
    const res = await mcp(server, '{"jsonrpc":');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/Parse error/) } });
  });

  test('tools/call with arguments null → -32602 with a readable message, the request id echoed', async () => {
    const res = await mcp(server, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search_memory', arguments: null } }));
    const body = (await res.json()) as { error: { message: string } };
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32602 } });
    expect(body.error.message).toBe("Invalid params: params.arguments must be an object holding the tool's arguments (or be left out), not null");
  });

  test('initialize with bad params → -32602 naming the field, never -32603', async () => {
    const res = await mcp(server, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: 5 } }));
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/initialize: params\.protocolVersion/);
  });

  test('a body nested 5,000 levels → -32700', async () => {
    const res = await mcp(server, '['.repeat(5000) + ']'.repeat(5000));
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: -32700, message: expect.stringMatching(/nested more than 64/) });
  });
});

test('back-pressure counts finished tasks out of the backlog between two reads of the store', async () => {
  // The store's count is read once a minute here; the tasks this process finishes meanwhile must leave the backlog,
  // or the third write would find "2 waiting" when none is.
  const server = await startMemosLite({ env: { MEMOS_TASK_QUEUE_MAX: '2', MEMOS_TASK_POLL_MS: '60000' } });
  try {
    const c = client(server);
    for (const text of ['first message', 'second message', 'third message', 'fourth message']) {
      const res = await c('/add/message', { user_id: 'u', conversation_id: 'c', messages: turn(text) });
      expect(res.body).toMatchObject({ code: 0 });
      expect(await waitForTask(c, res.body.data.task_id)).toBe('completed');
    }
    const history = await c('/get/message', { user_id: 'u', conversation_id: 'c' });
    expect(JSON.stringify(history.body.data)).toMatch(/fourth message/);
  } finally {
    await server.stop();
  }
});

test('back-pressure: with the task backlog full, a write gets 40300 and stores nothing', async () => {
  // One task may wait, and none starts for a minute: the second write finds the backlog full.
  const busy = await startMemosLite({ env: { MEMOS_TASK_QUEUE_MAX: '1', MEMOS_TASK_DELAY_MS: '60000' } });
  try {
    const c = client(busy);
    expect((await c('/add/message', { user_id: 'u', conversation_id: 'c', messages: turn('first message') })).body.code).toBe(0);
    const second = await c('/add/message', { user_id: 'u', conversation_id: 'c', messages: turn('second message') });
    expect(second.body).toMatchObject({ code: 40300, message: expect.stringMatching(/busy.*nothing was written, retry/) });
    expect((await c('/add/feedback', { user_id: 'u', conversation_id: 'c', feedback_content: 'no, it was the first' })).body.code).toBe(40300);
    const history = await c('/get/message', { user_id: 'u', conversation_id: 'c' });
    expect(JSON.stringify(history.body.data)).not.toMatch(/second message/);
    expect(JSON.stringify(history.body.data)).toMatch(/first message/);
  } finally {
    await busy.stop();
  }
});
