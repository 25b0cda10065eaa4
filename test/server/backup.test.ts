/**
 * Backup while serving: `memos-lite backup` takes a consistent copy while writes go on, and every write the
 * server acknowledged before the backup started is in it; `restore` brings it back into an empty data directory
 * and the server serves it. Message retention drops old raw messages and keeps memories.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from '../../server/src/store/sqlite/driver';
import { client, REPO } from '../helpers/memos-lite';
import { startTestServer, useServer } from '../helpers/server';

jest.setTimeout(120_000);

const server = useServer();
const call = client(server);
const BIN = path.join(REPO, 'server/bin/memos-lite.js');
/** Tests of the SQLite file itself; on PostgreSQL (MEMOS_TEST_BACKEND=postgres) its own tools back up the data. */
const sqliteFileTest = process.env.MEMOS_TEST_BACKEND === 'postgres' ? test.skip : test;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-backup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: server.cliEnv });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

sqliteFileTest('every write acknowledged before the backup started is in it, while writes go on during it', async () => {
  const acked: string[] = [];
  let stop = false;
  // Four writers keep adding messages until the backup is done.
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const text = `writer ${w} note ${i} ${Math.random().toString(36).slice(2)}`;
      const r = await call('/add/message', { user_id: `w${w}`, conversation_id: 'c', messages: [{ role: 'user', content: text }] });
      if (r.body.code === 0) acked.push(text);
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  while (acked.length < 200) await new Promise((r) => setTimeout(r, 20));
  const before = [...acked];
  const file = path.join(tmp, 'live.db');
  const b = await cli('backup', file, '--data-dir', server.dataDir);
  const duringBackup = acked.length - before.length;
  stop = true;
  await Promise.all(writers);
  expect(b.stderr).toBe('');
  expect(b.status).toBe(0);
  expect(b.stdout).toMatch(/backed up .* pages/);
  // Writers were not held up: more writes were acknowledged while the backup ran.
  expect(duringBackup).toBeGreaterThan(0);

  const db = new Database(file, { readonly: true });
  const stored = new Set((db.prepare('SELECT content FROM messages').all() as Array<{ content: string }>).map((r) => r.content));
  expect((db.pragma('integrity_check', { simple: true }) as string)).toBe('ok');
  db.close();
  expect(before.filter((t) => !stored.has(t))).toEqual([]);

  // Restore into an empty directory and serve it.
  const dir = path.join(tmp, 'restored');
  const r = await cli('restore', file, '--data-dir', dir);
  expect(r.status).toBe(0);
  const again = await startTestServer({ dataDir: dir, apiKey: server.apiKey });
  try {
    const c = client(again);
    const msgs = await c('/get/message', { user_id: 'w0', conversation_id: 'c', message_limit_number: 50 });
    expect(msgs.body.code).toBe(0);
    const first = before.find((t) => t.startsWith('writer 0 '))!;
    const found = await c('/search/memory', { user_id: 'w0', query: first.split(' ').pop(), relativity: 0 });
    expect(JSON.stringify(found.body)).toContain(first);
  } finally {
    await again.stop();
  }
});

sqliteFileTest('restore refuses a data directory that holds a database, and a file that is not a backup', async () => {
  const file = path.join(tmp, 'again.db');
  expect((await cli('backup', file, '--data-dir', server.dataDir)).status).toBe(0);
  const busy = await cli('restore', file, '--data-dir', server.dataDir);
  expect(busy.status).toBe(2);
  expect(busy.stderr).toMatch(/already holds a database/);
  const junk = path.join(tmp, 'junk.db');
  fs.writeFileSync(junk, 'not a database at all');
  const bad = await cli('restore', junk, '--data-dir', path.join(tmp, 'empty'));
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/not a memos-lite database|cannot open|damaged/);
  expect(fs.existsSync(path.join(tmp, 'empty', 'memos.db'))).toBe(false);
  const exists = await cli('backup', file, '--data-dir', server.dataDir);
  expect(exists.status).toBe(2);
  expect(exists.stderr).toMatch(/exists already/);
});

test('backup and restore point PostgreSQL users at pg_dump', () => {
  const r = spawnSync(process.execPath, [BIN, 'backup', path.join(tmp, 'x.db'), '--data-dir', tmp], {
    encoding: 'utf8',
    env: { ...process.env, MEMOS_DATABASE_URL: 'postgres://127.0.0.1:1/none' },
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/pg_dump/);
});

sqliteFileTest('MEMOS_MESSAGE_RETENTION_DAYS drops raw messages older than N days at start; memories and newer messages stay', async () => {
  const dir = path.join(tmp, 'retention');
  const first = await startTestServer({ dataDir: dir });
  const c1 = client(first);
  await c1('/add/message', { user_id: 'ret', conversation_id: 'old', async_mode: false, messages: [{ role: 'user', content: 'I live in Porto.' }] });
  await c1('/add/message', { user_id: 'ret', conversation_id: 'new', async_mode: false, messages: [{ role: 'user', content: 'I like figs.' }] });
  await first.stop();
  // The first conversation was stored ten days ago.
  const db = new Database(path.join(dir, 'memos.db'));
  db.prepare("UPDATE messages SET create_time = create_time - 10 * 86400000 WHERE conversation_id = 'old'").run();
  db.close();
  const second = await startTestServer({ dataDir: dir, apiKey: first.apiKey, env: { MEMOS_MESSAGE_RETENTION_DAYS: '7' } });
  try {
    const c2 = client(second);
    const old = async () => (await c2('/get/message', { user_id: 'ret', conversation_id: 'old' })).body.data.message_detail_list.length;
    const deadline = Date.now() + 10_000;
    while ((await old()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await old()).toBe(0);
    expect((await c2('/get/message', { user_id: 'ret', conversation_id: 'new' })).body.data.message_detail_list).toHaveLength(1);
    const mem = await c2('/search/memory', { user_id: 'ret', query: 'Where do I live?' });
    expect(JSON.stringify(mem.body)).toMatch(/Porto/);
  } finally {
    await second.stop();
  }
  const zero = spawnSync(process.execPath, [BIN, 'start', '--data-dir', dir, '--port', '0'], { encoding: 'utf8', env: { ...process.env, MEMOS_MESSAGE_RETENTION_DAYS: '0' } });
  expect(zero.status).toBe(2);
  expect(zero.stderr).toMatch(/at least 1/);
});
