/**
 * PostgreSQL schema upgrades and moving from SQLite. A database made by the first schema step is upgraded with
 * its data intact; processes opening one database together apply each step once; `memos-lite migrate
 * --from-sqlite` copies a data directory made by the SQLite server, resumes after an interruption, and the
 * same searches then return the same results on PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { PgDb } from '../../server/src/store/postgres/connection';
import { PostgresStore } from '../../server/src/store/postgres/postgres-store';
import { MIGRATIONS } from '../../server/src/store/postgres/schema';
import { REPO } from '../../bench/lib/server';
import { client, waitForTask } from '../helpers/memos-lite';
import { createTestDatabase } from '../helpers/postgres';
import { startTestServer } from '../helpers/server';

jest.setTimeout(120_000);

const cli = (args: string[]) => execFileSync(process.execPath, [`${REPO}/server/bin/memos-lite.js`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('a database at schema step 1 is upgraded in place, its data intact', async () => {
  const url = await createTestDatabase();
  const old = await PgDb.open({ connectionString: url }, { migrate: false });
  expect(await old.migrate(1)).toEqual([1]);
  // Rows as the first version wrote them.
  await old.pool.query(`INSERT INTO projects VALUES ('proj-1', 'default', 1)`);
  await old.pool.query(`INSERT INTO api_keys(id, project_id, key_hash, prefix, label, create_time) VALUES ('key-1', 'proj-1', 'h1', 'mpg-1', '', 1)`);
  await old.pool.query(
    `INSERT INTO memories(id, project_id, scope, user_id, kind, subtype, key, value, search_text, tsv, token_count, conversation_id, status, confidence, event_time, create_time, update_time)
     VALUES ('mem-1', 'proj-1', 'user', 'u1', 'fact', 'UserMemory', 'k', 'The user plays the oboe.', 'user play oboe', $1::tsvector, 3, 'c1', 'activated', 0.9, 5, 5, 5)`,
    ["'user':1 'play':2 'oboe':3"],
  );
  await old.pool.query(`INSERT INTO tasks VALUES ('task-1', 'proj-1', 'refine', '{}', 'running', NULL, 0, 1, 1)`);
  expect(await old.schemaVersion()).toBe(1);
  await old.close();

  const store = await PostgresStore.open({ connectionString: url });
  try {
    expect(await store.conn.schemaVersion()).toBe(MIGRATIONS.length);
    expect((await store.findKeyByHash('h1'))?.readOnly).toBe(false);
    const hits = await store.lexicalSearch(
      { projectId: 'proj-1', userId: 'u1', includeUser: true, includePublic: false, knowledgebaseIds: [], includeArchived: false },
      { match: '"oboe"', kinds: ['fact'], limit: 5 },
    );
    expect(hits.map((h) => h.memory.value)).toEqual(['The user plays the oboe.']);
    // The task left running by the old version is claimable under the new lease columns.
    expect((await store.claimTasks('w', 1000, 5)).map((t) => t.id)).toEqual(['task-1']);
  } finally {
    await store.close();
  }
});

test('processes opening one database together apply every step exactly once', async () => {
  const url = await createTestDatabase();
  const opened = await Promise.all([0, 1, 2].map(() => PgDb.open({ connectionString: url }, { migrate: false })));
  try {
    const applied = await Promise.all(opened.map((db) => db.migrate()));
    // Between them each step was applied once; whoever came second found nothing to do.
    expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    const { rows } = await opened[0].pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  } finally {
    await Promise.all(opened.map((db) => db.close()));
  }
});

test('migrate --from-sqlite: everything copied, resumable, counts verified, the same searches give the same results', async () => {
  const apiKey = 'mpg-move-' + Math.random().toString(36).slice(2, 10);
  // A data directory made by the SQLite server.
  const before = await startTestServer({ spawn: true, apiKey, env: { MEMOS_DATABASE_URL: '' } });
  const call = client(before);
  const turns = [
    ['I live in Chengdu and I have a parrot named Kiwi.', 'c1'],
    ['I moved to Shanghai last month.', 'c2'],
    ['我不吃香菜，也不喜欢太辣的菜。', 'c3'],
    ['My sister Ann plays the violin every Sunday.', 'c4'],
  ];
  for (const [content, conversation] of turns) {
    const r = await call('/add/message', { user_id: 'mover', conversation_id: conversation, messages: [{ role: 'user', content, chat_time: '2025-05-01 10:00:00' }] });
    expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
  }
  const fb = await call('/add/feedback', { user_id: 'mover', conversation_id: 'c1', feedback_content: 'My parrot is called Mango, not Kiwi.' });
  expect(fb.body.code).toBe(0);
  if (fb.body.data?.task_id) await waitForTask(call, fb.body.data.task_id);
  const queries = ['where do I live', 'parrot name', '我不吃什么', 'who plays the violin', 'Chengdu'];
  const search = async (c: ReturnType<typeof client>) => {
    const out: string[][] = [];
    for (const q of queries) {
      const r = await c('/search/memory', { user_id: 'mover', query: q, conversation_id: 'c9' });
      expect(r.body.code).toBe(0);
      out.push(r.body.data.memory_detail_list.map((m: any) => `${m.id} ${m.memory_value}`));
    }
    return out;
  };
  const expected = await search(call);
  expect(expected.flat().join('\n')).toMatch(/Chengdu/);
  const messagesBefore = (await call('/get/message', { user_id: 'mover', conversation_id: 'c3' })).body.data.message_detail_list;
  await before.stop();

  const url = await createTestDatabase();
  const first = cli(['migrate', '--from-sqlite', before.dataDir, '--database-url', url]);
  expect(first).toMatch(/schema: applied steps 1, /);
  expect(first).toMatch(/memories\s+sqlite\s+(\d+)\s+postgresql\s+\1\s/);
  expect(first).toMatch(/copy complete/);

  // An interrupted copy (the newest rows missing) is finished by running it again.
  const db = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const total = Number((await db.query('SELECT COUNT(*) AS n FROM memories')).rows[0].n);
    await db.query('DELETE FROM memories WHERE seq > (SELECT MAX(seq) - 3 FROM memories)');
    await db.query('DELETE FROM messages WHERE id > (SELECT MAX(id) - 1 FROM messages)');
    const again = cli(['migrate', '--from-sqlite', before.dataDir, '--database-url', url]);
    expect(again).toMatch(/schema: up to date/);
    expect(again).toMatch(/memories\s+sqlite\s+\d+\s+postgresql\s+\d+\s+\(copied now 3\)/);
    expect(again).toMatch(/messages\s+sqlite\s+\d+\s+postgresql\s+\d+\s+\(copied now 1\)/);
    expect(again).toMatch(/projects\s+sqlite\s+1\s+postgresql\s+1\s+\(copied now 0\)/);
    expect(Number((await db.query('SELECT COUNT(*) AS n FROM memories')).rows[0].n)).toBe(total);
  } finally {
    await db.end();
  }

  // The same key, the same searches, on PostgreSQL.
  const after = await startTestServer({ spawn: true, apiKey, dataDir: before.dataDir, env: { MEMOS_DATABASE_URL: url } });
  try {
    const call2 = client(after);
    expect(await search(call2)).toEqual(expected);
    expect((await call2('/get/message', { user_id: 'mover', conversation_id: 'c3' })).body.data.message_detail_list).toEqual(messagesBefore);
    // New writes continue the copied sequences.
    const w = await call2('/add/message', { user_id: 'mover', conversation_id: 'c5', messages: [{ role: 'user', content: 'My new bike is red.' }] });
    expect(w.body.code).toBe(0);
  } finally {
    await after.stop();
  }
});
