/**
 * Memory rows: writes that are part of a commit, the reads by id/user/recency, and deletes. Every memory row has
 * an entry in the full-text index (memory-index.ts), kept in step here.
 */
import type { ListPage, MemoryKind, MemoryRecord, MemorySelection, RecallScope } from '../types';
import type { FilterNode } from '../filter';
import { json, placeholders, type Row, type SqliteDb } from './connection';
import { filterToSql, scopeToSql } from './filter-sql';
import { indexText, unindexText } from './memory-index';
import { valueSignature } from '../signature';
import { MEMORY_INSERT_COLUMNS, memoryInsertValues } from '../rows';
import { toMemory } from './rows';

// ---- writes (parts of a commit, commit.ts)

export function insertMemory(db: SqliteDb, m: MemoryRecord) {
  const values = memoryInsertValues(m);
  const info = db.q(`INSERT INTO memories(${MEMORY_INSERT_COLUMNS}) VALUES (${placeholders(values.length)})`).run(...values);
  indexText(db, Number(info.lastInsertRowid), m.searchText);
}

export function archiveMemory(db: SqliteDb, id: string, supersededBy: string | null, now: number) {
  db.q("UPDATE memories SET status = 'archived', superseded_by = ?, update_time = ? WHERE id = ?").run(supersededBy, now, id);
}

/** Rewrites a memory's text (and index entry); a memory deleted meanwhile is skipped. */
export function rewriteMemory(db: SqliteDb, u: { id: string; value: string; searchText: string; key?: string; updateTime: number }) {
  const r = db.q('SELECT seq FROM memories WHERE id = ?').get(u.id) as Row | undefined;
  if (!r) return;
  // The signature is set again by the next lookup (signedValues), which knows the row's kind.
  db.q('UPDATE memories SET value = ?, search_text = ?, key = COALESCE(?, key), update_time = ?, value_sig = NULL WHERE id = ?').run(u.value, u.searchText, u.key ?? null, u.updateTime, u.id);
  unindexText(db, r.seq);
  indexText(db, r.seq, u.searchText);
}

export function setMemoryPriority(db: SqliteDb, id: string, priority: number) {
  db.q('UPDATE memories SET priority = ? WHERE id = ?').run(priority, id);
}

/** Deletes the matching memories with their index entries (vectors go with them by trigger); returns how many. */
export function deleteMemoriesWhere(db: SqliteDb, where: string, params: unknown[]): number {
  const seqs = db.once(`SELECT seq FROM memories WHERE ${where}`).all(...params) as Row[];
  for (const r of seqs) unindexText(db, r.seq);
  db.once(`DELETE FROM memories WHERE ${where}`).run(...params);
  return seqs.length;
}

export function deleteMemoriesMatching(db: SqliteDb, projectId: string, sel: MemorySelection): number {
  const where = ['m.project_id = ?', "m.scope IN ('user', 'public')"];
  const params: unknown[] = [projectId];
  if (sel.userId !== undefined) {
    where.push('m.user_id = ?');
    params.push(sel.userId);
  }
  if (sel.kinds?.length) {
    where.push(`m.kind IN (${placeholders(sel.kinds.length)})`);
    params.push(...sel.kinds);
  }
  if (sel.subtypes?.length) {
    where.push(`m.subtype IN (${placeholders(sel.subtypes.length)})`);
    params.push(...sel.subtypes);
  }
  if (sel.filter) {
    const f = filterToSql(sel.filter);
    where.push(f.sql);
    params.push(...f.params);
  }
  return db.tx(() => deleteMemoriesWhere(db, `seq IN (SELECT m.seq FROM memories m WHERE ${where.join(' AND ')})`, params));
}

/** Makes an archived memory current again. */
export function activateMemory(db: SqliteDb, id: string, now: number) {
  db.q("UPDATE memories SET status = 'activated', superseded_by = NULL, update_time = ? WHERE id = ?").run(now, id);
}

