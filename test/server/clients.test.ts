/**
 * MemTensor's own MemOS clients against memos-lite, unchanged: each request below is shaped exactly as that client
 * sends it (read from the clients' public sources; the fixtures are ours). The Python SDK (MemOSClient) sends every
 * keyword argument, with null when unset; the `memos` CLI adds `source`/`framework` to every JSON body and probes
 * GET /ping; the memos-api-mcp server adds `source`, stamps messages with a naive local `chat_time` and pages with
 * `current`; the OpenClaw plugin sends its option defaults; the Coze store plugin sends numbers as strings.
 * Every test asserts on what the client reads back.
 */
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

/** GET with the key, as the SDK's get_memory_by_id and the CLI's `origin` and `init` do. */
async function get(pathName: string) {
  const res = await fetch(server.baseUrl + pathName, { headers: { authorization: `Token ${server.apiKey}` } });
  return { status: res.status, body: (await res.json()) as any };
}

// ---------------------------------------------------------------- Python SDK (memos.api.client.MemOSClient) bodies
const sdk = {
  addMessage: (a: { messages: unknown[]; user_id?: string | null; conversation_id?: string | null; agent_id?: string | null; async_mode?: boolean }) => ({
    messages: a.messages,
    user_id: a.user_id ?? null,
    conversation_id: a.conversation_id ?? null,
    info: null,
    source: null,
    app_id: null,
    agent_id: a.agent_id ?? null,
    allow_public: false,
    allow_knowledgebase_ids: null,
    allow_memory_view: null,
    tags: null,
    async_mode: a.async_mode ?? true,
  }),
  searchMemory: (a: { query: string; user_id?: string | null; agent_id?: string | null; knowledgebase_ids?: string[] | null }) => ({
    query: a.query,
    user_id: a.user_id ?? null,
    conversation_id: null,
    agent_id: a.agent_id ?? null,
    memory_limit_number: 6,
    include_preference: true,
    knowledgebase_ids: a.knowledgebase_ids ?? null,
    filter: null,
    preference_limit_number: 6,
    tool_memory_limit_number: 6,
    relativity: null,
    include_skill: false,
    skill_limit_number: 6,
    include_memory_view: null,
    context_format: 'memory',
    source: null,
    include_tool_memory: false,
  }),
  getMemory: (a: { user_id?: string | null; agent_id?: string | null; page?: number }) => ({
    include_preference: true,
    user_id: a.user_id ?? null,
    agent_id: a.agent_id ?? null,
    include_tool_memory: true,
    include_memory_view: null,
    filter: null,
    page: a.page ?? 1,
    size: 10,
  }),
  chat: (a: { user_id: string; conversation_id: string; query: string; stream?: boolean; knowledgebase_ids?: string[] | null }) => ({
    user_id: a.user_id,
    conversation_id: a.conversation_id,
    query: a.query,
    internet_search: false,
    force_stop: false,
    use_mem_os_cube: false,
    source: null,
    system_prompt: null,
    model_name: null,
    knowledgebase_ids: a.knowledgebase_ids ?? null,
    filter: null,
    add_message_on_answer: true,
    app_id: null,
    agent_id: null,
    async_mode: true,
    tags: null,
    info: null,
    allow_public: false,
    allow_knowledgebase_ids: null,
    max_tokens: 8192,
    temperature: 0.7,
    top_p: 0.95,
    include_preference: true,
    preference_limit_number: 6,
    memory_limit_number: 6,
    stream: a.stream ?? false,
    include_tool_memory: false,
    tool_memory_limit_number: 6,
    relativity: null,
  }),
};

/** What the CLI's transport adds to every JSON body. */
const cliBody = (body: Record<string, unknown>) => ({ ...body, source: 'memos-cli', framework: 'openclaw' });
/** What memos-api-mcp adds to every body. */
const mcpBody = (body: Record<string, unknown>) => ({ ...body, source: 'MODELSCOPE' });
/** memos-api-mcp's chat_time: local time without a zone, with milliseconds (dayjs "YYYY-MM-DD HH:mm:ss.SSS"). */
const naiveLocalTime = (d = new Date()) => {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
};

const values = (data: any) => [...(data.memory_detail_list ?? [])].map((m: any) => m.memory_value).join('\n');

async function remember(user: string, text: string, conv = 'conv-1') {
  const r = await call('/add/message', sdk.addMessage({ user_id: user, conversation_id: conv, messages: [{ role: 'user', content: text }], async_mode: false }));
  expect(r.body).toMatchObject({ code: 0, data: { success: true, status: 'completed' } });
  return r.body.data.task_id as string;
}

async function someMemoryId(user: string, pattern: RegExp): Promise<string> {
  const r = await call('/get/memory', sdk.getMemory({ user_id: user }));
  const m = r.body.data.memory_detail_list.find((x: any) => pattern.test(x.memory_value));
  expect(m).toBeDefined();
  return m.id;
}

