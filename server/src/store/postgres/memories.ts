/**
 * Memory rows: writes that are part of a commit, the reads by id/user/recency, and deletes. The full-text entry
 * (memory-index.ts) is a column of the row, written with it.
 */
import type { ListPage, MemoryKind, MemoryRecord, MemorySelection, RecallScope } from '../types';
import type { FilterNode } from '../filter';
import { all, one, placeholders, run, type Queryable } from './connection';
import { filterToSql, scopeToSql } from './filter-sql';
import { indexEntry } from './memory-index';
import { valueSignature } from '../signature';
import { MEMORY_INSERT_COLUMNS, memoryInsertValues } from '../rows';
import { toMemory } from './rows';

/** Every column but the index entry (large, and only the database reads it). */
export const MEMORY_COLUMNS = [
  'seq',
  'id',
  'project_id',
  'scope',
  'user_id',
  'knowledgebase_id',
  'kind',
  'subtype',
  'key',
  'value',
  'data',
  'search_text',
  'tags',
  'info',
  'agent_id',
  'app_id',
  'conversation_id',
  'status',
  'confidence',
  'priority',
  'event_time',
  'create_time',
  'update_time',
  'state_key',
  'superseded_by',
  'sources',
  'task_id',
]
  .map((c) => 'm.' + c)
  .join(', ');

// ---- writes (parts of a commit, commit.ts)

export async function insertMemory(db: Queryable, m: MemoryRecord) {
  const entry = indexEntry(m.searchText);
  const values = [...memoryInsertValues(m), entry.tsv, entry.tokens];
  await run(db, `INSERT INTO memories(${MEMORY_INSERT_COLUMNS}, tsv, token_count) VALUES (${placeholders(values.length - 2)}, ?::tsvector, ?)`, values);
}

export async function archiveMemory(db: Queryable, id: string, supersededBy: string | null, now: number) {
  await run(db, "UPDATE memories SET status = 'archived', superseded_by = ?, update_time = ? WHERE id = ?", [supersededBy, now, id]);
}

/** Rewrites a memory's text (and index entry); a memory deleted meanwhile is skipped. */
export async function rewriteMemory(db: Queryable, u: { id: string; value: string; searchText: string; key?: string; updateTime: number }) {
  const entry = indexEntry(u.searchText);
  // The signature is set again by the next lookup (signedValues), which knows the row's kind.
  await run(db, 'UPDATE memories SET value = ?, search_text = ?, tsv = ?::tsvector, token_count = ?, key = COALESCE(?, key), update_time = ?, value_sig = NULL WHERE id = ?', [
    u.value,
    u.searchText,
    entry.tsv,
    entry.tokens,
    u.key ?? null,
    u.updateTime,
    u.id,
  ]);
}

export async function setMemoryPriority(db: Queryable, id: string, priority: number) {
  await run(db, 'UPDATE memories SET priority = ? WHERE id = ?', [priority, id]);
}

/** Deletes the matching memories (their index entries are columns, vectors go by foreign key); returns how many. */
export async function deleteMemoriesWhere(db: Queryable, where: string, params: unknown[]): Promise<number> {
  return run(db, `DELETE FROM memories WHERE ${where}`, params);
}

export async function deleteMemories(db: Queryable, projectId: string, ids: string[]) {
  if (ids.length) await deleteMemoriesWhere(db, `project_id = ? AND id IN (${placeholders(ids.length)})`, [projectId, ...ids]);
}

export function deleteUserMemories(db: Queryable, projectId: string, userId: string): Promise<number> {
  return deleteMemoriesWhere(db, "project_id = ? AND user_id = ? AND scope IN ('user', 'public')", [projectId, userId]);
}

// ---- reads

export async function getMemoriesByIds(db: Queryable, ids: string[]): Promise<MemoryRecord[]> {
  if (ids.length === 0) return [];
  return (await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.id = ANY(?::text[])`, [ids])).map(toMemory);
}

/** Whole rows by internal sequence number, keyed by it (rows deleted meanwhile are absent). */
export async function memoriesBySeq(db: Queryable, seqs: number[]): Promise<Map<number, MemoryRecord>> {
  if (seqs.length === 0) return new Map();
  const rows = await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.seq = ANY(?::bigint[])`, [seqs]);
  return new Map(rows.map((r) => [r.seq as number, toMemory(r)]));
}

