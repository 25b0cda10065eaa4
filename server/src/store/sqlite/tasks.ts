/** Durable background tasks. */
import type { TaskRecord, TaskStatus } from '../types';
import { json, type Row, type SqliteDb } from './connection';

const toTask = (r: Row): TaskRecord => ({
  id: r.id,
  projectId: r.project_id,
  kind: r.kind,
  payload: JSON.parse(r.payload),
  status: r.status,
  error: r.error,
  attempts: r.attempts,
  createTime: r.create_time,
  updateTime: r.update_time,
});

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

export function markTaskAttempt(db: SqliteDb, id: string) {
  db.q('UPDATE tasks SET attempts = attempts + 1, update_time = ? WHERE id = ?').run(Date.now(), id);
}

export function finishTask(db: SqliteDb, id: string, status: TaskStatus, error?: string | null, now = Date.now()) {
  db.q('UPDATE tasks SET status = ?, error = ?, update_time = ? WHERE id = ?').run(status, error ?? null, now, id);
}
