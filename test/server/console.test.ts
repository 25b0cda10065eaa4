/**
 * The console's server side: its reads are scoped to the key's project and paged within their limits, read-only
 * keys are refused by every endpoint that writes, usage is counted per project, and the static files carry the
 * strict Content-Security-Policy. (The pages themselves are tested in a real browser: test/e2e/console.sh.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { allEndpoints } from '../../server/src/http/app';
import { READ_ONLY_PATHS } from '../../server/src/http/read-only';
import { latencyBucket, percentile } from '../../server/src/engine/usage';
import { client, REPO, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();

const con = async (p: string, body: unknown, key = server.apiKey) => {
  const res = await fetch(server.origin + '/api/console' + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${key}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { code: number; data: any; message: string };
};

const api = (key?: string) => {
  const call = client({ baseUrl: server.baseUrl, apiKey: key ?? server.apiKey });
  return async (p: string, body: unknown) => (await call(p, body)).body as { code: number; data: any; message: string };
};

const add = (user: string, conversation: string, content: string, chatTime: string, key?: string) =>
  api(key)('/add/message', { user_id: user, conversation_id: conversation, async_mode: false, messages: [{ role: 'user', content, chat_time: chatTime }] });

let other: string;
let readOnly: string;

beforeAll(async () => {
  other = await server.createKey('other-project');
  readOnly = execFileSync(process.execPath, [path.join(REPO, 'server/bin/memos-lite.js'), 'keys', 'create', '--read-only', '--data-dir', server.dataDir], {
    env: server.cliEnv,
    encoding: 'utf8',
  }).trim();
  await add('alice', 'c1', 'I live in Beijing.', '2025-01-01 10:00:00');
  await add('alice', 'c2', 'I moved to Shanghai last month.', '2025-06-01 10:00:00');
  for (const u of ['Bob', 'bobby', 'carol', 'dave_1', 'dave%2']) await add(u, 'c', `I like tea, says ${u}.`, '2025-02-01 10:00:00');
  await add('intruder', 'c', 'I live in Paris.', '2025-02-01 10:00:00', other);
}, 60_000);

describe('users', () => {
  test('keyset pages cover every user exactly once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await con('/users', { size: 2, ...(after ? { after } : {}) });
      expect(r.code).toBe(0);
      expect(r.data.users.length).toBeLessThanOrEqual(2);
      seen.push(...r.data.users.filter((u: { agent: string | null }) => !u.agent).map((u: { user_id: string }) => u.user_id));
      after = r.data.next ?? undefined;
      if (!after) break;
    }
    // Each user once (the order is the database's collation: byte order on SQLite, locale order on PostgreSQL).
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(['Bob', 'alice', 'bobby', 'carol', 'dave%2', 'dave_1']);
  });

  test('counts per user: memories by kind and status, messages, conversations', async () => {
    const r = await con('/users', { search: 'alice' });
    const alice = r.data.users[0];
    expect(alice.user_id).toBe('alice');
    expect(alice.messages).toBe(2);
    expect(alice.conversations).toBe(2);
    const archived = alice.memories.filter((m: { status: string }) => m.status === 'archived').reduce((n: number, m: { count: number }) => n + m.count, 0);
    expect(archived).toBeGreaterThanOrEqual(1);
    expect(alice.last_active).toBeGreaterThan(0);
  });

  test('search is a case-insensitive part of the id; % and _ are literal', async () => {
    const ids = async (search: string) => (await con('/users', { search })).data.users.map((u: { user_id: string }) => u.user_id);
    expect((await ids('BOB')).sort()).toEqual(['Bob', 'bobby']);
    expect(await ids('%')).toEqual(['dave%2']);
    expect(await ids('_')).toEqual(['dave_1']);
  });

  test('another project sees only its own users', async () => {
    const mine = (await con('/users', {})).data.users.map((u: { user_id: string }) => u.user_id);
    expect(mine).not.toContain('intruder');
    const theirs = (await con('/users', {}, other)).data.users.map((u: { user_id: string }) => u.user_id);
    expect(theirs).toEqual(['intruder']);
    expect((await con('/user', { user_id: 'alice' }, other)).code).toBe(40001);
  });

  test("an agent's own memories are listed under the agent's name, and open like a user's", async () => {
    const w = await api()('/add/message', { agent_id: 'helper-bot', conversation_id: 'a1', async_mode: false, messages: [{ role: 'user', content: 'I prefer short answers.' }] });
    expect(w.code).toBe(0);
    const agent = (await con('/users', {})).data.users.find((u: { agent: string | null }) => u.agent === 'helper-bot');
    expect(agent).toBeDefined();
    expect(agent.user_id).not.toBe('helper-bot');
    const detail = await con('/user', { user_id: agent.user_id });
    expect(detail.data.agent).toBe('helper-bot');
    const mems = await con('/memories', { user_id: agent.user_id });
    expect(mems.data.memories.map((m: { value: string }) => m.value).join('\n')).toMatch(/short answers/);
  });

  test("a user's profiles come with the user", async () => {
    const file = path.join(server.dataDir, 'console-template.json');
    fs.writeFileSync(file, JSON.stringify({ id: 'tpl_console', name: 'Console shopper', metadata: { basic: { city: { value: '' } } } }));
    execFileSync(process.execPath, [path.join(REPO, 'server/bin/memos-lite.js'), 'profiles', 'create', '--file', file, '--data-dir', server.dataDir], { env: server.cliEnv });
    expect((await api()('/bind/profile_template', { bind_list: [{ user_id: 'carol', profile_template_id: 'tpl_console' }] })).code).toBe(0);
    expect((await api()('/edit/profile', { user_id: 'carol', profile_template_id: 'tpl_console', metadata: { basic: { city: { value: 'Suzhou' } } } })).code).toBe(0);
    const carol = await con('/user', { user_id: 'carol' });
    expect(carol.data.profiles).toEqual([expect.objectContaining({ template: 'Console shopper', value: 'basic.city: Suzhou' })]);
    expect((await con('/user', { user_id: 'alice' })).data.profiles).toEqual([]);
  });

  test('page sizes are clamped', async () => {
    const r = await con('/memories', { user_id: 'alice', size: 100_000 });
    expect(r.data.size).toBe(200);
  });
});

describe('a memory', () => {
  test('versions oldest first along the superseded-by chain, with sources and conversation', async () => {
    const list = await con('/memories', { user_id: 'alice', kind: 'fact', status: 'activated' });
    const current = list.data.memories.find((m: { value: string; state_key: string | null }) => m.state_key === 'residence');
    expect(current.value).toMatch(/Shanghai/);
    const r = await con('/memory', { memory_id: current.id });
    expect(r.code).toBe(0);
    const versions = r.data.versions.map((v: { value: string; status: string }) => `${v.status}: ${v.value}`);
    expect(versions[0]).toMatch(/^archived: .*Beijing/);
    expect(versions[versions.length - 1]).toMatch(/^activated: .*Shanghai/);
    expect(r.data.memory.sources[0].content).toBe('I moved to Shanghai last month.');
    expect(r.data.conversation.map((m: { content: string }) => m.content)).toEqual(['I moved to Shanghai last month.']);
  });

  test('an edit shows as a new current version over the archived old text', async () => {
    const list = await con('/memories', { user_id: 'alice', kind: 'fact', status: 'activated' });
    const current = list.data.memories.find((m: { state_key: string | null }) => m.state_key === 'residence');
    expect((await api()('/update/memory', { memory_id: current.id, content: 'The user lives in Shanghai, in Pudong.' })).code).toBe(0);
    const versions = (await con('/memory', { memory_id: current.id })).data.versions.map((v: { value: string; status: string }) => `${v.status}: ${v.value}`);
    expect(versions[versions.length - 1]).toBe('activated: The user lives in Shanghai, in Pudong.');
    expect(versions.slice(0, -1).every((v: string) => v.startsWith('archived'))).toBe(true);
    expect(versions.some((v: string) => /moved to Shanghai/.test(v))).toBe(true);
  });

  test("another project's memory reads as not found", async () => {
    const id = (await con('/memories', { user_id: 'alice' })).data.memories[0].id;
    expect((await con('/memory', { memory_id: id }, other)).code).toBe(40001);
    const convo = await con('/conversation', { user_id: 'alice', conversation_id: 'c1' }, other);
    expect(convo.data.messages).toEqual([]);
  });

  test('a conversation pages by message id, in order', async () => {
    const first = await con('/conversation', { user_id: 'alice', conversation_id: 'c1', size: 1 });
    expect(first.data.messages.map((m: { content: string }) => m.content)).toEqual(['I live in Beijing.']);
    expect(first.data.next).toBeNull();
  });
});

describe('feedback history and tasks', () => {
  test('a correction lists what it wrote and what it archived', async () => {
    await add('erin', 'e1', 'I am allergic to peanuts.', '2025-03-01 10:00:00');
    const f = await api()('/add/feedback', { user_id: 'erin', conversation_id: 'e1', feedback_content: 'I am allergic to walnuts, not peanuts.', async_mode: false });
    expect(f.code).toBe(0);
    const h = await con('/feedback', {});
    const item = h.data.feedback.find((x: { id: string }) => x.id === f.data.task_id);
    expect(item.content).toBe('I am allergic to walnuts, not peanuts.');
    expect(item.after.map((m: { value: string }) => m.value).join('\n')).toMatch(/walnuts/);
    expect(item.before.map((m: { value: string }) => m.value).join('\n')).toMatch(/peanuts/);
    expect(item.before.every((m: { status: string }) => m.status === 'archived')).toBe(true);
    expect((await con('/feedback', {}, other)).data.feedback).toEqual([]);
  });

  test('only a failed task of the project can be retried', async () => {
    const tasks = await con('/tasks', { status: 'completed' });
    const done = tasks.data.tasks[0];
    expect(done.status).toBe('completed');
    const r = await con('/tasks/retry', { task_id: done.id });
    expect(r.code).toBe(40000);
    expect(r.message).toMatch(/only a failed task/);
    expect((await con('/tasks/retry', { task_id: done.id }, other)).code).toBe(50131);
    expect((await con('/tasks', {}, other)).data.tasks.every((t: { user_id: string }) => t.user_id === 'intruder')).toBe(true);
  });

  test('a failed task runs again with fresh attempts', async () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ role: 'user', content: `Zorg note ${i}.` }));
    expect((await api()('/add/message', { user_id: 'zed', conversation_id: 'z', async_mode: false, messages: many })).code).toBe(0);
    const f = await api()('/add/feedback', { user_id: 'zed', conversation_id: 'z', feedback_content: 'Replace Zorg with Blip everywhere.' });
    const call = client({ baseUrl: server.baseUrl, apiKey: server.apiKey });
    expect(await waitForTask(call, f.data.task_id, 30_000)).toBe('failed');
    const failed = (await con('/tasks', { status: 'failed' })).data.tasks.find((t: { id: string }) => t.id === f.data.task_id);
    expect(failed.error).toMatch(/more than 200 memories/);
    const before = failed.update_time;
    expect((await con('/tasks/retry', { task_id: f.data.task_id }, readOnly)).code).toBe(40103);
    const r = await con('/tasks/retry', { task_id: f.data.task_id });
    expect(r.data).toEqual({ task_id: f.data.task_id, status: 'running' });
    expect(await waitForTask(call, f.data.task_id, 30_000)).toBe('failed');
    const again = (await con('/tasks', { status: 'failed' })).data.tasks.find((t: { id: string }) => t.id === f.data.task_id);
    expect(again.update_time).toBeGreaterThan(before);
    expect(again.attempts).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('knowledge-base chunks', () => {
  test('a file\'s chunks with heading paths, only through a linked knowledge base', async () => {
    const kb = (await api()('/create/knowledgebase', { knowledgebase_name: 'Handbook' })).data.id;
    const doc = Buffer.from('# Travel\n\n## Hotels\n\nThe hotel limit is 600 yuan.\n').toString('base64');
    const up = await api()('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: doc, name: 'travel.md' }] });
    const fileId = up.data[0].id;
    for (let i = 0; i < 100; i++) {
      const f = await api()('/get/knowledgebase-file', { file_ids: [fileId] });
      if (f.data.file_detail_list[0].status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const r = await con('/chunks', { knowledgebase_id: kb, file_id: fileId });
    expect(r.data.chunks.map((c: { heading_path: string[] }) => c.heading_path.join(' > '))).toContain('Travel > Hotels');
    expect((await con('/chunks', { knowledgebase_id: kb, file_id: fileId }, other)).code).toBe(50123);
    const list = await con('/knowledgebases', {});
    expect(list.data.knowledgebases).toEqual([expect.objectContaining({ id: kb, name: 'Handbook', files: 1 })]);
    expect((await con('/knowledgebases', {}, other)).data.knowledgebases).toEqual([]);
  });
});

describe('search explanations', () => {
  test('each result says which fields and terms matched and which factors applied', async () => {
    const r = await con('/search', { user_id: 'alice', query: 'Where do I live now?', conversation_id: 'c2' });
    expect(r.code).toBe(0);
    const top = r.data.results[0];
    expect(top.value).toMatch(/Pudong/);
    expect(top.explain.fields[0]).toEqual({ field: 'own', terms: expect.arrayContaining(['live']) });
    const names = top.explain.factors.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['lexical', 'recency', 'conversation']));
    // The factors are the ones the score was made of.
    const product = top.explain.factors.filter((f: { name: string }) => f.name !== 'correction').reduce((p: number, f: { value: number }) => p * f.value, 1);
    expect(product).toBeCloseTo(top.score, 6);
    // The plain API answers without explanations.
    const plain = await api()('/search/memory', { user_id: 'alice', query: 'Where do I live now?' });
    expect(JSON.stringify(plain.data)).not.toMatch(/explain|factors/);
  });
});

describe('read-only keys', () => {
  const endpoints = allEndpoints();

  test('every endpoint that writes refuses them before reading the body; reads are allowed', async () => {
    const refused: string[] = [];
    const allowed: string[] = [];
    for (const e of endpoints) {
      if (e.path.includes(':')) continue; // GET with a path parameter: a read, tested below
      const r = await api(readOnly)(e.path, {});
      (r.code === 40103 ? refused : allowed).push(e.path);
    }
    expect(refused.length).toBeGreaterThan(10);
    for (const p of refused) expect(READ_ONLY_PATHS.has(p)).toBe(false);
    for (const p of allowed) expect(READ_ONLY_PATHS.has(p)).toBe(true);
    for (const p of ['/add/message', '/delete/memory', '/add/feedback', '/update/memory', '/create/knowledgebase', '/add/knowledgebase-file', '/chat', '/plugin/add_message'])
      expect(refused).toContain(p);
  });

  test('with a valid body too, nothing is written; searches and reads work', async () => {
    const w = await api(readOnly)('/add/message', { user_id: 'ro', conversation_id: 'c', messages: [{ role: 'user', content: 'I live in Rome.' }] });
    expect(w.code).toBe(40103);
    expect(w.message).toMatch(/read-only/);
    expect((await con('/users', { search: 'ro' })).data.users.map((u: { user_id: string }) => u.user_id)).not.toContain('ro');
    const s = await api(readOnly)('/search/memory', { user_id: 'alice', query: 'Where do I live?' });
    expect(JSON.stringify(s.data)).toMatch(/Pudong/);
    expect((await con('/session', {}, readOnly)).data).toEqual(expect.objectContaining({ read_only: true }));
    expect((await con('/session', {})).data.read_only).toBe(false);
  });
});

describe('usage', () => {
  test('latency buckets and percentiles', () => {
    expect(latencyBucket(0.5)).toBe(0);
    expect(latencyBucket(10)).toBeLessThan(latencyBucket(13));
    const b: Record<string, number> = {};
    for (let ms = 1; ms <= 100; ms++) b[latencyBucket(ms)] = (b[latencyBucket(ms)] ?? 0) + 1;
    const p50 = percentile(b, 0.5)!;
    const p95 = percentile(b, 0.95)!;
    expect(p50).toBeGreaterThanOrEqual(50);
    expect(p50).toBeLessThanOrEqual(50 * 1.2);
    expect(p95).toBeGreaterThanOrEqual(95);
    expect(p95).toBeLessThanOrEqual(95 * 1.2);
    expect(percentile({}, 0.5)).toBeNull();
  });

  test('requests per endpoint are counted per project', async () => {
    for (let i = 0; i < 3; i++) await api(other)('/search/memory', { user_id: 'intruder', query: 'Paris' });
    const mine = (await con('/usage', {})).data.days;
    const theirs = (await con('/usage', {}, other)).data.days;
    const count = (rows: Array<{ operation: string; requests: number }>, op: string) => rows.filter((r) => r.operation === op).reduce((n, r) => n + r.requests, 0);
    expect(count(theirs, '/search/memory')).toBe(3);
    expect(count(theirs, '/add/message')).toBe(1);
    expect(count(mine, '/add/message')).toBeGreaterThanOrEqual(8);
    const row = theirs.find((r: { operation: string }) => r.operation === '/search/memory');
    expect(row.p50_ms).toBeGreaterThan(0);
    expect(row.p95_ms).toBeGreaterThanOrEqual(row.p50_ms);
  });
});

describe('static files', () => {
  test('the console and its modules carry the strict policy; nothing else is served', async () => {
    for (const p of ['/console', '/console/app.js', '/console/vendor/preact-htm.js', '/console/vendor/uplot.js']) {
      const res = await fetch(server.origin + p);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await fetch(server.origin + '/console/app.js')).headers.get('content-type')).toMatch(/javascript/);
    for (const p of ['/console/../package.json', '/console/%2e%2e/%2e%2e/package.json', '/console/nope.js']) expect((await fetch(server.origin + p)).status).toBe(404);
  });
});