/** Rows signed per statement while catching up on rows written before signatures existed (or rewritten since). */
const SIGN_BATCH = 500;

/** As sqlite/memories.ts signedValues: an indexed lookup; the user's unsigned rows are signed first. */
export async function signedValues(db: Queryable, projectId: string, userId: string, signatures: string[]): Promise<Set<string>> {
  if (signatures.length === 0) return new Set();
  for (;;) {
    const rows = await all(db, 'SELECT seq, kind, value FROM memories WHERE project_id = ? AND user_id = ? AND value_sig IS NULL LIMIT ?', [projectId, userId, SIGN_BATCH]);
    if (rows.length === 0) break;
    await run(db, `UPDATE memories AS m SET value_sig = s.sig FROM (SELECT unnest(?::bigint[]) AS seq, unnest(?::text[]) AS sig) AS s WHERE m.seq = s.seq`, [
      rows.map((r) => r.seq),
      rows.map((r) => valueSignature(r.kind, r.value)),
    ]);
  }
  const rows = await all(
    db,
    `SELECT value_sig, tags FROM memories WHERE project_id = ? AND user_id = ? AND value_sig IN (${placeholders(signatures.length)})
     AND status = 'activated' AND kind IN ('fact', 'preference', 'tool')`,
    [projectId, userId, ...signatures],
  );
  return new Set(rows.filter((r) => !(r.tags as string[]).includes('mode:fast')).map((r) => r.value_sig as string));
}

