/** Knowledge bases, their links to projects, and their files (metadata and original bytes). */
import type { KnowledgebaseFileRecord, KnowledgebaseFileType, KnowledgebaseRecord, MemoryRecord } from '../types';
import { placeholders, type Row, type SqliteDb } from './connection';
import { deleteMemoriesWhere } from './memories';
import { toFile, toKnowledgebase, toMemory } from './rows';

const FILE_SELECT = 'SELECT f.*, t.status AS task_status, t.error AS task_error FROM knowledgebase_files f LEFT JOIN tasks t ON t.id = f.task_id';

/** Memories made from the given files (matches the memories_by_file index). */
const FILE_MEMORIES = (n: number) => `knowledgebase_id IS NOT NULL AND json_extract(data, '$.file_id') IN (${placeholders(n)})`;

export function linkedKnowledgebaseIds(db: SqliteDb, projectId: string): string[] {
  return (db.q('SELECT knowledgebase_id FROM project_knowledgebases WHERE project_id = ?').all(projectId) as Row[]).map((r) => r.knowledgebase_id as string);
}

export function createKnowledgebase(db: SqliteDb, kb: KnowledgebaseRecord, projectId: string, maxLinked: number): boolean {
  return db.tx(() => {
    const n = (db.q('SELECT COUNT(*) AS n FROM project_knowledgebases WHERE project_id = ?').get(projectId) as Row).n as number;
    if (n >= maxLinked) return false;
    db.q('INSERT INTO knowledgebases(id, name, description, create_time, project_id) VALUES (?, ?, ?, ?, ?)').run(kb.id, kb.name, kb.description, kb.createTime, kb.projectId);
    db.q('INSERT INTO project_knowledgebases(project_id, knowledgebase_id) VALUES (?, ?)').run(projectId, kb.id);
    return true;
  });
}

export function getKnowledgebase(db: SqliteDb, id: string): KnowledgebaseRecord | undefined {
  const r = db.q('SELECT * FROM knowledgebases WHERE id = ?').get(id) as Row | undefined;
  return r ? toKnowledgebase(r) : undefined;
}

export function unlinkKnowledgebase(db: SqliteDb, projectId: string, knowledgebaseId: string): number {
  db.q('DELETE FROM project_knowledgebases WHERE project_id = ? AND knowledgebase_id = ?').run(projectId, knowledgebaseId);
  return (db.q('SELECT COUNT(*) AS n FROM project_knowledgebases WHERE knowledgebase_id = ?').get(knowledgebaseId) as Row).n as number;
}

export function purgeKnowledgebase(db: SqliteDb, id: string) {
  db.tx(() => {
    deleteMemoriesWhere(db, 'knowledgebase_id = ?', [id]);
    db.q('DELETE FROM knowledgebase_file_content WHERE file_id IN (SELECT id FROM knowledgebase_files WHERE knowledgebase_id = ?)').run(id);
    db.q('DELETE FROM knowledgebase_file_parts WHERE file_id IN (SELECT id FROM knowledgebase_files WHERE knowledgebase_id = ?)').run(id);
    db.q('DELETE FROM knowledgebase_files WHERE knowledgebase_id = ?').run(id);
    db.q('DELETE FROM project_knowledgebases WHERE knowledgebase_id = ?').run(id);
    db.q('DELETE FROM knowledgebases WHERE id = ?').run(id);
  });
}

export function listKnowledgebaseFiles(db: SqliteDb, knowledgebaseId: string, type: KnowledgebaseFileType | undefined, page: number, size: number) {
  const where = type ? 'f.knowledgebase_id = ? AND f.type = ?' : 'f.knowledgebase_id = ?';
  const params = type ? [knowledgebaseId, type] : [knowledgebaseId];
  const total = (db.q(`SELECT COUNT(*) AS n FROM knowledgebase_files f WHERE ${where}`).get(...params) as Row).n as number;
  const rows = db.q(`${FILE_SELECT} WHERE ${where} ORDER BY f.create_time DESC, f.rowid DESC LIMIT ? OFFSET ?`).all(...params, size, (page - 1) * size) as Row[];
  return { items: rows.map(toFile), total };
}

export function getKnowledgebaseFiles(db: SqliteDb, ids: string[]): KnowledgebaseFileRecord[] {
  if (ids.length === 0) return [];
  return (db.once(`${FILE_SELECT} WHERE f.id IN (${placeholders(ids.length)})`).all(...ids) as Row[]).map(toFile);
}

export function getKnowledgebaseFileContent(db: SqliteDb, id: string): Buffer | undefined {
  const parts = db.q('SELECT content FROM knowledgebase_file_parts WHERE file_id = ? ORDER BY part').all(id) as Row[];
  if (parts.length) return Buffer.concat(parts.map((r) => r.content as Buffer));
  const r = db.q('SELECT content FROM knowledgebase_file_content WHERE file_id = ?').get(id) as Row | undefined;
  return r ? (r.content as Buffer) : undefined;
}

export function putKnowledgebaseFilePart(db: SqliteDb, fileId: string, part: number, bytes: Buffer, now: number) {
  db.q(
    `INSERT INTO knowledgebase_file_parts(file_id, part, create_time, content) VALUES (?, ?, ?, ?)
     ON CONFLICT(file_id, part) DO UPDATE SET content = excluded.content, create_time = excluded.create_time`,
  ).run(fileId, part, now, bytes);
}

