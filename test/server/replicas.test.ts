/**
 * Two memos-lite processes (the built CLI) on one PostgreSQL database, as replicas behind a load balancer: each
 * sees the other's writes at once, a key revoked through one stops working on both within 3 s, and when one is
 * killed (-9) while it holds running tasks the other takes them over once their leases run out and completes
 * each exactly once, with no acknowledged write lost.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { client, waitForTask } from '../helpers/memos-lite';
import { createTestDatabase } from '../helpers/postgres';
import { startSpawned, type SpawnedTestServer } from '../helpers/server';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai';
import { REPO } from '../../bench/lib/server';

jest.setTimeout(120_000);

const LEASE_MS = 1500;
let url: string;
let db: pg.Pool;
let stuck: FakeOpenAI;
let a: SpawnedTestServer;
let b: SpawnedTestServer;
const apiKey = 'mpg-replicas-' + Math.random().toString(36).slice(2, 10);

beforeAll(async () => {
  url = await createTestDatabase();
  db = new pg.Pool({ connectionString: url, max: 2 });
  // Replica A's language model never answers: its refinement tasks stay running, leased by A, until A dies.
  stuck = await startFakeOpenAI();
  stuck.failAlways('timeout');
  const common = { MEMOS_DATABASE_URL: url, MEMOS_TASK_LEASE_MS: String(LEASE_MS), MEMOS_TASK_POLL_MS: '200' };
  // Started together: the schema is created once, under the advisory lock.
  [a, b] = await Promise.all([
    startSpawned({ apiKey, env: { ...common, MEMOS_LLM_BASE_URL: stuck.baseUrl, MEMOS_LLM_MODEL: 'stuck', MEMOS_LLM_TIMEOUT_MS: '600000', MEMOS_WORKERS: '8' } }),
    startSpawned({ apiKey, env: common }),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()].map((p) => p?.catch(() => undefined)));
  await db?.end();
  await stuck?.close();
});

const values = (body: any) => (body.data.memory_detail_list as Array<{ memory_value: string }>).map((m) => m.memory_value).join('\n');

test('the schema was created once although both replicas started together', async () => {
  const { rows } = await db.query('SELECT version, COUNT(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version');
  expect(rows.length).toBeGreaterThanOrEqual(4);
  expect(rows.every((r) => r.n === 1)).toBe(true);
  expect((await db.query('SELECT COUNT(*)::int AS n FROM projects')).rows[0].n).toBe(1);
});

test('writes through either replica are found through both at once', async () => {
  const ca = client(a);
  const cb = client(b);
  const wa = await ca('/add/message', { user_id: 'ann', conversation_id: 'c1', async_mode: true, messages: [{ role: 'user', content: 'My locker code is 4711.' }] });
  const wb = await cb('/add/message', { user_id: 'ann', conversation_id: 'c2', async_mode: true, messages: [{ role: 'user', content: 'My bike is a green Gazelle.' }] });
  expect([wa.body.code, wb.body.code]).toEqual([0, 0]);
  for (const c of [ca, cb]) {
    expect(values((await c('/search/memory', { user_id: 'ann', query: 'locker code' })).body)).toMatch(/4711/);
    expect(values((await c('/search/memory', { user_id: 'ann', query: 'which bike' })).body)).toMatch(/Gazelle/);
  }
  // A conversation continued on the other replica gets its context from the database, not a stale cache.
  await cb('/add/message', { user_id: 'ann', conversation_id: 'c1', messages: [{ role: 'assistant', content: 'Noted.' }] });
  const msgs = await ca('/get/message', { user_id: 'ann', conversation_id: 'c1' });
  expect(msgs.body.data.message_detail_list.map((m: any) => m.content)).toEqual(['My locker code is 4711.', 'Noted.']);
});

test('a key revoked through one replica stops working on both within 3 s', async () => {
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [`${REPO}/server/bin/memos-lite.js`, ...args, '--database-url', url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const key = cli('keys', 'create', '--project', 'temp');
  const viaA = client({ baseUrl: a.baseUrl, apiKey: key });
  const viaB = client({ baseUrl: b.baseUrl, apiKey: key });
  // Both replicas have the key in their caches.
  expect((await viaA('/search/memory', { user_id: 'x', query: 'q' })).body.code).toBe(0);
  expect((await viaB('/search/memory', { user_id: 'x', query: 'q' })).body.code).toBe(0);
  const id = cli('keys', 'list')
    .split('\n')
    .find((l) => l.includes('project=temp'))!
    .split(/\s+/)[0];
  cli('keys', 'revoke', id);
  const revokedAt = Date.now();
  await new Promise((r) => setTimeout(r, 3100));
  expect((await viaA('/search/memory', { user_id: 'x', query: 'q' })).body.code).toBe(40132);
  expect((await viaB('/search/memory', { user_id: 'x', query: 'q' })).body.code).toBe(40132);
  expect(Date.now() - revokedAt).toBeLessThan(6000);
});

test('kill -9 a replica holding running tasks: the other completes each of them exactly once, nothing acknowledged is lost', async () => {
  const ca = client(a);
  const acknowledged: Array<{ user: string; content: string; task: string }> = [];
  for (let i = 0; i < 5; i++) {
    const user = `kim${i}`;
    const content = `I moved to Lisbon in ${2010 + i} and my cat is called Tom${i}.`;
    const r = await ca('/add/message', { user_id: user, conversation_id: 'c', async_mode: true, messages: [{ role: 'user', content }] });
    expect(r.body.code).toBe(0);
    acknowledged.push({ user, content, task: r.body.data.task_id });
  }
  const taskIds = acknowledged.map((w) => w.task);
  // A claims what it writes at once; B (no model: rules) would finish any task it got in milliseconds. So a task
  // still running under a lease a second later is A's, stuck in its model call.
  await new Promise((r) => setTimeout(r, 1000));
  const { rows: held } = await db.query("SELECT id, lease_owner FROM tasks WHERE id = ANY($1) AND status = 'running' AND lease_owner IS NOT NULL", [taskIds]);
  const heldByA = held.map((r) => r.id as string);
  expect(heldByA.length).toBeGreaterThan(0);
  expect(new Set(held.map((r) => r.lease_owner)).size).toBe(1);
  expect(stuck.requests.length).toBeGreaterThan(0);

  await a.kill();
  const killedAt = Date.now();
  const cb = client(b);
  for (const id of taskIds) expect(await waitForTask(cb, id, 30_000)).toBe('completed');
  // Not before the leases ran out (renewed every third of the lease while A lived): a live worker keeps its tasks.
  const { rows: done } = await db.query('SELECT id, update_time FROM tasks WHERE id = ANY($1)', [heldByA]);
  for (const t of done) expect(Number(t.update_time)).toBeGreaterThanOrEqual(killedAt + LEASE_MS / 2);
  // Exactly once: each task's output was written by one completion (no duplicate memories of a task).
  const { rows: outputs } = await db.query('SELECT task_id, COUNT(*)::int AS n, COUNT(DISTINCT value)::int AS d FROM memories WHERE task_id = ANY($1) GROUP BY task_id', [taskIds]);
  expect(outputs.length).toBe(taskIds.length);
  for (const o of outputs) expect(o.n).toBe(o.d);
  // What each write acknowledged is there: its message, and its memory found through the surviving replica.
  for (const w of acknowledged) {
    const msgs = await cb('/get/message', { user_id: w.user, conversation_id: 'c' });
    expect(msgs.body.data.message_detail_list.map((m: any) => m.content)).toEqual([w.content]);
    expect(values((await cb('/search/memory', { user_id: w.user, query: 'where did I move' })).body)).toMatch(/Lisbon/);
  }
});
