/**
 * Embedding vectors travel with --with-vectors (and only then), land on the same memories after an import, and
 * go with their memories when a user is erased.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings';
import { client, REPO } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

jest.setTimeout(120_000);

let fake: FakeEmbeddings;
beforeAll(async () => {
  fake = await startFakeEmbeddings();
});
afterAll(() => fake.close());
const server = useServer(() => ({ env: { MEMOS_EMBEDDING_MODEL: 'fake-embed', MEMOS_EMBEDDING_BASE_URL: fake.baseUrl } }));
const call = client(server);
const BIN = path.join(REPO, 'server/bin/memos-lite.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-vectors-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: server.cliEnv });
const rows = (file: string, table: string) =>
  fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.table === table)
    .map((r) => r.row);

test('vectors are exported with --with-vectors only, and an import puts them back on the same memories', async () => {
  const w = await call('/add/message', { user_id: 'vic', conversation_id: 'c1', async_mode: false, messages: [{ role: 'user', content: 'I adore durian and I live in Penang.' }] });
  expect(w.body.code).toBe(0);
  // Vectors are made in the background: wait until every memory of the user has one.
  const file = path.join(tmp, 'with.jsonl');
  let vectors: any[] = [];
  let memories: any[] = [];
  for (let i = 0; i < 100; i++) {
    fs.rmSync(file, { force: true });
    expect(cli('export', '--user', 'vic', '--with-vectors', '--out', file, '--data-dir', server.dataDir).status).toBe(0);
    vectors = rows(file, 'memory_vectors');
    memories = rows(file, 'memories');
    if (memories.length && vectors.length === memories.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(vectors.length).toBe(memories.length);
  expect(new Set(vectors.map((v) => v.memory_id))).toEqual(new Set(memories.map((m) => m.id)));
  expect(Buffer.from(vectors[0].vector, 'base64').length % 4).toBe(0);
  expect(vectors[0].model).toBe('fake-embed');

  const without = path.join(tmp, 'without.jsonl');
  expect(cli('export', '--user', 'vic', '--out', without, '--data-dir', server.dataDir).status).toBe(0);
  expect(rows(without, 'memory_vectors')).toEqual([]);

  // Into a SQLite data directory of its own, whichever backend the server under test is on.
  const env = { ...process.env };
  delete env.MEMOS_DATABASE_URL;
  const dir = path.join(tmp, 'copy');
  const imp = spawnSync(process.execPath, [BIN, 'import', file, '--data-dir', dir], { encoding: 'utf8', env });
  expect(imp.stderr).toBe('');
  expect(imp.stdout).toMatch(new RegExp(`memory_vectors\\s+${vectors.length} rows\\s+\\(${vectors.length} new\\)`));
  const back = path.join(tmp, 'back.jsonl');
  expect(spawnSync(process.execPath, [BIN, 'export', '--user', 'vic', '--with-vectors', '--out', back, '--data-dir', dir], { encoding: 'utf8', env }).status).toBe(0);
  const byId = (vs: any[]) => Object.fromEntries(vs.map((v) => [v.memory_id, v.vector]));
  expect(byId(rows(back, 'memory_vectors'))).toEqual(byId(vectors));

  // Erasing the user takes the vectors with the memories, and says how many.
  const r = await call('/erase/user', { user_id: 'vic', confirm: 'vic' });
  expect(r.body.data.vectors).toBe(vectors.length);
  const after = path.join(tmp, 'after.jsonl');
  expect(cli('export', '--user', 'vic', '--with-vectors', '--out', after, '--data-dir', server.dataDir).status).toBe(0);
  expect(rows(after, 'memory_vectors')).toEqual([]);
  expect(rows(after, 'memories')).toEqual([]);
});