export function getKnowledgebaseFilePart(db: SqliteDb, fileId: string, part: number): Buffer | undefined {
  const r = db.q('SELECT content FROM knowledgebase_file_parts WHERE file_id = ? AND part = ?').get(fileId, part) as Row | undefined;
  if (r) return r.content as Buffer;
  if (part !== 0) return undefined;
  // A file stored whole is its own part 0.
  const whole = db.q('SELECT content FROM knowledgebase_file_content WHERE file_id = ?').get(fileId) as Row | undefined;
  return whole ? (whole.content as Buffer) : undefined;
}

/** Files per statement: well under SQLite's bound on parameters, whichever the build has. */
const IDS_PER_STATEMENT = 500;

export function discardKnowledgebaseFileParts(db: SqliteDb, fileIds: string[]) {
  for (let i = 0; i < fileIds.length; i += IDS_PER_STATEMENT) {
    const ids = fileIds.slice(i, i + IDS_PER_STATEMENT);
    db.once(`DELETE FROM knowledgebase_file_parts WHERE file_id IN (${placeholders(ids.length)})`).run(...ids);
  }
}

/** Parts deleted per statement: freeing a part walks its pages, so a large sweep is cut into short writes. */
const SWEEP_SLICE = 8;

/**
 * The orphans are listed first from the covering index (keys only), then deleted a few at a time, the event loop
 * turning between slices; each delete checks again that the part is still an orphan.
 */
export async function sweepKnowledgebaseFileParts(db: SqliteDb, olderThan: number): Promise<number> {
  const orphans = db
    .q(
      `SELECT p.file_id, p.part FROM knowledgebase_file_parts p INDEXED BY knowledgebase_file_parts_by_time
       WHERE p.create_time < ? AND NOT EXISTS (SELECT 1 FROM knowledgebase_files f WHERE f.id = p.file_id)`,
    )
    .all(olderThan) as Row[];
  const del = db.q(
    `DELETE FROM knowledgebase_file_parts WHERE file_id = ? AND part = ? AND create_time < ?
     AND NOT EXISTS (SELECT 1 FROM knowledgebase_files f WHERE f.id = knowledgebase_file_parts.file_id)`,
  );
  let removed = 0;
  for (let i = 0; i < orphans.length; i += SWEEP_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    removed += db.tx(() => orphans.slice(i, i + SWEEP_SLICE).reduce((n, o) => n + del.run(o.file_id, o.part, olderThan).changes, 0));
  }
  return removed;
}

export function deleteKnowledgebaseFiles(db: SqliteDb, ids: string[]) {
  if (ids.length === 0) return;
  db.tx(() => {
    const list = placeholders(ids.length);
    deleteMemoriesWhere(db, FILE_MEMORIES(ids.length), ids);
    db.once(`DELETE FROM knowledgebase_file_content WHERE file_id IN (${list})`).run(...ids);
    db.once(`DELETE FROM knowledgebase_file_parts WHERE file_id IN (${list})`).run(...ids);
    db.once(`DELETE FROM knowledgebase_files WHERE id IN (${list})`).run(...ids);
  });
}

// ---- parts of a commit (commit.ts)

/** Without `content` the file's parts were stored beforehand (putKnowledgebaseFilePart). */
export function insertKnowledgebaseFile(db: SqliteDb, f: KnowledgebaseFileRecord, content: Buffer | undefined) {
  db.q(
    `INSERT INTO knowledgebase_files(id, knowledgebase_id, project_id, type, name, ext, size_bytes, status, error, source_url, task_id, chunk_count, create_time, update_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(f.id, f.knowledgebaseId, f.projectId, f.type, f.name, f.ext, f.sizeBytes, f.status, f.error, f.sourceUrl, f.taskId, f.chunkCount, f.createTime, f.updateTime);
  if (content !== undefined) db.q('INSERT INTO knowledgebase_file_content(file_id, content) VALUES (?, ?)').run(f.id, content);
}

/** Records a file's processing outcome; false when the file no longer exists (deleted while it was processed). */
export function setFileResult(db: SqliteDb, r: { id: string; status: 'running' | 'completed' | 'failed'; error?: string | null; chunkCount?: number }): boolean {
  const updated = db.q('UPDATE knowledgebase_files SET status = ?, error = ?, chunk_count = ?, update_time = ? WHERE id = ?').run(r.status, r.error ?? null, r.chunkCount ?? 0, Date.now(), r.id);
  return updated.changes > 0;
}

/** The chunks (memories) made from one file of a knowledge base, in document order. */
export function knowledgebaseChunks(db: SqliteDb, knowledgebaseId: string, fileId: string, page: number, size: number): { items: MemoryRecord[]; total: number } {
  const where = "knowledgebase_id = ? AND json_extract(data, '$.file_id') = ?";
  const total = (db.q(`SELECT COUNT(*) AS n FROM memories WHERE ${where}`).get(knowledgebaseId, fileId) as Row).n as number;
  const rows = db.q(`SELECT * FROM memories WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(knowledgebaseId, fileId, size, (page - 1) * size) as Row[];
  return { items: rows.map(toMemory), total };
}
