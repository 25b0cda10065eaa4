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
  const r = db.q('SELECT content FROM knowledgebase_file_content WHERE file_id = ?').get(id) as Row | undefined;
  return r ? (r.content as Buffer) : undefined;
}

export function deleteKnowledgebaseFiles(db: SqliteDb, ids: string[]) {
  if (ids.length === 0) return;
  db.tx(() => {
    const list = placeholders(ids.length);
    deleteMemoriesWhere(db, FILE_MEMORIES(ids.length), ids);
    db.once(`DELETE FROM knowledgebase_file_content WHERE file_id IN (${list})`).run(...ids);
    db.once(`DELETE FROM knowledgebase_files WHERE id IN (${list})`).run(...ids);
  });
}

// ---- parts of a commit (commit.ts)

export function insertKnowledgebaseFile(db: SqliteDb, f: KnowledgebaseFileRecord, content: Buffer) {
  db.q(
    `INSERT INTO knowledgebase_files(id, knowledgebase_id, project_id, type, name, ext, size_bytes, status, error, source_url, task_id, chunk_count, create_time, update_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(f.id, f.knowledgebaseId, f.projectId, f.type, f.name, f.ext, f.sizeBytes, f.status, f.error, f.sourceUrl, f.taskId, f.chunkCount, f.createTime, f.updateTime);
  db.q('INSERT INTO knowledgebase_file_content(file_id, content) VALUES (?, ?)').run(f.id, content);
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
