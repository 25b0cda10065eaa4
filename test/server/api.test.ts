/** Happy paths of every memory endpoint over real HTTP, asserting on what comes back. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { client, REPO, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

const add = (user: string, conv: string, messages: unknown[], extra: Record<string, unknown> = {}) =>
  call('/add/message', { user_id: user, conversation_id: conv, messages, ...extra });

test('health endpoint answers without a key', async () => {
  const res = await fetch(server.origin + '/health');
  expect(await res.json()).toEqual({ status: 'ok' });
});

test('async add returns a task at once and the turn is searchable immediately', async () => {
  const r = await add('alice', 'c1', [
    { role: 'user', content: 'My favourite tea is Longjing from Hangzhou', chat_time: '2025-06-10 09:00:00' },
    { role: 'assistant', content: 'Longjing is a lovely green tea.', chat_time: '2025-06-10 09:00:05' },
  ]);
  expect(r.body).toMatchObject({ code: 0, message: 'ok', data: { success: true, status: 'running' } });
  expect(r.body.data.task_id).toMatch(/^task-/);
  const s = await call('/search/memory', { user_id: 'alice', query: 'which tea do I like?' });
  expect(s.body.code).toBe(0);
  const values = s.body.data.memory_detail_list.map((m: any) => m.memory_value);
  expect(values.join('\n')).toMatch(/Longjing/);
  expect(s.body.data.preference_detail_list).toBeInstanceOf(Array);
  expect(s.body.data.tool_memory_detail_list).toEqual([]);
  const fast = s.body.data.memory_detail_list.find((m: any) => m.tags.includes('mode:fast'));
  expect(fast).toMatchObject({ memory_type: 'WorkingMemory', status: 'activated', conversation_id: 'c1' });
  expect(fast.memory_value).toMatch(/^user: \[09:00 AM on 10 June, 2025/);
  expect(typeof fast.create_time).toBe('number');
  expect(fast.relativity).toBeGreaterThan(0.45);
  expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
});

test('sync add waits for extraction and returns completed', async () => {
  const r = await add('bob', 'c1', [{ role: 'user', content: 'I prefer concise answers.' }], { async_mode: false });
  expect(r.body.data).toMatchObject({ success: true, status: 'completed' });
  const s = await call('/search/memory', { user_id: 'bob', query: 'how should answers be written? concise?' });
  const prefs = s.body.data.preference_detail_list;
  expect(prefs.length).toBeGreaterThan(0);
  expect(prefs[0]).toMatchObject({ preference_type: 'explicit_preference' });
  expect(prefs[0].preference).toMatch(/concise/i);
  expect(prefs[0].reasoning).not.toBe('');
});

test('users are isolated from each other', async () => {
  await add('carol', 'c1', [{ role: 'user', content: 'My locker code is 4711' }]);
  const other = await call('/search/memory', { user_id: 'dave', query: 'locker code' });
  expect(other.body.data.memory_detail_list).toEqual([]);
  const own = await call('/search/memory', { user_id: 'carol', query: 'locker code' });
  expect(own.body.data.memory_detail_list[0].memory_value).toMatch(/4711/);
});

test('get/message returns the most recent N messages in order, without tool or system messages', async () => {
  const msgs = Array.from({ length: 8 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i}`, chat_time: `2025-01-01 10:0${i}:00` }));
  await add('erin', 'chat-1', [{ role: 'system', content: 'You are a bot' }, ...msgs]);
  const r = await call('/get/message', { user_id: 'erin', conversation_id: 'chat-1', message_limit_number: 3 });
  expect(r.body.data.message_detail_list.map((m: any) => m.content)).toEqual(['message 5', 'message 6', 'message 7']);
  expect(r.body.data.message_detail_list[0]).toMatchObject({ role: 'assistant' });
  const d = await call('/get/message', { user_id: 'erin', conversation_id: 'chat-1' });
  expect(d.body.data.message_detail_list).toHaveLength(6);
});

test('get/memory pages with sources and info; delete by id and by user', async () => {
  const r = await add('frank', 'c9', [{ role: 'user', content: 'I live in Lisbon and I work as a nurse.' }], { async_mode: false, info: { scene: 'onboarding' } });
  expect(r.body.data.status).toBe('completed');
  const g = await call('/get/memory', { user_id: 'frank', size: 50 });
  expect(g.body.code).toBe(0);
  const facts = g.body.data.memory_detail_list;
  expect(facts.length).toBeGreaterThanOrEqual(2);
  expect(facts[0].sources[0].content).toMatch(/Lisbon/);
  expect(facts[0].info).toEqual({ scene: 'onboarding' });
  expect(facts[0].relativity).toBeUndefined();
  expect(g.body.data).toMatchObject({ current: 1, size: 50, pages: 1 });
  expect(g.body.data.total).toBe(facts.length);

  const page = await call('/get/memory', { user_id: 'frank', size: 1, page: 2 });
  expect(page.body.data.memory_detail_list).toHaveLength(1);
  expect(page.body.data.pages).toBe(g.body.data.total);

  const filtered = await call('/get/memory', { user_id: 'frank', filter: { and: [{ scene: 'other' }] } });
  expect(filtered.body.data.memory_detail_list).toEqual([]);

  const id = facts[0].id;
  expect((await call('/delete/memory', { memory_ids: [id] })).body).toMatchObject({ code: 0, data: { success: true } });
  const after = await call('/get/memory', { user_id: 'frank', size: 50 });
  expect(after.body.data.memory_detail_list.map((m: any) => m.id)).not.toContain(id);
  expect((await call('/delete/memory', { memory_ids: [id] })).body.code).toBe(40307);

  expect((await call('/delete/memory', { user_id: 'frank' })).body.data.success).toBe(true);
  expect((await call('/get/memory', { user_id: 'frank' })).body.data.total).toBe(0);
  expect((await call('/search/memory', { user_id: 'frank', query: 'Lisbon nurse' })).body.data.memory_detail_list).toEqual([]);
});

test('filters narrow by agent, info, tags and time', async () => {
  await add('gina', 'c1', [{ role: 'user', content: 'Remember the blue umbrella', chat_time: '2025-03-01 10:00:00' }], { agent_id: 'a1', info: { scene: 'home' }, tags: ['Umbrella'] });
  await add('gina', 'c2', [{ role: 'user', content: 'Remember the red umbrella', chat_time: '2025-09-01 10:00:00' }], { agent_id: 'a2', info: { scene: 'work' } });
  const q = (filter: unknown) => call('/search/memory', { user_id: 'gina', query: 'umbrella', filter, include_preference: false });
  const vals = async (filter: unknown) => (await q(filter)).body.data.memory_detail_list.map((m: any) => m.memory_value).join('|');
  expect(await vals({ and: [{ agent_id: 'a1' }] })).toMatch(/blue/);
  expect(await vals({ and: [{ agent_id: 'a1' }] })).not.toMatch(/red/);
  expect(await vals({ and: [{ scene: 'work' }] })).not.toMatch(/blue/);
  expect(await vals({ and: [{ 'info.scene': 'work' }] })).toMatch(/red/);
  expect(await vals({ and: [{ tags: { contains: 'Umbrella' } }] })).not.toMatch(/red/);
  expect(await vals({ and: [{ create_time: { lte: '2025-03-01' } }] })).toMatch(/blue/);
  expect(await vals({ and: [{ create_time: { gt: '2025-03-01' } }] })).not.toMatch(/blue/);
  expect(await vals({ or: [{ agent_id: 'a1' }, { agent_id: 'a2' }] })).toMatch(/red/);
  expect(await vals({ user: { and: [{ agent_id: 'a2' }] } })).not.toMatch(/blue/);
});

test('custom tags are candidates: only fitting ones are attached', async () => {
  await add('hank', 'c1', [{ role: 'user', content: 'Shanghai on 10 December: cloudy weather, 8 to 12 degrees' }], { tags: ['Weather', 'Cloudy', 'Football'], async_mode: false });
  const s = await call('/search/memory', { user_id: 'hank', query: 'Shanghai weather' });
  const tags = s.body.data.memory_detail_list[0].tags;
  expect(tags).toEqual(expect.arrayContaining(['Weather', 'Cloudy']));
  expect(tags).not.toContain('Football');
});

test('relativity threshold drops weak matches; 0 disables it', async () => {
  await add('ivy', 'c1', [{ role: 'user', content: 'The garden shed needs a new padlock' }]);
  const strict = await call('/search/memory', { user_id: 'ivy', query: 'garden party invitations menu music guests', relativity: 0.9 });
  expect(strict.body.data.memory_detail_list).toEqual([]);
  const off = await call('/search/memory', { user_id: 'ivy', query: 'garden party invitations menu music guests', relativity: 0 });
  expect(off.body.data.memory_detail_list[0].memory_value).toMatch(/padlock/);
});

test('extract/memory is stateless', async () => {
  const r = await call('/extract/memory', { messages: [{ role: 'user', content: "I'm Alex, 28, a backend developer in Hangzhou. Keep replies short." }] });
  expect(r.body.code).toBe(0);
  expect(r.body.data.success).toBe(true);
  expect(r.body.data.memory_detail_list.map((m: any) => m.memory_value).join(' ')).toMatch(/Hangzhou/);
  expect(r.body.data.preference_detail_list.map((p: any) => p.preference).join(' ')).toMatch(/short/i);
  const only = await call('/extract/memory', { messages: [{ role: 'user', content: 'Keep replies short.' }], extraction_types: ['preference'] });
  expect(only.body.data.memory_detail_list).toBeUndefined();
  expect((await call('/get/memory', { user_id: 'Alex' })).body.data.total).toBe(0);
});

test('rerank returns the top-level shape sorted by score', async () => {
  const r = await call('/rerank', { query: 'badminton hobby', documents: ['I like reading novels', 'Plays badminton every weekend', 'Works in Hangzhou'], top_n: 2 });
  expect(r.body.code).toBeUndefined();
  expect(r.body.results).toHaveLength(2);
  expect(r.body.results[0]).toMatchObject({ index: 1, document: { text: 'Plays badminton every weekend' } });
  expect(r.body.results[0].relevance_score).toBeGreaterThan(r.body.results[1].relevance_score);
  expect(r.body.model).toBe('memos-reranker-0.6b');
  expect(r.body.usage.total_tokens).toBeGreaterThan(0);
});

test('a key of another project sees none of this project', async () => {
  const bin = path.join(REPO, 'server/bin/memos-lite.js');
  const key = execFileSync(process.execPath, [bin, 'keys', 'create', '--project', 'other', '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv }).trim();
  expect(key).toMatch(/^mpg-/);
  const other = client({ baseUrl: server.baseUrl, apiKey: key });
  const s = await other('/search/memory', { user_id: 'carol', query: 'locker code' });
  expect(s.body.code).toBe(0);
  expect(s.body.data.memory_detail_list).toEqual([]);
  const list = execFileSync(process.execPath, [bin, 'keys', 'list', '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv });
  expect(list).toMatch(/project=other/);
  const id = list.split('\n').find((l) => l.includes('project=other'))!.split(/\s+/)[0];
  execFileSync(process.execPath, [bin, 'keys', 'revoke', id, '--data-dir', server.dataDir], { env: server.cliEnv });
  await new Promise((r) => setTimeout(r, 3500)); // the key cache lives 3 s
  expect((await other('/search/memory', { user_id: 'carol', query: 'x' })).body.code).toBe(40132);
});