describe('Python SDK (MemOSClient), every optional key present as null', () => {
  test('add_message + search_memory: the Shanghai move is recalled', async () => {
    const add = await call(
      '/add/message',
      sdk.addMessage({ user_id: 'sdk-u1', conversation_id: 'c-0601', messages: [{ role: 'user', content: 'I moved to Shanghai last month.', chat_time: '2025-06-01 10:00:00' }] }),
    );
    expect(add.body).toMatchObject({ code: 0, message: 'ok', data: { success: true, status: 'running' } });
    expect(await waitForTask(call, add.body.data.task_id)).toBe('completed');
    const s = await call('/search/memory', sdk.searchMemory({ user_id: 'sdk-u1', query: 'Where do I live now?' }));
    expect(s.body.code).toBe(0);
    expect(values(s.body.data)).toMatch(/Shanghai/);
    // The SDK's response model reads these lists and a string preference_note.
    expect(Array.isArray(s.body.data.preference_detail_list)).toBe(true);
    expect(typeof s.body.data.preference_note).toBe('string');
  });

  test('get_task_status: data carries task_id and status', async () => {
    const task = await remember('sdk-u2', 'My favourite tea is Longjing.');
    const r = await call('/get/status', { task_id: task });
    expect(r.body).toMatchObject({ code: 0, data: { task_id: task, status: 'completed' } });
  });

  test('get_message with conversation_limit_number, message_limit_number and source null', async () => {
    await remember('sdk-u3', 'I am training for a marathon.', 'run-1');
    const r = await call('/get/message', { user_id: 'sdk-u3', conversation_id: 'run-1', conversation_limit_number: null, message_limit_number: null, source: null });
    expect(r.body.code).toBe(0);
    expect(r.body.data.message_detail_list.map((m: any) => m.content)).toEqual(['I am training for a marathon.']);
  });

  test('get_memory pages by page/size, with filter and include_memory_view null', async () => {
    await remember('sdk-u4', 'My dog is called Max.');
    const r = await call('/get/memory', sdk.getMemory({ user_id: 'sdk-u4' }));
    expect(r.body).toMatchObject({ code: 0, data: { current: 1, size: 10 } });
    expect(values(r.body.data)).toMatch(/Max/);
    expect(r.body.data.profile_detail_list).toEqual([]);
  });

  test('get_memory_by_id: GET /get/memory/{id} returns the memory and its source messages', async () => {
    await remember('sdk-u5', 'I am allergic to peanuts.', 'health-1');
    const id = await someMemoryId('sdk-u5', /peanut/);
    const r = await get(`/get/memory/${encodeURIComponent(id)}`);
    expect(r.body.code).toBe(0);
    const d = r.body.data;
    expect(d.id).toBe(id);
    expect(d.memory).toMatch(/peanut/);
    expect(d.metadata).toMatchObject({ status: 'activated', user_id: 'sdk-u5', session_id: 'health-1' });
    expect(d.metadata.sources[0]).toMatchObject({ role: 'user', content: 'I am allergic to peanuts.' });
    expect(typeof d.metadata.memory_type).toBe('string');
    expect(Date.parse(d.metadata.created_at)).toBeGreaterThan(0);
    expect(Date.parse(d.metadata.updated_at)).toBeGreaterThan(0);
    expect(Array.isArray(d.metadata.tags)).toBe(true);
  });

  test('get_memory_by_id / update_memory: an unknown id, and another project\'s id, are 40001 (and nothing changes)', async () => {
    expect((await get('/get/memory/no-such-memory')).body).toMatchObject({ code: 40001, data: null });
    await remember('sdk-u5b', 'My locker code is 4417.');
    const id = await someMemoryId('sdk-u5b', /4417/);
    const other = await server.createKey('clients-other');
    const foreign = await fetch(`${server.baseUrl}/get/memory/${id}`, { headers: { authorization: `Token ${other}` } }).then((r) => r.json() as Promise<any>);
    expect(foreign).toMatchObject({ code: 40001, data: null });
    const edit = await call('/update/memory', { memory_id: id, content: 'hijacked', title: null, status: null }, { authorization: `Token ${other}` });
    expect(edit.body.code).toBe(40001);
    expect((await get(`/get/memory/${id}`)).body.data.memory).toMatch(/4417/);
  });

  test('get_memory_by_id reads a passage of a linked knowledge base; a project without the link gets 40001', async () => {
    const kb = (await call('/create/knowledgebase', { knowledgebase_name: 'Lockers', knowledgebase_description: null })).body.data.id;
    const add = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: 'Lockers on floor 3 open with the staff badge.', name: 'lockers.txt' }] });
    await waitForFile(add.body.data[0].id);
    const s = await call('/search/memory', sdk.searchMemory({ user_id: 'kb-reader', query: 'how do lockers open?', knowledgebase_ids: [kb] }));
    const passage = s.body.data.memory_detail_list.find((m: any) => m.knowledgebase_id === kb);
    expect((await get(`/get/memory/${passage.id}`)).body.data).toMatchObject({ id: passage.id, memory: expect.stringMatching(/staff badge/) });
    const other = await server.createKey('clients-other');
    const foreign = await fetch(`${server.baseUrl}/get/memory/${passage.id}`, { headers: { authorization: `Token ${other}` } }).then((r) => r.json() as Promise<any>);
    expect(foreign.code).toBe(40001);
    // A passage is corrected through its file, not edited in place.
    expect((await call('/update/memory', { memory_id: passage.id, content: 'x' })).body.code).toBe(40000);
  });

  test('update_memory edits in place, keeps the id, and the old text stays as an archived version', async () => {
    await remember('sdk-u6', 'I drive a red car.');
    const id = await someMemoryId('sdk-u6', /red car/);
    const r = await call('/update/memory', { memory_id: id, content: 'The user drives a blue car.', title: null, status: null });
    expect(r.body).toMatchObject({ code: 0, data: { success: true, memory_id: id } });
    const after = await get(`/get/memory/${id}`);
    expect(after.body.data).toMatchObject({ id, memory: 'The user drives a blue car.' });
    const s = await call('/search/memory', sdk.searchMemory({ user_id: 'sdk-u6', query: 'what colour is my car?' }));
    const found = s.body.data.memory_detail_list.find((m: any) => m.id === id);
    expect(found.memory_value).toBe('The user drives a blue car.');
    // Asking about the past reaches the archived version.
    const before = await call('/search/memory', sdk.searchMemory({ user_id: 'sdk-u6', query: 'what car did I drive before?' }));
    expect(values(before.body.data)).toMatch(/red car/);
  });

  test('update_memory: status archived takes it out of recall, activated brings it back; a title alone retitles', async () => {
    await remember('sdk-u7', 'I collect vintage stamps.');
    const id = await someMemoryId('sdk-u7', /stamps/);
    expect((await call('/update/memory', { memory_id: id, content: null, title: null, status: 'archived' })).body.code).toBe(0);
    let s = await call('/search/memory', sdk.searchMemory({ user_id: 'sdk-u7', query: 'stamps' }));
    expect(s.body.data.memory_detail_list.map((m: any) => m.id)).not.toContain(id);
    expect((await call('/update/memory', { memory_id: id, content: null, title: 'Hobby', status: 'activated' })).body.code).toBe(0);
    s = await call('/search/memory', sdk.searchMemory({ user_id: 'sdk-u7', query: 'stamps' }));
    expect(s.body.data.memory_detail_list.find((m: any) => m.id === id)).toMatchObject({ memory_key: 'Hobby' });
  });

  test('update_memory: nothing to change is 40002, an unknown id 40001, a bad status 40000', async () => {
    expect((await call('/update/memory', { memory_id: 'x', content: null, title: null, status: null })).body.code).toBe(40002);
    expect((await call('/update/memory', { memory_id: 'no-such', content: 'x', title: null, status: null })).body.code).toBe(40001);
    expect((await call('/update/memory', { memory_id: 'x', status: 'deleted' })).body.code).toBe(40000);
  });

  test('add_feedback with agent_id, app_id, feedback_time and allow_knowledgebase_ids null', async () => {
    await remember('sdk-u8', 'I like apples and dislike bananas.', 'fruit');
    const r = await call('/add/feedback', {
      feedback_content: 'Actually I like mangosteens now.',
      user_id: 'sdk-u8',
      conversation_id: 'fruit',
      agent_id: null,
      app_id: null,
      feedback_time: null,
      allow_public: false,
      allow_knowledgebase_ids: null,
    });
    expect(r.body).toMatchObject({ code: 0, data: { success: true } });
    expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
    const s = await call('/search/memory', sdk.searchMemory({ user_id: 'sdk-u8', query: 'which fruit do I like?' }));
    expect(values(s.body.data)).toMatch(/mangosteen/i);
  });

  test('extract_memory with extraction_types and model null', async () => {
    const r = await call('/extract/memory', { messages: [{ role: 'user', content: 'I am Alex, a backend developer in Hangzhou.' }], extraction_types: null, model: null });
    expect(r.body.code).toBe(0);
    expect(r.body.data.memory_detail_list.map((m: any) => m.memory_value).join(' ')).toMatch(/Hangzhou/);
    expect(r.body.data.preference_detail_list).toBeInstanceOf(Array);
  });

  test('rerank with model and top_n null', async () => {
    const r = await call('/rerank', { query: 'hobbies', documents: ['I play badminton as a hobby', 'The sky is blue'], model: null, top_n: null });
    expect(r.body.results[0]).toMatchObject({ index: 0, document: { text: 'I play badminton as a hobby' } });
    expect(r.body.results).toHaveLength(2);
  });

  test('delete_memory by memory_ids, by user_id, by agent_id, and by filter with memory_type', async () => {
    await remember('sdk-del1', 'I have a cat named Tom.');
    const id = await someMemoryId('sdk-del1', /Tom/);
    expect((await call('/delete/memory', { memory_ids: [id] })).body).toMatchObject({ code: 0, data: { success: true } });
    expect((await get(`/get/memory/${id}`)).body.code).toBe(40001);

    await remember('sdk-del2', 'I have a parrot.');
    expect((await call('/delete/memory', { user_id: 'sdk-del2' })).body).toMatchObject({ code: 0, data: { success: true } });
    expect((await call('/get/memory', sdk.getMemory({ user_id: 'sdk-del2' }))).body.data.memory_detail_list).toEqual([]);

    await call('/add/message', sdk.addMessage({ agent_id: 'sdk-agent-del', conversation_id: 'a1', messages: [{ role: 'user', content: 'Remember the launch date is May 5.' }], async_mode: false }));
    expect((await call('/delete/memory', { agent_id: 'sdk-agent-del' })).body).toMatchObject({ code: 0, data: { success: true } });
    expect((await call('/get/memory', sdk.getMemory({ agent_id: 'sdk-agent-del' }))).body.data.memory_detail_list).toEqual([]);

    await call('/add/message', { ...sdk.addMessage({ user_id: 'sdk-del3', conversation_id: 'c', messages: [{ role: 'user', content: 'I play chess on Sundays.' }], async_mode: false }), info: { scene: 'wipe-me' } });
    await call('/add/message', { ...sdk.addMessage({ user_id: 'sdk-del4', conversation_id: 'c', messages: [{ role: 'user', content: 'I play go on Sundays.' }], async_mode: false }), info: { scene: 'keep-me' } });
    const byFilter = await call('/delete/memory', { filter: { and: [{ scene: 'wipe-me' }] }, memory_type: 'WorkingMemory' });
    expect(byFilter.body).toMatchObject({ code: 0, data: { success: true } });
    expect(byFilter.body.data.deleted_count).toBeGreaterThan(0);
    const left3 = (await call('/get/memory', sdk.getMemory({ user_id: 'sdk-del3' }))).body.data.memory_detail_list;
    expect(left3.every((m: any) => m.memory_type !== 'WorkingMemory')).toBe(true);
    expect(values((await call('/get/memory', sdk.getMemory({ user_id: 'sdk-del4' }))).body.data)).toMatch(/go on Sundays/);
  });

  test('delete_memory: an empty filter is refused (40000), two modes at once are 40000', async () => {
    expect((await call('/delete/memory', { filter: {} })).body.code).toBe(40000);
    expect((await call('/delete/memory', { user_id: 'a', agent_id: 'b' })).body.code).toBe(40000);
  });

  test('chat with every optional key (ten of them null) answers from memory', async () => {
    await remember('sdk-chat', 'My daughter is called Lily.');
    const r = await call('/chat', sdk.chat({ user_id: 'sdk-chat', conversation_id: 'chat-1', query: "What is my daughter's name?" }));
    expect(r.body.code).toBe(0);
    expect(r.body.data.response).toMatch(/Lily/);
  });

  test('chat with stream true: a failure arrives as an SSE error frame with the MemOS code', async () => {
    const res = await fetch(server.baseUrl + '/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
      body: JSON.stringify(sdk.chat({ user_id: 'sdk-chat', conversation_id: 'chat-2', query: 'hello', stream: true, knowledgebase_ids: ['kb-not-linked'] })),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const frames = (await res.text())
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => JSON.parse(l.slice(5)));
    expect(frames).toEqual([{ type: 'error', code: 50120, message: expect.stringMatching(/kb-not-linked/) }]);
  });

  test('chat with stream true and a missing query: the 40002 comes as a frame too; a bad key as 40132', async () => {
    const stream = async (body: unknown, key = server.apiKey) => {
      const res = await fetch(server.baseUrl + '/chat', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Token ${key}` }, body: JSON.stringify(body) });
      return (await res.text()).split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)));
    };
    expect(await stream({ ...sdk.chat({ user_id: 'u', conversation_id: 'c', query: '', stream: true }), query: null })).toEqual([{ type: 'error', code: 40002, message: expect.any(String) }]);
    expect((await stream(sdk.chat({ user_id: 'u', conversation_id: 'c', query: 'hi', stream: true }), 'mpg-wrong'))[0]).toMatchObject({ type: 'error', code: 40132 });
    // A successful stream still ends with its end frame.
    const ok = await stream(sdk.chat({ user_id: 'sdk-chat', conversation_id: 'chat-3', query: "What is my daughter's name?", stream: true }));
    expect(ok[ok.length - 1]).toEqual({ type: 'end' });
    expect(ok.filter((f) => f.type === 'text').map((f) => f.data).join('')).toMatch(/Lily/);
  });

  test('required fields sent as null stay 40002; a wrong type stays 40000', async () => {
    expect((await call('/add/message', sdk.addMessage({ user_id: 'u', conversation_id: null, messages: [{ role: 'user', content: 'hi' }] }))).body.code).toBe(40002);
    expect((await call('/search/memory', { ...sdk.searchMemory({ user_id: 'u', query: 'x' }), query: null })).body.code).toBe(40002);
    expect((await call('/search/memory', { ...sdk.searchMemory({ user_id: 'u', query: 'x' }), memory_limit_number: 'six' })).body.code).toBe(40000);
    expect((await call('/search/memory', { ...sdk.searchMemory({ user_id: 'u', query: 'x' }), include_preference: 'yes' })).body.code).toBe(40000);
    expect((await call('/search/memory', sdk.searchMemory({ query: 'x' }))).body.code).toBe(40002);
  });
});

describe('Python SDK: agent-level memory (agent_id instead of user_id)', () => {
  test('an agent\'s memories are written, searched and listed by agent_id, and isolated from users', async () => {
    const add = await call(
      '/add/message',
      sdk.addMessage({ agent_id: 'health_assistant', conversation_id: 'h1', messages: [{ role: 'user', content: 'I ran 5 km today and my knee is sore.' }], async_mode: false }),
    );
    expect(add.body).toMatchObject({ code: 0, data: { success: true } });
    const s = await call('/search/memory', sdk.searchMemory({ agent_id: 'health_assistant', query: 'how is my knee?' }));
    expect(values(s.body.data)).toMatch(/knee/);
    const g = await call('/get/memory', sdk.getMemory({ agent_id: 'health_assistant' }));
    expect(values(g.body.data)).toMatch(/knee/);
    const id = g.body.data.memory_detail_list[0].id;
    expect((await get(`/get/memory/${id}`)).body.data.metadata).toMatchObject({ user_id: null, agent_id: 'health_assistant' });
    // A user, even one named like the agent, does not see them; the agent does not see users' memories.
    for (const user of ['health_assistant', 'sdk-u1']) {
      const u = await call('/search/memory', sdk.searchMemory({ user_id: user, query: 'how is my knee?' }));
      expect(values(u.body.data)).not.toMatch(/knee/);
    }
    const a = await call('/search/memory', sdk.searchMemory({ agent_id: 'health_assistant', query: 'Where do I live now?' }));
    expect(values(a.body.data)).not.toMatch(/Shanghai/);
    // Another agent sees nothing of it.
    const other = await call('/search/memory', sdk.searchMemory({ agent_id: 'travel_assistant', query: 'how is my knee?' }));
    expect(values(other.body.data)).not.toMatch(/knee/);
  });

  test('search with both user_id and agent_id is 40000; a user id with the reserved prefix is refused', async () => {
    expect((await call('/search/memory', sdk.searchMemory({ user_id: 'u', agent_id: 'a', query: 'x' }))).body.code).toBe(40000);
    expect((await call('/search/memory', sdk.searchMemory({ user_id: '\u0001agent:health_assistant', query: 'knee' }))).body.code).toBe(40000);
  });
});

describe('Python SDK: knowledge bases', () => {
  let kb = '';
  test('create_knowledgebase with knowledgebase_description null', async () => {
    const r = await call('/create/knowledgebase', { knowledgebase_name: 'Returns', knowledgebase_description: null });
    expect(r.body.code).toBe(0);
    kb = r.body.data.id;
    expect(kb).toBeTruthy();
  });

  test('add_knowledgebase_file_form: multipart/form-data with knowledgebase_id in the query string; the file becomes searchable', async () => {
    const form = new FormData();
    form.append('file', new Blob(['# Return policy\n\nHeadphones can be returned within 7 days of receipt, no reason needed.\n'], { type: 'text/markdown' }), 'returns.md');
    const res = await fetch(`${server.baseUrl}/add/knowledgebase-file?knowledgebase_id=${encodeURIComponent(kb)}`, {
      method: 'POST',
      headers: { authorization: `Token ${server.apiKey}` },
      body: form,
    });
    const body = (await res.json()) as any;
    expect(body.code).toBe(0);
    expect(body.data).toEqual([expect.objectContaining({ name: 'returns.md', type: 'document' })]);
    await waitForFile(body.data[0].id);
    const s = await call('/search/memory', sdk.searchMemory({ user_id: 'kb-user', query: 'can I return headphones?', knowledgebase_ids: [kb] }));
    expect(values(s.body.data)).toMatch(/7 days/);
  });

  test('add_knowledgebase_file_form: more than 20 files is 50103; a form without knowledgebase_id is 40002', async () => {
    const form = new FormData();
    for (let i = 0; i < 21; i++) form.append('file', new Blob(['text ' + i], { type: 'text/plain' }), `f${i}.txt`);
    const res = await fetch(`${server.baseUrl}/add/knowledgebase-file?knowledgebase_id=${kb}`, { method: 'POST', headers: { authorization: `Token ${server.apiKey}` }, body: form });
    expect(((await res.json()) as any).code).toBe(50103);
    const one = new FormData();
    one.append('file', new Blob(['hello there'], { type: 'text/plain' }), 'a.txt');
    const res2 = await fetch(`${server.baseUrl}/add/knowledgebase-file`, { method: 'POST', headers: { authorization: `Token ${server.apiKey}` }, body: one });
    expect(((await res2.json()) as any).code).toBe(40002);
  });

  test('add_knowledgebase_file_json, get_knowledgebase_file (both modes, other keys null), delete_knowledgebase_file', async () => {
    const add = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: Buffer.from('Fresh goods cannot be returned; we offer compensation.').toString('base64'), name: 'fresh.txt' }] });
    expect(add.body.code).toBe(0);
    const fileId = add.body.data[0].id;
    await waitForFile(fileId);
    const detail = await call('/get/knowledgebase-file', { file_ids: [fileId], knowledgebase_id: null, type: null, page: null, page_size: null });
    expect(detail.body.data.file_detail_list).toEqual([expect.objectContaining({ id: fileId, name: 'fresh.txt', status: 'completed' })]);
    const list = await call('/get/knowledgebase-file', { file_ids: null, knowledgebase_id: kb, type: null, page: null, page_size: null });
    expect(list.body.data).toMatchObject({ page: 1 });
    expect(list.body.data.file_detail_list.map((f: any) => f.name)).toEqual(expect.arrayContaining(['returns.md', 'fresh.txt']));
    // `current` pages like `page`.
    const [p1, p2] = await Promise.all([1, 2].map((current) => call('/get/knowledgebase-file', { knowledgebase_id: kb, current, page_size: 1 })));
    expect(p2.body.data.page).toBe(2);
    expect(p2.body.data.file_detail_list[0].id).not.toBe(p1.body.data.file_detail_list[0].id);
    expect((await call('/delete/knowledgebase-file', { file_ids: [fileId] })).body).toMatchObject({ code: 0, data: { success: true } });
  });

  test('delete_knowledgebase', async () => {
    const r = await call('/create/knowledgebase', { knowledgebase_name: 'Temp', knowledgebase_description: null });
    expect((await call('/delete/knowledgebase', { knowledgebase_id: r.body.data.id })).body).toMatchObject({ code: 0, data: { success: true } });
  });
});

async function waitForFile(id: string) {
  const end = Date.now() + 15_000;
  for (;;) {
    const r = await call('/get/knowledgebase-file', { file_ids: [id] });
    const status = r.body.data?.file_detail_list?.[0]?.status;
    if (status === 'completed') return;
    if (status === 'failed' || Date.now() > end) throw new Error(`file ${id}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

// ---------------------------------------------------------------- memos CLI (MemOS-Cloud-CLI)
describe('memos CLI', () => {
  test('init: GET /ping answers with the key', async () => {
    const r = await get('/ping');
    expect(r.body).toMatchObject({ code: 0, data: { status: 'ok' } });
    expect((await fetch(server.baseUrl + '/ping', { headers: { authorization: 'Token mpg-wrong' } }).then((x) => x.json())) as any).toMatchObject({ code: 40132 });
  });

  test('add (source/framework extra fields) then search with include_preference null', async () => {
    const add = await call('/add/message', cliBody({ messages: [{ role: 'user', content: 'I moved to Shanghai in June.' }], user_id: 'cli-u1', conversation_id: 'default', async_mode: false }));
    expect(add.body).toMatchObject({ code: 0, data: { success: true } });
    const s = await call(
      '/search/memory',
      cliBody({ query: 'where do I live?', memory_limit_number: 9, include_preference: null, user_id: 'cli-u1', conversation_id: 'default', tool_memory_limit_number: 6, skill_limit_number: 6 }),
    );
    expect(s.body.code).toBe(0);
    expect(values(s.body.data)).toMatch(/Shanghai/);
  });

  test('get (pages of 50, preferences and tool memories) and origin (GET /get/memory/{id})', async () => {
    const g = await call('/get/memory', cliBody({ user_id: 'cli-u1', page: 1, size: 50, include_preference: true, include_tool_memory: true }));
    expect(g.body.code).toBe(0);
    const m = g.body.data.memory_detail_list.find((x: any) => /Shanghai/.test(x.memory_value));
    const o = await get(`/get/memory/${m.id}`);
    expect(o.body.data.metadata.sources.map((x: any) => x.content)).toContain('I moved to Shanghai in June.');
    expect(o.body.data.metadata.sources[0]).toMatchObject({ type: 'chat', role: 'user' });
  });

  test('feedback, extract (extra user_id/conversation_id/agent_id), rerank (extra user_id), message, status', async () => {
    const fb = await call('/add/feedback', cliBody({ feedback_content: 'I actually moved to Suzhou, not Shanghai.', user_id: 'cli-u1', conversation_id: 'default' }));
    expect(fb.body).toMatchObject({ code: 0, data: { success: true } });
    expect(await waitForTask(call, fb.body.data.task_id)).toBe('completed');
    const st = await call('/get/status', cliBody({ task_id: fb.body.data.task_id }));
    expect(st.body.data.status).toBe('completed');
    const ex = await call('/extract/memory', cliBody({ messages: [{ role: 'user', content: 'Keep replies short, please.' }], extraction_types: ['memory', 'preference'], user_id: 'cli-u1', conversation_id: 'default', agent_id: 'x' }));
    expect(ex.body.data.preference_detail_list.map((p: any) => p.preference).join(' ')).toMatch(/short/i);
    const rr = await call('/rerank', cliBody({ model: 'memos-reranker-0.6b', query: 'liquor', documents: ["I don't drink", 'Prefers Jiangxiang baijiu liquor (Moutai)'], user_id: 'cli-u1', top_n: 1 }));
    expect(rr.body.results).toEqual([expect.objectContaining({ index: 1 })]);
    const msg = await call('/get/message', cliBody({ user_id: 'cli-u1', conversation_id: 'default', message_limit_number: 6 }));
    expect(msg.body.data.message_detail_list.map((x: any) => x.content)).toContain('I moved to Shanghai in June.');
  });

  test('chat, then delete by memory_ids and by user_id', async () => {
    const c = await call('/chat', cliBody({ user_id: 'cli-u1', conversation_id: 'default', query: 'Where did I move?' }));
    expect(c.body.data.response).toMatch(/Suzhou|Shanghai/);
    const g = await call('/get/memory', cliBody({ user_id: 'cli-u1', page: 1, size: 50 }));
    const id = g.body.data.memory_detail_list[0].id;
    expect((await call('/delete/memory', cliBody({ memory_ids: [id] }))).body.data).toEqual({ success: true });
    expect((await call('/delete/memory', cliBody({ user_id: 'cli-u1' }))).body.data.success).toBe(true);
  });

  test('kb create / add-file with plain-text content / get-file / list-file / delete-file (extra knowledgebase_id) / remove', async () => {
    const kb = (await call('/create/knowledgebase', cliBody({ knowledgebase_name: 'IT help', knowledgebase_description: 'Intranet' }))).body.data.id;
    const add = await call('/add/knowledgebase-file', cliBody({ knowledgebase_id: kb, file: [{ content: 'To install the intranet proxy on an Intel MacBook, download the x86 build.' }] }));
    expect(add.body.code).toBe(0);
    const fileId = add.body.data[0].id;
    expect(add.body.data[0].name).toMatch(/^document\.(txt|md)$/);
    await waitForFile(fileId);
    expect((await call('/get/knowledgebase-file', cliBody({ file_ids: [fileId] }))).body.data.file_detail_list[0].status).toBe('completed');
    expect((await call('/get/knowledgebase-file', cliBody({ knowledgebase_id: kb, page: 1, page_size: 20 }))).body.data.total).toBe(1);
    const s = await call('/search/memory', cliBody({ query: 'which proxy build for Intel?', user_id: 'cli-kb', knowledgebase_ids: [kb] }));
    expect(values(s.body.data)).toMatch(/x86 build/);
    expect((await call('/delete/knowledgebase-file', cliBody({ knowledgebase_id: kb, file_ids: [fileId] }))).body.data.success).toBe(true);
    expect((await call('/delete/knowledgebase', cliBody({ knowledgebase_id: kb }))).body.data.success).toBe(true);
  });
});

// ---------------------------------------------------------------- memos-api-mcp
describe('memos-api-mcp tools', () => {
  const user = 'mcp-user';
  const conv = 'a3f1c2d4e5b6a7980f1e2d3c4b5a6978';

  test('add_message (naive local chat_time) and search_memory', async () => {
    const add = await call(
      '/add/message',
      mcpBody({
        user_id: user,
        conversation_id: conv,
        messages: [
          { role: 'user', content: 'I just moved to Shanghai for a new job.', chat_time: naiveLocalTime() },
          { role: 'assistant', content: 'Congratulations on the move!', chat_time: naiveLocalTime() },
        ],
      }),
    );
    expect(add.body).toMatchObject({ code: 0, data: { success: true } });
    await waitForTask(call, add.body.data.task_id);
    const s = await call('/search/memory', mcpBody({ query: 'where does the user live', user_id: user, conversation_id: conv, memory_limit_number: 6 }));
    expect(values(s.body.data)).toMatch(/Shanghai/);
  });

  test('get_user_profile pages with current', async () => {
    for (let i = 0; i < 3; i++) await call('/add/message', mcpBody({ user_id: 'mcp-pager', conversation_id: 'p', messages: [{ role: 'user', content: `Note number ${i} about gardening.`, chat_time: naiveLocalTime() }] }));
    const page1 = await call('/get/memory', mcpBody({ user_id: 'mcp-pager', include_preference: true, include_tool_memory: false, current: 1, size: 2 }));
    const page2 = await call('/get/memory', mcpBody({ user_id: 'mcp-pager', include_preference: true, include_tool_memory: false, current: 2, size: 2 }));
    expect(page1.body.data.current).toBe(1);
    expect(page2.body.data.current).toBe(2);
    const ids1 = page1.body.data.memory_detail_list.map((m: any) => m.id);
    const ids2 = page2.body.data.memory_detail_list.map((m: any) => m.id);
    expect(ids2.length).toBeGreaterThan(0);
    expect(ids2.some((id: string) => ids1.includes(id))).toBe(false);
  });

  test('add_feedback (undefined keys left out) and delete_memory (user_ids + memory_ids)', async () => {
    const fb = await call('/add/feedback', mcpBody({ user_id: user, conversation_id: conv, feedback_content: 'My new job is in Hangzhou, not Shanghai.' }));
    expect(fb.body).toMatchObject({ code: 0, data: { success: true } });
    await waitForTask(call, fb.body.data.task_id);
    const g = await call('/get/memory', mcpBody({ user_id: user, current: 1, size: 20 }));
    const ids = g.body.data.memory_detail_list.map((m: any) => m.id);
    expect((await call('/delete/memory', mcpBody({ user_ids: [user], memory_ids: ids }))).body).toMatchObject({ code: 0, data: { success: true } });
  });

  test('create_knowledge_base, add_kb_document (plain text, file_name, mime_type), get_kb_documents, delete_kb_documents, remove_knowledge_base', async () => {
    const kb = (await call('/create/knowledgebase', mcpBody({ knowledgebase_name: 'Finance' }))).body.data.id;
    const add = await call(
      '/add/knowledgebase-file',
      mcpBody({ knowledgebase_id: kb, file: [{ content: 'Office software purchases are capped at 800 yuan per person.', file_name: 'policy.txt', mime_type: 'text/plain', name: 'policy.txt' }] }),
    );
    expect(add.body.data[0]).toMatchObject({ name: 'policy.txt' });
    await waitForFile(add.body.data[0].id);
    const docs = await call('/get/knowledgebase-file', mcpBody({ file_ids: [add.body.data[0].id] }));
    expect(docs.body.data.file_detail_list[0]).toMatchObject({ status: 'completed' });
    const s = await call('/search/memory', mcpBody({ query: 'office software limit', user_id: user, knowledgebase_ids: ['all'], memory_limit_number: 6 }));
    expect(values(s.body.data)).toMatch(/800 yuan/);
    expect((await call('/delete/knowledgebase-file', mcpBody({ file_ids: [add.body.data[0].id] }))).body.data.success).toBe(true);
    expect((await call('/delete/knowledgebase', mcpBody({ knowledgebase_id: kb }))).body.data.success).toBe(true);
  });
});

// ---------------------------------------------------------------- OpenClaw plugin and Coze store plugin
describe('OpenClaw plugin and Coze store plugin', () => {
  test('OpenClaw add (info with its source, tags, allow_public, async_mode) then recall', async () => {
    const add = await call('/add/message', {
      user_id: 'openclaw-user',
      conversation_id: 'openclaw:main',
      messages: [{ role: 'user', content: 'I moved to Shanghai and I wear size M.' }, { role: 'assistant', content: 'Noted!' }],
      source: 'openclaw',
      tags: ['openclaw'],
      info: { source: 'openclaw', agentId: 'main' },
      allow_public: false,
      async_mode: true,
    });
    expect(add.body.code).toBe(0);
    await waitForTask(call, add.body.data.task_id);
    const s = await call('/search/memory', {
      user_id: 'openclaw-user',
      query: 'where do I live now?',
      source: 'openclaw',
      memory_limit_number: 6,
      include_preference: true,
      preference_limit_number: 6,
      include_tool_memory: false,
      tool_memory_limit_number: 6,
    });
    expect(values(s.body.data)).toMatch(/Shanghai/);
  });

  test('Coze store plugin: memory_limit_number as a string, booleans as text', async () => {
    const s = await call('/search/memory', { user_id: 'openclaw-user', query: 'where do I live now?', memory_limit_number: '6', include_preference: 'true', relativity: '0' });
    expect(s.body.code).toBe(0);
    expect(values(s.body.data)).toMatch(/Shanghai/);
    const one = await call('/search/memory', { user_id: 'openclaw-user', query: 'where do I live now?', memory_limit_number: '1', relativity: '0' });
    expect(one.body.data.memory_detail_list).toHaveLength(1);
  });
});
