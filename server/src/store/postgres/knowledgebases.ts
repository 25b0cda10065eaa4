/** Knowledge bases, their links to projects, and their files (metadata and original bytes). */
import type { KnowledgebaseFileRecord, KnowledgebaseFileType, KnowledgebaseRecord, MemoryRecord } from '../types';
import { all, one, run, type Queryable } from './connection';
import { deleteMemoriesWhere, MEMORY_COLUMNS } from './memories';
import { toFile, toKnowledgebase, toMemory } from './rows';

const FILE_SELECT = 'SELECT f.*, t.status AS task_status, t.error AS task_error FROM knowledgebase_files f LEFT JOIN tasks t ON t.id = f.task_id';

/** Memories made from the given files (matches the memories_by_file index). */
const FILE_MEMORIES = "knowledgebase_id IS NOT NULL AND (data->>'file_id') = ANY(?::text[])";

export async function linkedKnowledgebaseIds(db: Queryable, projectId: string): Promise<string[]> {
  return (await all(db, 'SELECT knowledgebase_id FROM project_knowledgebases WHERE project_id = ?', [projectId])).map((r) => r.knowledgebase_id as string);
}

/** Needs a transaction: the project's row is locked so two replicas cannot both pass the limit. */
export async function createKnowledgebase(db: Queryable, kb: KnowledgebaseRecord, projectId: string, maxLinked: number): Promise<boolean> {
  await run(db, 'SELECT pg_advisory_xact_lock(hashtext(?))', ['kb-links:' + projectId]);
  const n = ((await one(db, 'SELECT COUNT(*) AS n FROM project_knowledgebases WHERE project_id = ?', [projectId]))?.n as number) ?? 0;
  if (n >= maxLinked) return false;
  await run(db, 'INSERT INTO knowledgebases(id, name, description, create_time, project_id) VALUES (?, ?, ?, ?, ?)', [kb.id, kb.name, kb.description, kb.createTime, kb.projectId]);
  await run(db, 'INSERT INTO project_knowledgebases(project_id, knowledgebase_id) VALUES (?, ?)', [projectId, kb.id]);
  return true;
}

export async function getKnowledgebase(db: Queryable, id: string): Promise<KnowledgebaseRecord | undefined> {
  const r = await one(db, 'SELECT * FROM knowledgebases WHERE id = ?', [id]);
  return r ? toKnowledgebase(r) : undefined;
}

export async function unlinkKnowledgebase(db: Queryable, projectId: string, knowledgebaseId: string): Promise<number> {
  await run(db, 'DELETE FROM project_knowledgebases WHERE project_id = ? AND knowledgebase_id = ?', [projectId, knowledgebaseId]);
  return ((await one(db, 'SELECT COUNT(*) AS n FROM project_knowledgebases WHERE knowledgebase_id = ?', [knowledgebaseId]))?.n as number) ?? 0;
}

/** Needs a transaction. */
export async function purgeKnowledgebase(db: Queryable, id: string) {
  await deleteMemoriesWhere(db, 'knowledgebase_id = ?', [id]);
  await run(db, 'DELETE FROM knowledgebase_file_content WHERE file_id IN (SELECT id FROM knowledgebase_files WHERE knowledgebase_id = ?)', [id]);
  await run(db, 'DELETE FROM knowledgebase_file_parts WHERE file_id IN (SELECT id FROM knowledgebase_files WHERE knowledgebase_id = ?)', [id]);
  await run(db, 'DELETE FROM knowledgebase_files WHERE knowledgebase_id = ?', [id]);
  await run(db, 'DELETE FROM project_knowledgebases WHERE knowledgebase_id = ?', [id]);
  await run(db, 'DELETE FROM knowledgebases WHERE id = ?', [id]);
}

export async function listKnowledgebaseFiles(db: Queryable, knowledgebaseId: string, type: KnowledgebaseFileType | undefined, page: number, size: number) {
  const where = type ? 'f.knowledgebase_id = ? AND f.type = ?' : 'f.knowledgebase_id = ?';
  const params = type ? [knowledgebaseId, type] : [knowledgebaseId];
  const total = ((await one(db, `SELECT COUNT(*) AS n FROM knowledgebase_files f WHERE ${where}`, params))?.n as number) ?? 0;
  const rows = await all(db, `${FILE_SELECT} WHERE ${where} ORDER BY f.create_time DESC, f.seq DESC LIMIT ? OFFSET ?`, [...params, size, (page - 1) * size]);
  return { items: rows.map(toFile), total };
}

export async function getKnowledgebaseFiles(db: Queryable, ids: string[]): Promise<KnowledgebaseFileRecord[]> {
  if (ids.length === 0) return [];
  return (await all(db, `${FILE_SELECT} WHERE f.id = ANY(?::text[])`, [ids])).map(toFile);
}

