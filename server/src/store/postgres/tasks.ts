/** Durable background tasks, shared by every process on the database through leases (see claimTasks). */
import type { TaskRecord, TaskStatus } from '../types';
import { all, json, one, placeholders, run, type Queryable } from './connection';
import { toTask } from './rows';

/** Part of a commit (commit.ts). */
export async function insertTask(db: Queryable, t: TaskRecord) {
  await run(db, 'INSERT INTO tasks(id, project_id, kind, payload, status, error, attempts, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    t.id,
    t.projectId,
    t.kind,
    json(t.payload),
    t.status,
    t.error,
    t.attempts,
    t.createTime,
    t.updateTime,
  ]);
}

export async function getTask(db: Queryable, id: string): Promise<TaskRecord | undefined> {
  const r = await one(db, 'SELECT * FROM tasks WHERE id = ?', [id]);
  return r ? toTask(r) : undefined;
}

export async function pendingTasks(db: Queryable, limit: number): Promise<TaskRecord[]> {
  return (await all(db, "SELECT * FROM tasks WHERE status = 'running' ORDER BY create_time LIMIT ?", [limit])).map(toTask);
}

/**
 * Claims running tasks that no live process holds: never claimed, or whose lease ran out (the process that held
 * it died). SKIP LOCKED lets processes claim at the same moment without waiting for each other or taking the
 * same task. `createdBefore` holds back tasks younger than the start delay.
 */
export async function claimTasks(db: Queryable, owner: string, leaseMs: number, limit: number, createdBefore = Number.MAX_SAFE_INTEGER): Promise<TaskRecord[]> {
  if (limit <= 0) return [];
  const now = Date.now();
  const rows = await all(
    db,
    `UPDATE tasks SET lease_owner = ?, lease_until = ? WHERE id IN (
       SELECT id FROM tasks WHERE status = 'running' AND lease_until < ? AND create_time <= ?
       ORDER BY create_time LIMIT ? FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [owner, now + leaseMs, now, createdBefore, limit],
  );
  return rows.map(toTask).sort((a, b) => a.createTime - b.createTime);
}

/** Extends the owner's leases; returns the ids it still holds (a lease that ran out may have been taken over). */
export async function renewLeases(db: Queryable, owner: string, ids: string[], leaseMs: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await all(db, `UPDATE tasks SET lease_until = ? WHERE lease_owner = ? AND status = 'running' AND id IN (${placeholders(ids.length)}) RETURNING id`, [
    Date.now() + leaseMs,
    owner,
    ...ids,
  ]);
  return rows.map((r) => r.id as string);
}

/** Releases the owner's leases at once (a clean shutdown), so other processes need not wait for them to run out. */
export async function releaseLeases(db: Queryable, owner: string) {
  await run(db, "UPDATE tasks SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ? AND status = 'running'", [owner]);
}

export async function runningTaskCount(db: Queryable): Promise<number> {
  return ((await one(db, "SELECT COUNT(*) AS n FROM tasks WHERE status = 'running'"))?.n as number) ?? 0;
}

export async function markTaskAttempt(db: Queryable, id: string) {
  await run(db, 'UPDATE tasks SET attempts = attempts + 1, update_time = ? WHERE id = ?', [Date.now(), id]);
}

/**
 * Records a task's outcome. With `leaseOwner` only while that process still holds it: false when the task was
 * taken over (or already finished), and then nothing is written.
 */
export async function finishTask(db: Queryable, id: string, status: TaskStatus, error?: string | null, leaseOwner?: string, now = Date.now()): Promise<boolean> {
  if (leaseOwner === undefined) return (await run(db, 'UPDATE tasks SET status = ?, error = ?, update_time = ? WHERE id = ?', [status, error ?? null, now, id])) > 0;
  return (
    (await run(db, "UPDATE tasks SET status = ?, error = ?, update_time = ?, lease_owner = NULL WHERE id = ? AND status = 'running' AND lease_owner = ?", [
      status,
      error ?? null,
      now,
      id,
      leaseOwner,
    ])) > 0
  );
}

/** A project's tasks, newest first. */
export async function listTasks(db: Queryable, projectId: string, o: { status?: TaskStatus; kind?: string; page: number; size: number }): Promise<{ items: TaskRecord[]; total: number }> {
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
  const total = ((await one(db, `SELECT COUNT(*) AS n ${base}`, params))?.n as number) ?? 0;
  const items = (await all(db, `SELECT * ${base} ORDER BY create_time DESC, id DESC LIMIT ? OFFSET ?`, [...params, o.size, (o.page - 1) * o.size])).map(toTask);
  return { items, total };
}

/** Needs a transaction. A failed task back to running with fresh attempts (and its document, when it processes one); false when it was not failed. */
export async function retryTask(db: Queryable, projectId: string, id: string, now = Date.now()): Promise<boolean> {
  const n = await run(db, "UPDATE tasks SET status = 'running', error = NULL, attempts = 0, update_time = ?, lease_owner = NULL, lease_until = 0 WHERE id = ? AND project_id = ? AND status = 'failed'", [
    now,
    id,
    projectId,
  ]);
  if (n === 0) return false;
  await run(db, "UPDATE knowledgebase_files SET status = 'running', error = NULL, update_time = ? WHERE task_id = ? AND status = 'failed'", [now, id]);
  return true;
}