export function deleteMemories(db: SqliteDb, projectId: string, ids: string[]) {
  db.tx(() => deleteMemoriesWhere(db, `project_id = ? AND id IN (${placeholders(ids.length)})`, [projectId, ...ids]));
}

export function deleteUserMemories(db: SqliteDb, projectId: string, userId: string): number {
  return db.tx(() => deleteMemoriesWhere(db, "project_id = ? AND user_id = ? AND scope IN ('user', 'public')", [projectId, userId]));
}

// ---- reads

export function getMemoriesByIds(db: SqliteDb, ids: string[]): MemoryRecord[] {
  if (ids.length === 0) return [];
  return (db.once(`SELECT * FROM memories WHERE id IN (${placeholders(ids.length)})`).all(...ids) as Row[]).map(toMemory);
}

/** Whole rows by internal sequence number, keyed by it (rows deleted meanwhile are absent). */
export function memoriesBySeq(db: SqliteDb, seqs: number[]): Map<number, MemoryRecord> {
  const rows = db.q('SELECT m.* FROM json_each(?) j CROSS JOIN memories m ON m.seq = j.value').all(json(seqs)) as Row[];
  return new Map(rows.map((r) => [r.seq as number, toMemory(r)]));
}

export function findUserMemories(
  db: SqliteDb,
  projectId: string,
  userId: string,
  opts: { stateKeys?: string[]; kinds?: MemoryKind[]; limit?: number; textLike?: string },
): MemoryRecord[] {
  const where = ['m.project_id = ?', 'm.user_id = ?', "m.status = 'activated'"];
  const params: unknown[] = [projectId, userId];
  if (opts.stateKeys?.length) {
    where.push(`m.state_key IN (${placeholders(opts.stateKeys.length)})`);
    params.push(...opts.stateKeys);
  }
  if (opts.kinds?.length) {
    where.push(`m.kind IN (${placeholders(opts.kinds.length)})`);
    params.push(...opts.kinds);
  }
  if (opts.textLike) {
    where.push("m.value LIKE ? ESCAPE '\\'");
    params.push('%' + opts.textLike.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
  }
  const sql = `SELECT m.* FROM memories m WHERE ${where.join(' AND ')} ORDER BY m.event_time DESC LIMIT ?`;
  return (db.q(sql).all(...params, opts.limit ?? 1000) as Row[]).map(toMemory);
}

/** Rows signed per statement while catching up on rows written before signatures existed (or rewritten since). */
const SIGN_BATCH = 500;

/**
 * Which of `signatures` (store/signature.ts) the user's activated fact, preference and tool memories already hold,
 * transcript (fast-mode) lines left out. An index lookup: its cost depends on the number of signatures asked, not
 * on how many memories the user has. The user's unsigned rows (older data, rewritten texts) are signed first.
 */
export function signedValues(db: SqliteDb, projectId: string, userId: string, signatures: string[]): Set<string> {
  if (signatures.length === 0) return new Set();
  for (;;) {
    const rows = db.q('SELECT seq, kind, value FROM memories WHERE project_id = ? AND user_id = ? AND value_sig IS NULL LIMIT ?').all(projectId, userId, SIGN_BATCH) as Row[];
    if (rows.length === 0) break;
    const sign = db.q('UPDATE memories SET value_sig = ? WHERE seq = ?');
    db.handle.transaction(() => {
      for (const r of rows) sign.run(valueSignature(r.kind, r.value), r.seq);
    })();
  }
  const rows = db
    .q(
      `SELECT value_sig, tags FROM memories WHERE project_id = ? AND user_id = ? AND value_sig IN (${placeholders(signatures.length)})
       AND status = 'activated' AND kind IN ('fact', 'preference', 'tool')`,
    )
    .all(projectId, userId, ...signatures) as Row[];
  return new Set(rows.filter((r) => !(JSON.parse(r.tags) as string[]).includes('mode:fast')).map((r) => r.value_sig as string));
}

export function recentMemories(db: SqliteDb, scope: RecallScope, kinds: MemoryKind[], limit: number): MemoryRecord[] {
  const where = scopeToSql(scope, kinds);
  return (db.q(`SELECT m.* FROM memories m WHERE ${where.sql} ORDER BY m.event_time DESC LIMIT ?`).all(...where.params, limit) as Row[]).map(toMemory);
}

export function listUserMemories(db: SqliteDb, projectId: string, userId: string, kind: MemoryKind, filter: FilterNode | undefined, page: number, size: number): ListPage {
  const f = filter ? filterToSql(filter) : undefined;
  const base = `FROM memories m WHERE m.project_id = ? AND m.user_id = ? AND m.scope IN ('user', 'public') AND m.kind = ? AND m.status = 'activated'${f ? ' AND ' + f.sql : ''}`;
  const params = [projectId, userId, kind, ...(f?.params ?? [])];
  const total = (db.once(`SELECT COUNT(*) AS n ${base}`).get(...params) as Row).n as number;
  const rows = db.once(`SELECT m.* ${base} ORDER BY m.event_time DESC, m.seq DESC LIMIT ? OFFSET ?`).all(...params, size, (page - 1) * size) as Row[];
  return { items: rows.map(toMemory), total };
}

// ---- console reads

/** One user's memories of every status (archived versions included), newest first. */
export function userMemories(db: SqliteDb, projectId: string, userId: string, o: { kind?: MemoryKind; status?: MemoryRecord['status']; page: number; size: number }): ListPage {
  const where = ['project_id = ?', 'user_id = ?', "scope IN ('user', 'public')"];
  const params: unknown[] = [projectId, userId];
  if (o.kind) {
    where.push('kind = ?');
    params.push(o.kind);
  }
  if (o.status) {
    where.push('status = ?');
    params.push(o.status);
  }
  const base = `FROM memories WHERE ${where.join(' AND ')}`;
  const total = (db.q(`SELECT COUNT(*) AS n ${base}`).get(...params) as Row).n as number;
  const rows = db.q(`SELECT * ${base} ORDER BY event_time DESC, seq DESC LIMIT ? OFFSET ?`).all(...params, o.size, (o.page - 1) * o.size) as Row[];
  return { items: rows.map(toMemory), total };
}

/** Bound on the versions walked each way: a chain longer than this is cut, not followed forever. */
const MAX_LINEAGE = 100;

/** Every version of a memory: the ones it superseded (recursively) and the ones that superseded it. */
export function memoryLineage(db: SqliteDb, projectId: string, id: string): MemoryRecord[] {
  const rows = db.q(
    `WITH RECURSIVE
       newer(id, d) AS (SELECT ?, 0 UNION SELECT m.superseded_by, newer.d + 1 FROM memories m JOIN newer ON m.id = newer.id WHERE m.superseded_by IS NOT NULL AND newer.d < ${MAX_LINEAGE}),
       older(id, d) AS (SELECT ?, 0 UNION SELECT m.id, older.d + 1 FROM memories m JOIN older ON m.superseded_by = older.id WHERE older.d < ${MAX_LINEAGE})
     SELECT * FROM memories WHERE project_id = ? AND id IN (SELECT id FROM newer UNION SELECT id FROM older)`,
  ).all(id, id, projectId) as Row[];
  return rows.map(toMemory);
}

/** Memories written by the given tasks (a feedback's correction and new states). */
export function memoriesOfTasks(db: SqliteDb, projectId: string, taskIds: string[]): MemoryRecord[] {
  if (taskIds.length === 0) return [];
  return (db.once(`SELECT * FROM memories WHERE project_id = ? AND task_id IN (${placeholders(taskIds.length)}) ORDER BY seq`).all(projectId, ...taskIds) as Row[]).map(toMemory);
}

/** Memories superseded by any of the given ones. */
export function memoriesSupersededBy(db: SqliteDb, projectId: string, ids: string[]): MemoryRecord[] {
  if (ids.length === 0) return [];
  return (db.once(`SELECT * FROM memories WHERE project_id = ? AND superseded_by IN (${placeholders(ids.length)}) ORDER BY seq`).all(projectId, ...ids) as Row[]).map(toMemory);
}
