/** Profile templates and the profiles bound from them (engine/profile.ts decides what goes in them). */
import type { ProfileRecord, ProfileTemplateRecord } from '../types';
import { json, type Row, type SqliteDb } from './connection';
import { toProfile, toTemplate } from './rows';

export function putProfileTemplate(db: SqliteDb, t: ProfileTemplateRecord) {
  db.q(
    `INSERT INTO profile_templates(id, name, metadata, create_time) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, metadata = excluded.metadata`,
  ).run(t.id, t.name, json(t.metadata), t.createTime);
}

export function listProfileTemplates(db: SqliteDb): ProfileTemplateRecord[] {
  return (db.q('SELECT * FROM profile_templates ORDER BY create_time, id').all() as Row[]).map(toTemplate);
}

export function getProfileTemplate(db: SqliteDb, id: string): ProfileTemplateRecord | undefined {
  const r = db.q('SELECT * FROM profile_templates WHERE id = ?').get(id) as Row | undefined;
  return r ? toTemplate(r) : undefined;
}

export function deleteProfileTemplate(db: SqliteDb, id: string): boolean {
  return db.tx(() => {
    db.q('DELETE FROM profiles WHERE template_id = ?').run(id);
    return db.q('DELETE FROM profile_templates WHERE id = ?').run(id).changes > 0;
  });
}

export function getProfiles(db: SqliteDb, projectId: string, subject: string): ProfileRecord[] {
  return (db.q('SELECT * FROM profiles WHERE project_id = ? AND subject = ? ORDER BY create_time, id').all(projectId, subject) as Row[]).map(toProfile);
}

export function putProfile(db: SqliteDb, p: ProfileRecord) {
  db.q(
    `INSERT INTO profiles(id, project_id, subject, template_id, metadata, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(project_id, subject, template_id) DO UPDATE SET metadata = excluded.metadata, update_time = excluded.update_time`,
  ).run(p.id, p.projectId, p.subject, p.templateId, json(p.metadata), p.createTime, p.updateTime);
}

export function deleteProfile(db: SqliteDb, projectId: string, subject: string, templateId: string): boolean {
  return db.q('DELETE FROM profiles WHERE project_id = ? AND subject = ? AND template_id = ?').run(projectId, subject, templateId).changes > 0;
}
