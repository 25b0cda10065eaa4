/** Projects and API keys. */
import { randomUUID } from 'node:crypto';
import type { ApiKeyRecord, ProjectRecord } from '../types';
import { all, one, run, type Queryable } from './connection';
import { newProject, toKey, toProject } from './rows';

/** Projects are found by name; two replicas creating the same one at once must end with one, so creation is serialised. */
async function lockProjects(db: Queryable) {
  await run(db, 'SELECT pg_advisory_xact_lock(?)', [0x70726f6a]);
}

async function findOrCreate(db: Queryable, selectSql: string, params: unknown[], name: string): Promise<{ project: ProjectRecord; created: boolean }> {
  const existing = await one(db, selectSql, params);
  if (existing) return { project: toProject(existing), created: false };
  await lockProjects(db);
  const again = await one(db, selectSql, params);
  if (again) return { project: toProject(again), created: false };
  const project = newProject(name);
  await run(db, 'INSERT INTO projects(id, name, create_time) VALUES (?, ?, ?)', [project.id, project.name, project.createTime]);
  return { project, created: true };
}

/** Needs a transaction (the lock is held until it ends). */
export function ensureDefaultProject(db: Queryable) {
  return findOrCreate(db, 'SELECT * FROM projects ORDER BY create_time, id LIMIT 1', [], 'default');
}

/** Needs a transaction (the lock is held until it ends). */
export async function projectByName(db: Queryable, name: string): Promise<ProjectRecord> {
  return (await findOrCreate(db, 'SELECT * FROM projects WHERE name = ? ORDER BY create_time, id LIMIT 1', [name], name)).project;
}

export async function listProjects(db: Queryable): Promise<ProjectRecord[]> {
  return (await all(db, 'SELECT * FROM projects ORDER BY create_time, id')).map(toProject);
}

export async function createKey(db: Queryable, projectId: string, keyHash: string, prefix: string, label: string, readOnly = false): Promise<ApiKeyRecord> {
  const rec: ApiKeyRecord = { id: 'key-' + randomUUID().slice(0, 8), projectId, prefix, label, createTime: Date.now(), revokedTime: null, readOnly };
  // Replicas starting together with the same bootstrap key both try to create it: the first one wins.
  const inserted = await run(db, 'INSERT INTO api_keys(id, project_id, key_hash, prefix, label, create_time, read_only) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING', [
    rec.id,
    projectId,
    keyHash,
    prefix,
    label,
    rec.createTime,
    readOnly,
  ]);
  if (inserted === 0) return (await findKeyByHash(db, keyHash))!;
  return rec;
}

export async function findKeyByHash(db: Queryable, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const r = await one(db, 'SELECT * FROM api_keys WHERE key_hash = ?', [keyHash]);
  return r ? toKey(r) : undefined;
}

export async function listKeys(db: Queryable): Promise<ApiKeyRecord[]> {
  return (await all(db, 'SELECT * FROM api_keys ORDER BY create_time, id')).map(toKey);
}

export async function revokeKey(db: Queryable, idOrPrefix: string): Promise<ApiKeyRecord | undefined> {
  const r = await one(db, 'SELECT * FROM api_keys WHERE id = ? OR prefix = ? ORDER BY create_time LIMIT 1', [idOrPrefix, idOrPrefix]);
  if (!r) return undefined;
  const now = Date.now();
  if (!r.revoked_time) await run(db, 'UPDATE api_keys SET revoked_time = ? WHERE id = ? AND revoked_time IS NULL', [now, r.id]);
  return toKey({ ...r, revoked_time: r.revoked_time ?? now });
}
