/** Profile templates and the profiles bound from them (engine/profile.ts decides what goes in them). */
import type { ProfileRecord, ProfileTemplateRecord } from '../types';
import { all, json, one, run, type Queryable } from './connection';
import { toProfile, toTemplate } from './rows';

export async function putProfileTemplate(db: Queryable, t: ProfileTemplateRecord) {
  await run(
    db,
    `INSERT INTO profile_templates(id, name, metadata, create_time) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, metadata = excluded.metadata`,
    [t.id, t.name, json(t.metadata), t.createTime],
  );
}

export async function listProfileTemplates(db: Queryable): Promise<ProfileTemplateRecord[]> {
  return (await all(db, 'SELECT * FROM profile_templates ORDER BY create_time, id')).map(toTemplate);
}

export async function getProfileTemplate(db: Queryable, id: string): Promise<ProfileTemplateRecord | undefined> {
  const r = await one(db, 'SELECT * FROM profile_templates WHERE id = ?', [id]);
  return r ? toTemplate(r) : undefined;
}

/** Needs a transaction. */
export async function deleteProfileTemplate(db: Queryable, id: string): Promise<boolean> {
  await run(db, 'DELETE FROM profiles WHERE template_id = ?', [id]);
  return (await run(db, 'DELETE FROM profile_templates WHERE id = ?', [id])) > 0;
}

export async function getProfiles(db: Queryable, projectId: string, subject: string): Promise<ProfileRecord[]> {
  return (await all(db, 'SELECT * FROM profiles WHERE project_id = ? AND subject = ? ORDER BY create_time, id', [projectId, subject])).map(toProfile);
}

export async function putProfile(db: Queryable, p: ProfileRecord) {
  await run(
    db,
    `INSERT INTO profiles(id, project_id, subject, template_id, metadata, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(project_id, subject, template_id) DO UPDATE SET metadata = excluded.metadata, update_time = excluded.update_time`,
    [p.id, p.projectId, p.subject, p.templateId, json(p.metadata), p.createTime, p.updateTime],
  );
}

export async function deleteProfile(db: Queryable, projectId: string, subject: string, templateId: string): Promise<boolean> {
  return (await run(db, 'DELETE FROM profiles WHERE project_id = ? AND subject = ? AND template_id = ?', [projectId, subject, templateId])) > 0;
}
