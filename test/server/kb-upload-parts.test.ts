/**
 * An upload's original is stored in parts of a megabyte, written one per turn before the file's record, and read
 * back part by part for indexing (engine/knowledgebase.ts, kb-ingest.ts): a fact in the last part of a 2.5 MB
 * document is found, the store holds three parts, a refused upload leaves none behind, and a JSON body that the
 * upload worker reads itself is refused with the codes the request thread's own parser gives.
 */
import Database from '../../server/src/store/sqlite/driver';
import path from 'node:path';
import pg from 'pg';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

jest.setTimeout(60_000);

const server = useServer();
const call = client(server);
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Rows of the parts table for these files, read from the database itself (a store read could hide a leftover). */
async function partRows(fileIds?: string[]): Promise<Array<{ file_id: string; part: number; size: number }>> {
  const url = server.cliEnv.MEMOS_DATABASE_URL;
  const sql = 'SELECT file_id, part, length(content) AS size FROM knowledgebase_file_parts ORDER BY file_id, part';
  let rows: Array<{ file_id: string; part: number; size: number }>;
  if (url) {
    const conn = new pg.Client({ connectionString: url });
    await conn.connect();
    try {
      rows = (await conn.query(sql)).rows.map((r) => ({ file_id: r.file_id, part: Number(r.part), size: Number(r.size) }));
    } finally {
      await conn.end();
    }
  } else {
    const db = new Database(path.join(server.dataDir, 'memos.db'), { readonly: true, fileMustExist: true });
    try {
      rows = db.prepare(sql).all() as typeof rows;
    } finally {
      db.close();
    }
  }
  return fileIds ? rows.filter((r) => fileIds.includes(r.file_id)) : rows;
}

async function waitCompleted(id: string) {
  for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const f = (await call('/get/knowledgebase-file', { file_ids: [id] })).body.data.file_detail_list[0];
    if (f.status !== 'running') return f;
  }
  throw new Error(`file ${id} still running`);
}

let kb: string;
beforeAll(async () => {
  kb = (await call('/create/knowledgebase', { knowledgebase_name: 'manuals' })).body.data.id;
});

test('a 2.5 MB document is stored in three parts and indexed to its last line', async () => {
  const filler = Array.from({ length: 2600 }, (_, i) => `## Step ${i}\n\n${'Tighten the bolts in a star pattern before the next panel. '.repeat(16)}\n`).join('\n');
  const doc = `${filler}\n## Storage\n\nSpare fuses are kept in drawer kestrel-9 of the blue cabinet.\n`;
  expect(doc.length).toBeGreaterThan(2.2 * 1024 * 1024);
  const up = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: b64(doc), name: 'assembly.md' }] });
  expect(up.body.code).toBe(0);
  const id = up.body.data[0].id as string;
  expect(up.body.data[0]).toMatchObject({ name: 'assembly.md', status: 'running' });

  const rows = await partRows([id]);
  expect(rows.map((r) => r.part)).toEqual([0, 1, 2]);
  expect(rows[0].size).toBe(1024 * 1024);
  expect(rows.reduce((n, r) => n + r.size, 0)).toBe(Buffer.byteLength(doc));

  expect(await waitCompleted(id)).toMatchObject({ status: 'completed' });
  const hit = await call('/search/memory', { user_id: 'anyone', query: 'Where are the spare fuses kept?', knowledgebase_ids: [kb] });
  expect(hit.body.data.memory_detail_list[0].memory_value).toMatch(/drawer kestrel-9/);
});

test('an upload refused at its second file leaves no part of the first behind', async () => {
  const before = await partRows();
  const first = 'x'.repeat(1536 * 1024);
  const r = await call('/add/knowledgebase-file', {
    knowledgebase_id: kb,
    file: [
      { content: b64(`# Notes\n\n${first}`), name: 'notes.md' },
      { content: 'aGVsbG8', name: 'broken.md' },
    ],
  });
  expect(r.body.code).toBe(40009);
  expect(r.body.message).toMatch(/^file\[1\] \(broken\.md\)/);
  expect(await partRows()).toEqual(before);
  const list = await call('/get/knowledgebase-file', { knowledgebase_id: kb });
  expect(list.body.data.file_detail_list.map((f: { name: string }) => f.name)).toEqual(['assembly.md']);
});

test('a body the upload worker reads is refused as the request thread would refuse it', async () => {
  const notJson = await call('/add/knowledgebase-file', '{"knowledgebase_id": "x", "file": [');
  expect(notJson.body).toMatchObject({ code: 40000, message: expect.stringMatching(/^the request body is not valid JSON: /) });
  const proto = await call('/add/knowledgebase-file', `{"knowledgebase_id": "${kb}", "file": [{"content": "aGk=", "__proto__": {"x": 1}}]}`);
  expect(proto.body).toMatchObject({ code: 40000, message: expect.stringMatching(/prototype/) });
  const deep = await call('/add/knowledgebase-file', '['.repeat(5000) + ']'.repeat(5000));
  expect(deep.body).toMatchObject({ code: 40000, message: expect.stringMatching(/nested more than/) });
  const missing = await call('/add/knowledgebase-file', { knowledgebase_id: kb });
  expect(missing.body).toMatchObject({ code: 40002, message: expect.stringMatching(/^file/) });
  const other = await call('/add/knowledgebase-file', { knowledgebase_id: 'base-not-mine', file: [{ content: 'aGk=' }] });
  expect(other.body.code).toBe(50120);
});

test('an upload whose body trickles in holds up no other upload', async () => {
  const { request } = await import('node:http');
  const body = Buffer.from(JSON.stringify({ knowledgebase_id: kb, file: [{ content: b64('# Slow\n\nThe slow file arrived last.\n'), name: 'slow.md' }] }));
  const url = new URL(server.baseUrl + '/add/knowledgebase-file');
  let answer = '';
  const slow = new Promise<void>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Token ${server.apiKey}` } },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (d) => (answer += d));
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, 40));
    setTimeout(() => req.end(body.subarray(40)), 3000);
  });
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  const quick = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: b64('# Quick\n\nThe quick file arrived first.\n'), name: 'quick.md' }] });
  expect(quick.body.code).toBe(0);
  expect(Date.now() - started).toBeLessThan(2500);
  expect(answer).toBe('');
  await slow;
  expect(JSON.parse(answer)).toMatchObject({ code: 0, data: [{ name: 'slow.md' }] });
});
