/**
 * A knowledge-base file's original stored in parts, on every backend: the parts are written before the file's
 * record and read back one at a time; a file stored whole (before parts existed) reads as one part; a refused
 * upload's parts are discarded, a dead upload's are swept by age; every delete takes the parts with the file;
 * export carries a parted file whole and import stores it in parts again; `migrate --from-sqlite` copies them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copySqliteToPostgres } from '../../server/src/store/migrate-command';
import { portabilityOf } from '../../server/src/store/open';
import { PgDb } from '../../server/src/store/postgres/connection';
import { FILE_PART_BYTES } from '../../server/src/store/file-parts';
import { PORTABLE_TABLES, type PortableRow, type PortableTable } from '../../server/src/store/portability';
import { PostgresStore } from '../../server/src/store/postgres/postgres-store';
import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import type { KnowledgebaseFileRecord, Store } from '../../server/src/store/types';
import { createTestDatabase, storeBackends } from '../helpers/postgres';

jest.setTimeout(60_000);

const file = (id: string, knowledgebaseId: string, sizeBytes: number): KnowledgebaseFileRecord => ({
  id,
  knowledgebaseId,
  projectId: 'p1',
  type: 'document',
  name: `${id}.pdf`,
  ext: 'pdf',
  sizeBytes,
  status: 'running',
  error: null,
  sourceUrl: null,
  taskId: null,
  chunkCount: 0,
  createTime: 1,
  updateTime: 1,
});

/** Rows of a table as stored, whichever the backend: what the Store's own reads could hide. */
async function count(store: Store, table: string, fileId: string): Promise<number> {
  if (store instanceof SqliteStore) return (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE file_id = ?`).get(fileId) as { n: number }).n;
  if (store instanceof PostgresStore) return Number((await store.conn.pool.query(`SELECT COUNT(*) AS n FROM ${table} WHERE file_id = $1`, [fileId])).rows[0].n);
  throw new Error('unknown backend');
}

/** Every part of a file read back one at a time, as the engine reads them, up to the first missing one. */
async function readParts(store: Store, fileId: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let part = 0; ; part++) {
    const bytes = await store.getKnowledgebaseFilePart(fileId, part);
    if (bytes === undefined) return out;
    out.push(bytes);
  }
}

/** Writes a file's parts, then commits its record without content. */
async function storeParted(store: Store, f: KnowledgebaseFileRecord, parts: Buffer[], now = Date.now()) {
  for (let part = 0; part < parts.length; part++) await store.putKnowledgebaseFilePart(f.id, part, parts[part], now);
  await store.commit({ knowledgebaseFiles: [{ file: f }] });
}

describe.each(storeBackends())('knowledge-base file parts: $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    expect(await store.createKnowledgebase({ id: 'kb-p', name: 'Parts', description: '', projectId: 'p1', createTime: 1 }, 'p1', 10)).toBe(true);
  });
  afterAll(async () => {
    await store?.close();
    await backend.cleanup?.();
  });

  test('parts written before the record is committed read back one by one, and whole as their concatenation', async () => {
    const parts = [randomBytes(1024 * 1024), randomBytes(1024 * 1024), randomBytes(4321)];
    const f = file('f-parted', 'kb-p', 2 * 1024 * 1024 + 4321);
    await storeParted(store, f, parts);
    const back = await readParts(store, f.id);
    expect(back.length).toBe(3);
    back.forEach((b, i) => expect(b.equals(parts[i])).toBe(true));
    expect(await store.getKnowledgebaseFilePart(f.id, 3)).toBeUndefined();
    expect((await store.getKnowledgebaseFileContent(f.id))!.equals(Buffer.concat(parts))).toBe(true);
    // Nothing went to the table of files stored whole.
    expect(await count(store, 'knowledgebase_file_content', f.id)).toBe(0);
    expect(await count(store, 'knowledgebase_file_parts', f.id)).toBe(3);
    expect((await store.getKnowledgebaseFiles([f.id]))[0]).toMatchObject({ id: f.id, sizeBytes: f.sizeBytes, status: 'running' });
  });

  test('a part written again replaces the earlier bytes; an empty file is one empty part', async () => {
    await store.putKnowledgebaseFilePart('f-rewrite', 0, Buffer.from('first try'), Date.now());
    await store.putKnowledgebaseFilePart('f-rewrite', 0, Buffer.from('second'), Date.now());
    await store.putKnowledgebaseFilePart('f-rewrite', 1, Buffer.from([0, 1, 2, 255]), Date.now());
    await store.commit({ knowledgebaseFiles: [{ file: file('f-rewrite', 'kb-p', 10) }] });
    expect((await readParts(store, 'f-rewrite')).map((b) => b.toString('hex'))).toEqual([Buffer.from('second').toString('hex'), '000102ff']);
    expect(await store.getKnowledgebaseFileContent('f-rewrite')).toEqual(Buffer.concat([Buffer.from('second'), Buffer.from([0, 1, 2, 255])]));

    await storeParted(store, file('f-empty', 'kb-p', 0), [Buffer.alloc(0)]);
    expect(await store.getKnowledgebaseFilePart('f-empty', 0)).toEqual(Buffer.alloc(0));
    expect(await store.getKnowledgebaseFilePart('f-empty', 1)).toBeUndefined();
    expect(await store.getKnowledgebaseFileContent('f-empty')).toEqual(Buffer.alloc(0));
  });

  test('a file stored whole is its own part 0 and has no part 1; an unknown file has none', async () => {
    const whole = randomBytes(300_000);
    await store.commit({ knowledgebaseFiles: [{ file: file('f-whole', 'kb-p', whole.length), content: whole }] });
    expect((await store.getKnowledgebaseFilePart('f-whole', 0))!.equals(whole)).toBe(true);
    expect(await store.getKnowledgebaseFilePart('f-whole', 1)).toBeUndefined();
    expect((await store.getKnowledgebaseFileContent('f-whole'))!.equals(whole)).toBe(true);
    expect(await count(store, 'knowledgebase_file_parts', 'f-whole')).toBe(0);
    expect(await store.getKnowledgebaseFilePart('f-nobody', 0)).toBeUndefined();
    expect(await store.getKnowledgebaseFileContent('f-nobody')).toBeUndefined();
  });

  test('discard removes the parts of the given files only, however long the list', async () => {
    const keep = [Buffer.from('keep me 0'), Buffer.from('keep me 1')];
    for (const [id, parts] of [['f-refused', [Buffer.from('refused 0'), Buffer.from('refused 1')]], ['f-kept', keep]] as const)
      for (let part = 0; part < parts.length; part++) await store.putKnowledgebaseFilePart(id, part, parts[part], Date.now());
    // The refused file's id last in a list longer than one statement takes.
    const list = [...Array.from({ length: 1200 }, (_, i) => `f-none-${i}`), 'f-refused'];
    await store.discardKnowledgebaseFileParts(list);
    expect(await readParts(store, 'f-refused')).toEqual([]);
    expect(await count(store, 'knowledgebase_file_parts', 'f-refused')).toBe(0);
    expect(await readParts(store, 'f-kept')).toEqual(keep);
    await store.discardKnowledgebaseFileParts([]);
    await store.discardKnowledgebaseFileParts(['f-kept']);
    expect(await readParts(store, 'f-kept')).toEqual([]);
  });

  test('the sweep removes only parts older than the cut-off whose file was never committed', async () => {
    const old = 1_000;
    const cutoff = 5_000;
    // Twenty old orphans over three dead uploads (more than one slice of a sweep), a fresh orphan of an upload
    // still under way, and a committed file whose parts are just as old.
    const dead = ['f-dead-a', 'f-dead-b', 'f-dead-c'];
    for (let i = 0; i < 20; i++) await store.putKnowledgebaseFilePart(dead[i % 3], Math.floor(i / 3), Buffer.from(`dead ${i}`), old);
    const fresh = [Buffer.from('fresh 0')];
    await store.putKnowledgebaseFilePart('f-uploading', 0, fresh[0], cutoff);
    const committed = [Buffer.from('committed 0'), Buffer.from('committed 1')];
    await storeParted(store, file('f-committed', 'kb-p', 22), committed, old);

    expect(await store.sweepKnowledgebaseFileParts(cutoff)).toBe(20);
    for (const id of dead) {
      expect(await readParts(store, id)).toEqual([]);
      expect(await count(store, 'knowledgebase_file_parts', id)).toBe(0);
    }
    expect(await readParts(store, 'f-uploading')).toEqual(fresh);
    expect(await readParts(store, 'f-committed')).toEqual(committed);
    expect(await store.sweepKnowledgebaseFileParts(cutoff)).toBe(0);
    // Once the upload is old enough and still has no record, it goes too.
    expect(await store.sweepKnowledgebaseFileParts(cutoff + 1)).toBe(1);
    expect(await readParts(store, 'f-uploading')).toEqual([]);
    expect(await readParts(store, 'f-committed')).toEqual(committed);
  });

  test('deleting files takes their parts and whole contents with them, and nothing of another file', async () => {
    const a = [Buffer.from('delete a 0'), Buffer.from('delete a 1')];
    const b = [Buffer.from('delete b 0')];
    await storeParted(store, file('f-del-a', 'kb-p', 20), a);
    await storeParted(store, file('f-del-b', 'kb-p', 10), b);
    await store.commit({ knowledgebaseFiles: [{ file: file('f-del-whole', 'kb-p', 5), content: Buffer.from('whole') }] });
    await store.deleteKnowledgebaseFiles(['f-del-a', 'f-del-whole']);
    expect(await readParts(store, 'f-del-a')).toEqual([]);
    expect(await store.getKnowledgebaseFileContent('f-del-a')).toBeUndefined();
    expect(await count(store, 'knowledgebase_file_parts', 'f-del-a')).toBe(0);
    expect(await store.getKnowledgebaseFilePart('f-del-whole', 0)).toBeUndefined();
    expect(await count(store, 'knowledgebase_file_content', 'f-del-whole')).toBe(0);
    expect(await readParts(store, 'f-del-b')).toEqual(b);
    expect(await store.getKnowledgebaseFiles(['f-del-a', 'f-del-b', 'f-del-whole'])).toEqual([expect.objectContaining({ id: 'f-del-b' })]);
  });

  test('purging a knowledge base takes its files\' parts, and nothing of another knowledge base', async () => {
    expect(await store.createKnowledgebase({ id: 'kb-gone', name: 'Gone', description: '', projectId: 'p1', createTime: 1 }, 'p1', 10)).toBe(true);
    const gone = [Buffer.from('purged 0'), Buffer.from('purged 1'), Buffer.from('purged 2')];
    await storeParted(store, file('f-purged', 'kb-gone', 24), gone);
    await store.commit({ knowledgebaseFiles: [{ file: file('f-purged-whole', 'kb-gone', 5), content: Buffer.from('whole') }] });
    const stays = [Buffer.from('other kb 0')];
    await storeParted(store, file('f-other-kb', 'kb-p', 10), stays);
    await store.purgeKnowledgebase('kb-gone');
    expect(await readParts(store, 'f-purged')).toEqual([]);
    expect(await count(store, 'knowledgebase_file_parts', 'f-purged')).toBe(0);
    expect(await store.getKnowledgebaseFileContent('f-purged-whole')).toBeUndefined();
    expect(await count(store, 'knowledgebase_file_content', 'f-purged-whole')).toBe(0);
    expect(await store.getKnowledgebase('kb-gone')).toBeUndefined();
    expect(await readParts(store, 'f-other-kb')).toEqual(stays);
  });
});

describe.each(storeBackends())('export and import of a parted file: $name', (backend) => {
  let from: Store;
  let into: Store;
  afterAll(async () => {
    await from?.close();
    await into?.close();
    await backend.cleanup?.();
  });

  test('a file stored in parts is exported whole and imported in parts, byte for byte; files stored whole too', async () => {
    from = await backend.open();
    const { project } = await from.ensureDefaultProject();
    const other = await from.projectByName('other');
    expect(await from.createKnowledgebase({ id: 'kb-x', name: 'X', description: '', projectId: project.id, createTime: 1 }, project.id, 10)).toBe(true);
    expect(await from.createKnowledgebase({ id: 'kb-foreign', name: 'Y', description: '', projectId: other.id, createTime: 1 }, other.id, 10)).toBe(true);
    const parts = [randomBytes(1024 * 1024), randomBytes(777)];
    const whole = randomBytes(FILE_PART_BYTES + 5);
    await storeParted(from, { ...file('f-x', 'kb-x', 1024 * 1024 + 777), projectId: project.id }, parts);
    await from.commit({ knowledgebaseFiles: [{ file: { ...file('f-x-whole', 'kb-x', whole.length), projectId: project.id }, content: whole }] });
    await storeParted(from, { ...file('f-foreign', 'kb-foreign', 3), projectId: other.id }, [Buffer.from('not yours')]);

    const rows = new Map<PortableTable, PortableRow[]>();
    await portabilityOf(from).exportRows(
      { projectId: project.id, withVectors: false },
      {
        counts: async () => undefined,
        rows: async (table, page) => void rows.set(table, [...(rows.get(table) ?? []), ...page]),
      },
    );
    const files = new Map((rows.get('knowledgebase_files') ?? []).map((r) => [r.id as string, r]));
    // Only the project's own knowledge bases travel.
    expect([...files.keys()].sort()).toEqual(['f-x', 'f-x-whole']);
    expect(Buffer.from(String(files.get('f-x')!.content), 'base64').equals(Buffer.concat(parts))).toBe(true);
    expect(Buffer.from(String(files.get('f-x-whole')!.content), 'base64').equals(whole)).toBe(true);

    into = await backend.open();
    const p = portabilityOf(into);
    for (const table of PORTABLE_TABLES) if (rows.get(table)?.length) await p.importRows(table, project.id, rows.get(table)!);
    expect((await into.getKnowledgebaseFileContent('f-x'))!.equals(Buffer.concat(parts))).toBe(true);
    const wholeBack = await readParts(into, 'f-x-whole');
    // Imported files are stored in parts whatever way they were stored before.
    expect(wholeBack.map((b) => b.length)).toEqual([FILE_PART_BYTES, 5]);
    expect(Buffer.concat(wholeBack).equals(whole)).toBe(true);
    expect(await count(into, 'knowledgebase_file_content', 'f-x-whole')).toBe(0);
    const partedBack = await readParts(into, 'f-x');
    expect(Buffer.concat(partedBack).equals(Buffer.concat(parts))).toBe(true);
    // A second import writes nothing twice.
    expect(await p.importRows('knowledgebase_files', project.id, rows.get('knowledgebase_files')!)).toEqual({ inserted: 0, present: 2 });
    expect(await count(into, 'knowledgebase_file_parts', 'f-x-whole')).toBe(2);
  });
});

test('migrate --from-sqlite copies the parts table, byte for byte, orphans included, and counts it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-parts-move-'));
  const parts = [randomBytes(1024 * 1024), randomBytes(999)];
  const sqlite = new SqliteStore(dir);
  try {
    expect(await sqlite.createKnowledgebase({ id: 'kb-m', name: 'M', description: '', projectId: 'p1', createTime: 1 }, 'p1', 10)).toBe(true);
    await storeParted(sqlite, file('f-moved', 'kb-m', 1024 * 1024 + 999), parts);
    await sqlite.putKnowledgebaseFilePart('f-orphan', 0, Buffer.from('orphan'), 1_000);
  } finally {
    await sqlite.close();
  }
  const url = await createTestDatabase();
  const pg = await PgDb.open({ connectionString: url });
  try {
    const results = await copySqliteToPostgres(dir, pg);
    expect(results.find((r) => r.table === 'knowledgebase_file_parts')).toEqual({ table: 'knowledgebase_file_parts', sqlite: 3, postgres: 3, copied: 3 });
    // Run again: nothing twice.
    expect((await copySqliteToPostgres(dir, pg)).find((r) => r.table === 'knowledgebase_file_parts')).toMatchObject({ postgres: 3, copied: 0 });
  } finally {
    await pg.close();
  }
  const moved = await PostgresStore.open({ connectionString: url });
  try {
    const back = await readParts(moved, 'f-moved');
    expect(back.length).toBe(2);
    back.forEach((b, i) => expect(b.equals(parts[i])).toBe(true));
    // The orphan keeps its age: the sweep still finds it.
    expect(await moved.sweepKnowledgebaseFileParts(5_000)).toBe(1);
    expect((await moved.getKnowledgebaseFileContent('f-moved'))!.equals(Buffer.concat(parts))).toBe(true);
  } finally {
    await moved.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
