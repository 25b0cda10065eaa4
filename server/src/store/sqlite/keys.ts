/** Projects and API keys. */
import { randomUUID } from 'node:crypto';
import type { ApiKeyRecord, ProjectRecord } from '../types';
import type { Row, SqliteDb } from './connection';
import { newProject, toKey, toProject } from './rows';

function insertProject(db: SqliteDb, project: ProjectRecord) {
  db.q('INSERT INTO projects(id, name, create_time) VALUES (?, ?, ?)').run(project.id, project.name, project.createTime);
}

export function ensureDefaultProject(db: SqliteDb) {
  const existing = db.q('SELECT * FROM projects ORDER BY create_time LIMIT 1').get() as Row | undefined;
  if (existing) return { project: toProject(existing), created: false };
  const project = newProject('default');
  insertProject(db, project);
  return { project, created: true };
}

export function projectByName(db: SqliteDb, name: string): ProjectRecord {
  const r = db.q('SELECT * FROM projects WHERE name = ? ORDER BY create_time LIMIT 1').get(name) as Row | undefined;
  if (r) return toProject(r);
  const project = newProject(name);
  insertProject(db, project);
  return project;
}

export function listProjects(db: SqliteDb): ProjectRecord[] {
  return (db.q('SELECT * FROM projects ORDER BY create_time').all() as Row[]).map(toProject);
}

export function createKey(db: SqliteDb, projectId: string, keyHash: string, prefix: string, label: string, readOnly = false): ApiKeyRecord {
  const rec: ApiKeyRecord = { id: 'key-' + randomUUID().slice(0, 8), projectId, prefix, label, createTime: Date.now(), revokedTime: null, readOnly };
  db.q('INSERT INTO api_keys(id, project_id, key_hash, prefix, label, create_time, read_only) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    rec.id,
    projectId,
    keyHash,
    prefix,
    label,
    rec.createTime,
    readOnly ? 1 : 0,
  );
  return rec;
}

export function findKeyByHash(db: SqliteDb, keyHash: string): ApiKeyRecord | undefined {
  const r = db.q('SELECT * FROM api_keys WHERE key_hash = ?').get(keyHash) as Row | undefined;
  return r ? toKey(r) : undefined;
}

export function listKeys(db: SqliteDb): ApiKeyRecord[] {
  return (db.q('SELECT * FROM api_keys ORDER BY create_time').all() as Row[]).map(toKey);
}

export function revokeKey(db: SqliteDb, idOrPrefix: string): ApiKeyRecord | undefined {
  const r = db.q('SELECT * FROM api_keys WHERE id = ? OR prefix = ?').get(idOrPrefix, idOrPrefix) as Row | undefined;
  if (!r) return undefined;
  // One clock reading: the record returned says exactly what was stored.
  const now = Date.now();
  if (!r.revoked_time) db.q('UPDATE api_keys SET revoked_time = ? WHERE id = ?').run(now, r.id);
  return toKey({ ...r, revoked_time: r.revoked_time ?? now });
}
