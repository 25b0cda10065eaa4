/**
 * Export and import: a project exported while its server runs and imported into a fresh data directory (and
 * into PostgreSQL) answers the same searches with the same memories; a second import changes nothing; an import
 * killed with SIGKILL finishes when run again; a file of a newer format is refused with a clear error.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from '../../server/src/store/sqlite/driver';
import { client, REPO, waitForTask } from '../helpers/memos-lite';
import { startTestServer, useServer, type TestServer } from '../helpers/server';

jest.setTimeout(180_000);

const server = useServer();
const call = client(server);
const BIN = path.join(REPO, 'server/bin/memos-lite.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The CLI on the server's store for commands on its data directory; any other directory is a SQLite one of its own. */
const envFor = (args: string[]): NodeJS.ProcessEnv => {
  if (args.includes(server.dataDir)) return server.cliEnv;
  const env = { ...process.env };
  delete env.MEMOS_DATABASE_URL;
  return env;
};
const cli = (args: string[], env: NodeJS.ProcessEnv = envFor(args)) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });

const QUERIES: Array<[string, string]> = [
  ['ana', 'Where do I live now?'],
  ['ana', 'What should I not eat?'],
  ['ben', 'What pet do I have?'],
  ['ben', 'What do I drink in the morning?'],
];

/** What a client sees: the memories (ids, texts, types) each search returns and the users' listings and messages. */
async function observe(s: Pick<TestServer, 'baseUrl' | 'apiKey'>, kb: string) {
  const c = client(s);
  const out: unknown[] = [];
  for (const [user, query] of QUERIES) {
    const r = await c('/search/memory', { user_id: user, query, knowledgebase_ids: [kb] });
    expect(r.body.code).toBe(0);
    out.push(
      [...r.body.data.memory_detail_list, ...r.body.data.preference_detail_list].map((m: any) => [m.id, m.memory_value ?? m.preference, m.memory_type ?? m.preference_type]),
    );
  }
  for (const user of ['ana', 'ben']) {
    const g = await c('/get/memory', { user_id: user, size: 100 });
    out.push(g.body.data.memory_detail_list.map((m: any) => [m.id, m.memory_value, m.create_time, m.update_time]));
    out.push((await c('/get/message', { user_id: user, conversation_id: 'c1', message_limit_number: 50 })).body.data.message_detail_list);
  }
  out.push((await c('/get/knowledgebase-file', { knowledgebase_id: kb })).body.data);
  return out;
}