export async function getKnowledgebaseFileContent(db: Queryable, id: string): Promise<Buffer | undefined> {
  const parts = await all(db, 'SELECT content FROM knowledgebase_file_parts WHERE file_id = ? ORDER BY part', [id]);
  if (parts.length) return Buffer.concat(parts.map((r) => r.content as Buffer));
  const r = await one(db, 'SELECT content FROM knowledgebase_file_content WHERE file_id = ?', [id]);
  return r ? (r.content as Buffer) : undefined;
}

export async function putKnowledgebaseFilePart(db: Queryable, fileId: string, part: number, bytes: Buffer, now: number) {
  await run(
    db,
    `INSERT INTO knowledgebase_file_parts(file_id, part, create_time, content) VALUES (?, ?, ?, ?)
     ON CONFLICT (file_id, part) DO UPDATE SET content = excluded.content, create_time = excluded.create_time`,
    [fileId, part, now, bytes],
  );
}

export async function getKnowledgebaseFilePart(db: Queryable, fileId: string, part: number): Promise<Buffer | undefined> {
  const r = await one(db, 'SELECT content FROM knowledgebase_file_parts WHERE file_id = ? AND part = ?', [fileId, part]);
  if (r) return r.content as Buffer;
  if (part !== 0) return undefined;
  // A file stored whole is its own part 0.
  const whole = await one(db, 'SELECT content FROM knowledgebase_file_content WHERE file_id = ?', [fileId]);
  return whole ? (whole.content as Buffer) : undefined;
}

/** Files per statement, as on SQLite: one array parameter has no such bound, but a statement stays short. */
const IDS_PER_STATEMENT = 500;

export async function discardKnowledgebaseFileParts(db: Queryable, fileIds: string[]) {
  for (let i = 0; i < fileIds.length; i += IDS_PER_STATEMENT)
    await run(db, 'DELETE FROM knowledgebase_file_parts WHERE file_id = ANY(?::text[])', [fileIds.slice(i, i + IDS_PER_STATEMENT)]);
}

export async function sweepKnowledgebaseFileParts(db: Queryable, olderThan: number): Promise<number> {
  return run(
    db,
    'DELETE FROM knowledgebase_file_parts p WHERE p.create_time < ? AND NOT EXISTS (SELECT 1 FROM knowledgebase_files f WHERE f.id = p.file_id)',
    [olderThan],
  );
}

/** Needs a transaction. */
export async function deleteKnowledgebaseFiles(db: Queryable, ids: string[]) {
  await deleteMemoriesWhere(db, FILE_MEMORIES, [ids]);
  await run(db, 'DELETE FROM knowledgebase_file_content WHERE file_id = ANY(?::text[])', [ids]);
  await run(db, 'DELETE FROM knowledgebase_file_parts WHERE file_id = ANY(?::text[])', [ids]);
  await run(db, 'DELETE FROM knowledgebase_files WHERE id = ANY(?::text[])', [ids]);
}

// ---- parts of a commit (commit.ts)

/** Without `content` the file's parts were stored beforehand (putKnowledgebaseFilePart). */
export async function insertKnowledgebaseFile(db: Queryable, f: KnowledgebaseFileRecord, content: Buffer | undefined) {
  await run(
    db,
    `INSERT INTO knowledgebase_files(id, knowledgebase_id, project_id, type, name, ext, size_bytes, status, error, source_url, task_id, chunk_count, create_time, update_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [f.id, f.knowledgebaseId, f.projectId, f.type, f.name, f.ext, f.sizeBytes, f.status, f.error, f.sourceUrl, f.taskId, f.chunkCount, f.createTime, f.updateTime],
  );
  if (content !== undefined) await run(db, 'INSERT INTO knowledgebase_file_content(file_id, content) VALUES (?, ?)', [f.id, content]);
}

/** Records a file's processing outcome; false when the file no longer exists (deleted while it was processed). */
export async function setFileResult(db: Queryable, r: { id: string; status: 'running' | 'completed' | 'failed'; error?: string | null; chunkCount?: number }): Promise<boolean> {
  return (await run(db, 'UPDATE knowledgebase_files SET status = ?, error = ?, chunk_count = ?, update_time = ? WHERE id = ?', [r.status, r.error ?? null, r.chunkCount ?? 0, Date.now(), r.id])) > 0;
}

/** The chunks (memories) made from one file of a knowledge base, in document order. */
export async function knowledgebaseChunks(db: Queryable, knowledgebaseId: string, fileId: string, page: number, size: number): Promise<{ items: MemoryRecord[]; total: number }> {
  const where = "m.knowledgebase_id = ? AND (m.data->>'file_id') = ?";
  const total = ((await one(db, `SELECT COUNT(*) AS n FROM memories m WHERE ${where}`, [knowledgebaseId, fileId]))?.n as number) ?? 0;
  const rows = await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE ${where} ORDER BY m.seq LIMIT ? OFFSET ?`, [knowledgebaseId, fileId, size, (page - 1) * size]);
  return { items: rows.map(toMemory), total };
}