export async function findUserMemories(
  db: Queryable,
  projectId: string,
  userId: string,
  opts: { stateKeys?: string[]; kinds?: MemoryKind[]; limit?: number; textLike?: string },
): Promise<MemoryRecord[]> {
  const where = ['m.project_id = ?', 'm.user_id = ?', "m.status = 'activated'"];
  const params: unknown[] = [projectId, userId];
  if (opts.stateKeys?.length) {
    where.push('m.state_key = ANY(?::text[])');
    params.push(opts.stateKeys);
  }
  if (opts.kinds?.length) {
    where.push('m.kind = ANY(?::text[])');
    params.push(opts.kinds);
  }
  if (opts.textLike) {
    // LIKE is case-insensitive for ASCII in SQLite; ILIKE keeps that.
    where.push("m.value ILIKE ? ESCAPE '\\'");
    params.push('%' + opts.textLike.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
  }
  const sql = `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE ${where.join(' AND ')} ORDER BY m.event_time DESC, m.seq DESC LIMIT ?`;
  return (await all(db, sql, [...params, opts.limit ?? 1000])).map(toMemory);
}

export async function recentMemories(db: Queryable, scope: RecallScope, kinds: MemoryKind[], limit: number): Promise<MemoryRecord[]> {
  const where = scopeToSql(scope, kinds);
  return (await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE ${where.sql} ORDER BY m.event_time DESC, m.seq DESC LIMIT ?`, [...where.params, limit])).map(toMemory);
}

export async function listUserMemories(db: Queryable, projectId: string, userId: string, kind: MemoryKind, filter: FilterNode | undefined, page: number, size: number): Promise<ListPage> {
  const f = filter ? filterToSql(filter) : undefined;
  const base = `FROM memories m WHERE m.project_id = ? AND m.user_id = ? AND m.scope IN ('user', 'public') AND m.kind = ? AND m.status = 'activated'${f ? ' AND ' + f.sql : ''}`;
  const params = [projectId, userId, kind, ...(f?.params ?? [])];
  const total = ((await one(db, `SELECT COUNT(*) AS n ${base}`, params))?.n as number) ?? 0;
  const rows = await all(db, `SELECT ${MEMORY_COLUMNS} ${base} ORDER BY m.event_time DESC, m.seq DESC LIMIT ? OFFSET ?`, [...params, size, (page - 1) * size]);
  return { items: rows.map(toMemory), total };
}

export async function deleteMemoriesMatching(db: Queryable, projectId: string, sel: MemorySelection): Promise<number> {
  const where = ['m.project_id = ?', "m.scope IN ('user', 'public')"];
  const params: unknown[] = [projectId];
  if (sel.userId !== undefined) {
    where.push('m.user_id = ?');
    params.push(sel.userId);
  }
  if (sel.kinds?.length) {
    where.push('m.kind = ANY(?::text[])');
    params.push(sel.kinds);
  }
  if (sel.subtypes?.length) {
    where.push('m.subtype = ANY(?::text[])');
    params.push(sel.subtypes);
  }
  if (sel.filter) {
    const f = filterToSql(sel.filter);
    where.push(f.sql);
    params.push(...f.params);
  }
  return deleteMemoriesWhere(db, `seq IN (SELECT m.seq FROM memories m WHERE ${where.join(' AND ')})`, params);
}

/** Makes an archived memory current again. */
export async function activateMemory(db: Queryable, id: string, now: number) {
  await run(db, "UPDATE memories SET status = 'activated', superseded_by = NULL, update_time = ? WHERE id = ?", [now, id]);
}

// ---- console reads

/** One user's memories of every status (archived versions included), newest first. */
export async function userMemories(db: Queryable, projectId: string, userId: string, o: { kind?: MemoryKind; status?: MemoryRecord['status']; page: number; size: number }): Promise<ListPage> {
  const where = ['m.project_id = ?', 'm.user_id = ?', "m.scope IN ('user', 'public')"];
  const params: unknown[] = [projectId, userId];
  if (o.kind) {
    where.push('m.kind = ?');
    params.push(o.kind);
  }
  if (o.status) {
    where.push('m.status = ?');
    params.push(o.status);
  }
  const base = `FROM memories m WHERE ${where.join(' AND ')}`;
  const total = ((await one(db, `SELECT COUNT(*) AS n ${base}`, params))?.n as number) ?? 0;
  const rows = await all(db, `SELECT ${MEMORY_COLUMNS} ${base} ORDER BY m.event_time DESC, m.seq DESC LIMIT ? OFFSET ?`, [...params, o.size, (o.page - 1) * o.size]);
  return { items: rows.map(toMemory), total };
}

/** Bound on the versions walked each way: a chain longer than this is cut, not followed forever. */
const MAX_LINEAGE = 100;

/** Every version of a memory: the ones it superseded (recursively) and the ones that superseded it. */
export async function memoryLineage(db: Queryable, projectId: string, id: string): Promise<MemoryRecord[]> {
  const rows = await all(
    db,
    `WITH RECURSIVE
       newer(id, d) AS (SELECT ?::text, 0 UNION SELECT m.superseded_by, newer.d + 1 FROM memories m JOIN newer ON m.id = newer.id WHERE m.superseded_by IS NOT NULL AND newer.d < ${MAX_LINEAGE}),
       older(id, d) AS (SELECT ?::text, 0 UNION SELECT m.id, older.d + 1 FROM memories m JOIN older ON m.superseded_by = older.id WHERE older.d < ${MAX_LINEAGE})
     SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.project_id = ? AND m.id IN (SELECT id FROM newer UNION SELECT id FROM older)`,
    [id, id, projectId],
  );
  return rows.map(toMemory);
}

/** Memories written by the given tasks (a feedback's correction and new states). */
export async function memoriesOfTasks(db: Queryable, projectId: string, taskIds: string[]): Promise<MemoryRecord[]> {
  if (taskIds.length === 0) return [];
  return (await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.project_id = ? AND m.task_id = ANY(?::text[]) ORDER BY m.seq`, [projectId, taskIds])).map(toMemory);
}

/** Memories superseded by any of the given ones. */
export async function memoriesSupersededBy(db: Queryable, projectId: string, ids: string[]): Promise<MemoryRecord[]> {
  if (ids.length === 0) return [];
  return (await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m.project_id = ? AND m.superseded_by = ANY(?::text[]) ORDER BY m.seq`, [projectId, ids])).map(toMemory);
}