let kb: string;
let exportFile: string;
beforeAll(async () => {
  const say = async (user: string, conv: string, content: string, chat_time: string) => {
    const r = await call('/add/message', { user_id: user, conversation_id: conv, async_mode: false, messages: [{ role: 'user', content, chat_time }] });
    expect(r.body.data.status).toBe('completed');
  };
  await say('ana', 'c1', 'I live in Beijing and I am allergic to peanuts.', '2025-01-10 09:00:00');
  await say('ana', 'c1', 'I moved to Shanghai last week.', '2025-03-02 10:00:00');
  await say('ben', 'c1', 'I have a corgi called Biscuit and I drink green tea every morning.', '2025-02-01 08:00:00');
  const f = await call('/add/feedback', { user_id: 'ben', conversation_id: 'c1', feedback_content: 'Actually my corgi is called Waffle, not Biscuit.' });
  expect(await waitForTask(call, f.body.data.task_id)).toBe('completed');
  kb = (await call('/create/knowledgebase', { knowledgebase_name: 'Office', knowledgebase_description: 'policies' })).body.data.id;
  const up = await call('/add/knowledgebase-file', {
    knowledgebase_id: kb,
    file: [{ content: `data:text/plain;base64,${b64('Employees park for free on level B2. Green tea is served in the kitchen every morning.')}`, name: 'office.txt' }],
  });
  expect(await waitForTask(call, up.body.data[0].task_id ?? up.body.task_id ?? '', 30_000).catch(() => 'n/a')).toBeDefined();
  // Wait until the document is searchable.
  for (let i = 0; i < 100; i++) {
    const files = (await call('/get/knowledgebase-file', { knowledgebase_id: kb })).body.data;
    if (JSON.stringify(files).includes('"completed"')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  exportFile = path.join(tmp, 'project.jsonl');
  // Exported while the server runs.
  const r = cli(['export', '--data-dir', server.dataDir, '--out', exportFile]);
  // Piped (not a terminal): no progress bar, only the closing summary line.
  expect(r.stderr).toMatch(/^exported \d+ rows of project default in [\d.]+ s: \{.*\}\n$/);
  expect(r.status).toBe(0);
});

test('the file: a header with format and server version and counts, one line per row, an end line', () => {
  const lines = fs.readFileSync(exportFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const header = lines[0];
  expect(header).toMatchObject({ type: 'header', format: 'memos-lite-export', format_version: 1, server_version: expect.any(String), user_id: null, with_vectors: false });
  expect(lines[lines.length - 1]).toEqual({ type: 'end', counts: header.counts });
  const rows = lines.slice(1, -1);
  for (const [table, n] of Object.entries(header.counts)) expect([table, rows.filter((r) => r.table === table).length]).toEqual([table, n]);
  expect(header.counts.memories).toBeGreaterThan(5);
  // Every version is there: the archived Beijing and the current Shanghai, linked by superseded_by.
  const mem = rows.filter((r) => r.table === 'memories').map((r) => r.row);
  const beijing = mem.find((m) => /Beijing/.test(m.value) && m.kind === 'fact' && m.status === 'archived' && m.superseded_by);
  expect(beijing).toBeDefined();
  expect(mem.find((m) => m.id === beijing.superseded_by).value).toMatch(/Shanghai/);
  // The knowledge base with its original file.
  const file = rows.find((r) => r.table === 'knowledgebase_files').row;
  expect(Buffer.from(file.content, 'base64').toString()).toMatch(/level B2/);
});

test('imported into a fresh data directory: the same searches return the same memories; importing again changes nothing', async () => {
  const dir = path.join(tmp, 'fresh');
  const first = cli(['import', exportFile, '--data-dir', dir]);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/import complete .* counts match the file/);
  const db = new Database(path.join(dir, 'memos.db'), { readonly: true });
  const counts = () => ['memories', 'messages', 'knowledgebase_files', 'tasks', 'api_keys'].map((t) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n);
  const once = counts();
  const second = cli(['import', exportFile, '--data-dir', dir]);
  expect(second.status).toBe(0);
  expect(second.stdout).not.toMatch(/\(([1-9]\d*) new\)/);
  expect(counts()).toEqual(once);
  db.close();
  // The exported key came along (only its hash is stored): the same client works against the copy.
  // The copy is a SQLite directory, whichever backend the exporting server is on.
  const copy = await startTestServer({ dataDir: dir, apiKey: server.apiKey, env: { MEMOS_DATABASE_URL: '' } });
  try {
    expect(await observe(copy, kb)).toEqual(await observe(server, kb));
  } finally {
    await copy.stop();
  }
});

test('imported into PostgreSQL (the other backend): the same listings and messages, and the searches find the same facts', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTestDatabase } = require('../helpers/postgres') as typeof import('../helpers/postgres');
  const url = await createTestDatabase();
  const env = { ...process.env, MEMOS_DATABASE_URL: url };
  const r = cli(['import', exportFile, '--data-dir', path.join(tmp, 'pg')], env);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(cli(['import', exportFile, '--data-dir', path.join(tmp, 'pg')], env).stdout).not.toMatch(/\(([1-9]\d*) new\)/);
  const pg = await startTestServer({ dataDir: path.join(tmp, 'pg'), apiKey: server.apiKey, env: { MEMOS_DATABASE_URL: url } });
  try {
    const [a, b] = [await observe(pg, kb), await observe(server, kb)];
    // Listings, messages and files are identical; the searches return the same memories (ranking may differ by a hair).
    expect(a.slice(QUERIES.length)).toEqual(b.slice(QUERIES.length));
    for (let i = 0; i < QUERIES.length; i++) expect((a[i] as unknown[][]).map((m) => m[0]).sort()).toEqual((b[i] as unknown[][]).map((m) => m[0]).sort());
    // And PostgreSQL exports the same rows back.
    const back = path.join(tmp, 'from-pg.jsonl');
    expect(cli(['export', '--out', back, '--data-dir', path.join(tmp, 'pg')], env).status).toBe(0);
    const header = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8').split('\n')[0]).counts;
    expect(header(back)).toEqual(header(exportFile));
  } finally {
    await pg.stop();
  }
});

test('one user\'s export holds only that user', () => {
  const file = path.join(tmp, 'ben.jsonl');
  expect(cli(['export', '--user', 'ben', '--out', file, '--data-dir', server.dataDir]).status).toBe(0);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toMatch(/Waffle/);
  expect(text).not.toMatch(/Beijing|peanuts|level B2/);
  expect(JSON.parse(text.split('\n')[0])).toMatchObject({ user_id: 'ben' });
});

