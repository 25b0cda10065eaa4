/** Durable background tasks. */
import type { TaskRecord, TaskStatus } from '../types';
import { json, placeholders, type Row, type SqliteDb } from './connection';
import { toTask } from './rows';

/** Part of a commit (commit.ts). */
export function insertTask(db: SqliteDb, t: TaskRecord) {
  db.q('INSERT INTO tasks(id, project_id, kind, payload, status, error, attempts, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    t.id,
    t.projectId,
    t.kind,
    json(t.payload),
    t.status,
    t.error,
    t.attempts,
    t.createTime,
    t.updateTime,
  );
}

export function getTask(db: SqliteDb, id: string): TaskRecord | undefined {
  const r = db.q('SELECT * FROM tasks WHERE id = ?').get(id) as Row | undefined;
  return r ? toTask(r) : undefined;
}

export function pendingTasks(db: SqliteDb, limit: number): TaskRecord[] {
  return (db.q("SELECT * FROM tasks WHERE status = 'running' ORDER BY create_time LIMIT ?").all(limit) as Row[]).map(toTask);
}

export function runningTaskCount(db: SqliteDb): number {
  return (db.q("SELECT COUNT(*) AS n FROM tasks WHERE status = 'running'").get() as Row).n as number;
}

export function markTaskAttempt(db: SqliteDb, id: string) {
  db.q('UPDATE tasks SET attempts = attempts + 1, update_time = ? WHERE id = ?').run(Date.now(), id);
}

/**
 * Claims running tasks no live worker holds (see postgres/tasks.ts; one process owns a SQLite file, so there is
 * no one to skip, but the rules are the same).
 */
export function claimTasks(db: SqliteDb, owner: string, leaseMs: number, limit: number, createdBefore = Number.MAX_SAFE_INTEGER): TaskRecord[] {
  if (limit <= 0) return [];
  const now = Date.now();
  const rows = db
    .q(
      `UPDATE tasks SET lease_owner = ?, lease_until = ? WHERE id IN (
         SELECT id FROM tasks WHERE status = 'running' AND lease_until < ? AND create_time <= ? ORDER BY create_time LIMIT ?)
       RETURNING *`,
    )
    .all(owner, now + leaseMs, now, createdBefore, limit) as Row[];
  return rows.map(toTask).sort((a, b) => a.createTime - b.createTime);
}

export function renewLeases(db: SqliteDb, owner: string, ids: string[], leaseMs: number): string[] {
  if (ids.length === 0) return [];
  const rows = db
    .once(`UPDATE tasks SET lease_until = ? WHERE lease_owner = ? AND status = 'running' AND id IN (${placeholders(ids.length)}) RETURNING id`)
    .all(Date.now() + leaseMs, owner, ...ids) as Row[];
  return rows.map((r) => r.id as string);
}

/** `owner` undefined: every lease (at open: a SQLite file has one process, so any lease left is a dead process's). */
export function releaseLeases(db: SqliteDb, owner?: string) {
  if (owner === undefined) db.q("UPDATE tasks SET lease_owner = NULL, lease_until = 0 WHERE status = 'running' AND lease_owner IS NOT NULL").run();
  else db.q("UPDATE tasks SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ? AND status = 'running'").run(owner);
}

/** With `leaseOwner`, only while that worker holds the task; false when nothing was written. */
export function finishTask(db: SqliteDb, id: string, status: TaskStatus, error?: string | null, leaseOwner?: string, now = Date.now()): boolean {
  if (leaseOwner === undefined) return db.q('UPDATE tasks SET status = ?, error = ?, update_time = ? WHERE id = ?').run(status, error ?? null, now, id).changes > 0;
  return (
    db
      .q("UPDATE tasks SET status = ?, error = ?, update_time = ?, lease_owner = NULL WHERE id = ? AND status = 'running' AND lease_owner = ?")
      .run(status, error ?? null, now, id, leaseOwner).changes > 0
  );
}

/** A project's tasks, newest first. */
export function listTasks(db: SqliteDb, projectId: string, o: { status?: TaskStatus; kind?: string; page: number; size: number }): { items: TaskRecord[]; total: number } {
  const where = ['project_id = ?'];
  const params: unknown[] = [projectId];
  if (o.status) {
    where.push('status = ?');
    params.push(o.status);
  }
  if (o.kind) {
    where.push('kind = ?');
    params.push(o.kind);
  }
  const base = `FROM tasks WHERE ${where.join(' AND ')}`;
  const total = (db.q(`SELECT COUNT(*) AS n ${base}`).get(...params) as Row).n as number;
  const items = (db.q(`SELECT * ${base} ORDER BY create_time DESC, rowid DESC LIMIT ? OFFSET ?`).all(...params, o.size, (o.page - 1) * o.size) as Row[]).map(toTask);
  return { items, total };
}

/** A failed task back to running with fresh attempts (and its document, when it processes one); false when it was not failed. */
export function retryTask(db: SqliteDb, projectId: string, id: string, now = Date.now()): boolean {
  return db.tx(() => {
    const r = db.q("UPDATE tasks SET status = 'running', error = NULL, attempts = 0, update_time = ?, lease_owner = NULL, lease_until = 0 WHERE id = ? AND project_id = ? AND status = 'failed'").run(now, id, projectId);
    if (r.changes === 0) return false;
    db.q("UPDATE knowledgebase_files SET status = 'running', error = NULL, update_time = ? WHERE task_id = ? AND status = 'failed'").run(now, id);
    return true;
  });
}