test('an import killed with SIGKILL half-way completes when run again, with nothing twice', async () => {
  // A large file: the exported project plus 20,000 more memories of one user.
  const lines = fs.readFileSync(exportFile, 'utf8').trim().split('\n');
  const header = JSON.parse(lines[0]);
  const template = JSON.parse(lines.find((l) => l.includes('"table":"memories"'))!).row;
  const extra = Array.from({ length: 20_000 }, (_, i) =>
    JSON.stringify({ type: 'row', table: 'memories', row: { ...template, id: `bulk-${i}`, user_id: 'bulk', value: `bulk fact number ${i}`, search_text: `bulk fact number ${i}` } }),
  );
  header.counts.memories += extra.length;
  const big = path.join(tmp, 'big.jsonl');
  const rows = lines.slice(1, -1);
  fs.writeFileSync(big, [JSON.stringify(header), ...rows, ...extra, JSON.stringify({ type: 'end', counts: header.counts })].join('\n') + '\n');

  const dir = path.join(tmp, 'killed');
  const child = spawn(process.execPath, [BIN, 'import', big, '--data-dir', dir], { env: envFor([dir]), stdio: 'ignore' });
  const dbFile = path.join(dir, 'memos.db');
  const imported = () => {
    if (!fs.existsSync(dbFile)) return 0;
    const db = new Database(dbFile, { readonly: true });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM memories WHERE user_id = 'bulk'").get() as { n: number }).n;
    } catch {
      return 0;
    } finally {
      db.close();
    }
  };
  while (imported() === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const partial = imported();
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(extra.length);

  const rerun = cli(['import', big, '--data-dir', dir]);
  expect(rerun.stderr).toBe('');
  expect(rerun.status).toBe(0);
  expect(imported()).toBe(extra.length);
  const db = new Database(dbFile, { readonly: true });
  expect((db.prepare('SELECT COUNT(*) AS n FROM memories').get() as { n: number }).n).toBe(header.counts.memories);
  // The full-text index holds every memory exactly once: a search finds a memory written in either run.
  const fts = (q: string) => (db.prepare('SELECT COUNT(*) AS n FROM memories_fts WHERE memories_fts MATCH ?').get(q) as { n: number }).n;
  expect(fts('bulk')).toBe(extra.length);
  db.close();
});

test('a file of a newer format version, a damaged file and a truncated file are refused with a clear error', () => {
  const lines = fs.readFileSync(exportFile, 'utf8').trim().split('\n');
  const newer = path.join(tmp, 'newer.jsonl');
  fs.writeFileSync(newer, [JSON.stringify({ ...JSON.parse(lines[0]), format_version: 2, server_version: '9.0.0' }), ...lines.slice(1)].join('\n'));
  const r = cli(['import', newer, '--data-dir', path.join(tmp, 'n')]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/format version 2 \(written by memos-lite 9\.0\.0\); this memos-lite reads versions up to 1: upgrade memos-lite/);

  const truncated = path.join(tmp, 'truncated.jsonl');
  fs.writeFileSync(truncated, lines.slice(0, -1).join('\n'));
  const t = cli(['import', truncated, '--data-dir', path.join(tmp, 't')]);
  expect(t.status).toBe(2);
  expect(t.stderr).toMatch(/incomplete/);

  const damaged = path.join(tmp, 'damaged.jsonl');
  fs.writeFileSync(damaged, [lines[0], '{"type":"row","table":"memories","row":', ...lines.slice(2)].join('\n'));
  const d = cli(['import', damaged, '--data-dir', path.join(tmp, 'd')]);
  expect(d.status).toBe(2);
  expect(d.stderr).toMatch(/line 2 is not JSON/);

  const notExport = cli(['import', path.join(REPO, 'package.json'), '--data-dir', path.join(tmp, 'x')]);
  expect(notExport.status).toBe(2);
  expect(notExport.stderr).toMatch(/not a memos-lite export/);
});

test('every table of the SQLite schema is exported, or is derived from exported ones', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PORTABLE_TABLES } = require('../../server/src/store/portability') as typeof import('../../server/src/store/portability');
  const db = new Database(path.join(tmp, 'fresh', 'memos.db'), { readonly: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
  db.close();
  // meta: the schema version; file contents (whole or in parts) travel inside knowledgebase_files rows; the full-text index is rebuilt.
  const derived = (t: string) =>
    t === 'meta' || t === 'knowledgebase_file_content' || t === 'knowledgebase_file_parts' || t.startsWith('memories_fts') || t === 'memories_vocab' || t.startsWith('sqlite_');
  // A new table holding user data must be added to store/portability.ts (export, import and erase).
  expect(tables.filter((t) => !derived(t) && !(PORTABLE_TABLES as readonly string[]).includes(t))).toEqual([]);
});

test('on a terminal, export and import show a progress bar', () => {
  // `script` (util-linux) runs the command on a pseudo-terminal, as a user at a shell would.
  const out = path.join(tmp, 'tty.jsonl');
  const run = (cmd: string) => spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: server.cliEnv }).stdout;
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  expect(run(`${q(process.execPath)} ${q(BIN)} export --data-dir ${q(server.dataDir)} --out ${q(out)}`)).toMatch(/export \[[█░]+\] 100% \| (\d+)\/\1 rows/);
  expect(run(`${q(process.execPath)} ${q(BIN)} import ${q(out)} --data-dir ${q(path.join(tmp, 'tty'))}`)).toMatch(/import \[[█░]+\] 100% \| (\d+)\/\1 rows/);
});
