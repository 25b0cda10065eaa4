/**
 * Profiles (MemOS "profile" memory): a template is a named tree of fields, groups up to three levels deep
 * ("basic.city", "shopping.size"), each leaf `{value, algorithm_updatable}`. Binding a template to a user or an
 * agent gives that subject a profile with the template's defaults; edit/profile sets and removes fields; the
 * write path fills the fields it can read offline (profile-extract.ts) unless a field is locked
 * (`algorithm_updatable: false`). A changed value keeps the one it replaces in the field's `history`, the same
 * supersede-don't-lose rule facts follow.
 */
import { randomUUID } from 'node:crypto';
import type { BindProfileTemplateRequest, DeleteProfileRequest, EditProfileRequest } from '../api/profile-schemas';
import { agentSubject, subjectOf } from '../api/subject';
import { ApiError, ErrorCode } from '../errors';
import type { ProfileRecord, ProfileTemplateRecord } from '../store/types';
import type { Caller, EngineContext } from './context';
import { fieldKind, readField } from './profile-extract';

type Tree = Record<string, unknown>;
export interface ProfileLeaf {
  value: unknown;
  algorithm_updatable: boolean;
  /** Which offline reader fills it (city, size, budget, job, name); inferred from the field name when absent. */
  extract?: string;
  update_time?: number;
  /** Earlier values, newest last: what the current value superseded, and when. */
  history?: Array<{ value: unknown; until: number }>;
}

const MAX_DEPTH = 3;
const MAX_HISTORY = 20;
const isObject = (v: unknown): v is Tree => !!v && typeof v === 'object' && !Array.isArray(v);
/** A leaf is a scalar (its value) or an object carrying `value`; any other object is a group. */
const isLeafInput = (v: unknown) => !isObject(v) || 'value' in v;

function toLeaf(v: unknown, path: string): ProfileLeaf {
  if (!isObject(v)) return { value: v ?? '', algorithm_updatable: true };
  const { value, algorithm_updatable, extract } = v as { value?: unknown; algorithm_updatable?: unknown; extract?: unknown };
  if (algorithm_updatable !== undefined && typeof algorithm_updatable !== 'boolean') throw invalid(`${path}.algorithm_updatable must be true or false`);
  if (extract !== undefined && typeof extract !== 'string') throw invalid(`${path}.extract must be a string`);
  if (isObject(value) || Array.isArray(value)) throw invalid(`${path}.value must be text, a number or a boolean`);
  return { value: value ?? '', algorithm_updatable: algorithm_updatable ?? true, ...(extract ? { extract } : {}) };
}

const invalid = (message: string) => new ApiError(ErrorCode.InvalidParams, message);

/** Checks a field tree and turns every leaf into `{value, algorithm_updatable}`. */
export function normalizeTree(raw: unknown, path = 'metadata', depth = 1): Tree {
  if (!isObject(raw)) throw invalid(`${path} must be an object of groups and fields`);
  const out: Tree = {};
  for (const [name, v] of Object.entries(raw)) {
    if (!name.trim() || name.includes('.')) throw invalid(`${path}: field name "${name}" must be non-empty and contain no "."`);
    const here = `${path}.${name}`;
    if (isLeafInput(v)) out[name] = toLeaf(v, here);
    else if (depth >= MAX_DEPTH) throw invalid(`${here}: groups nest at most ${MAX_DEPTH} levels deep`);
    else out[name] = normalizeTree(v, here, depth + 1);
  }
  return out;
}

/** Every leaf with its dotted path. */
function leaves(tree: Tree, prefix = ''): Array<[string, ProfileLeaf]> {
  return Object.entries(tree).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return isObject(v) && !('value' in v) ? leaves(v, p) : [[p, v as unknown as ProfileLeaf] as [string, ProfileLeaf]];
  });
}

/** A template's field paths ("basic.city"), for listings. */
export const templateFields = (metadata: Tree) => leaves(metadata).map(([path]) => path);

/** The template file format of `memos-lite profiles create`: {id?, name, metadata}. */
export function parseTemplate(raw: unknown, now = Date.now()): ProfileTemplateRecord {
  if (!isObject(raw)) throw invalid('a profile template is a JSON object {"id", "name", "metadata"}');
  const { id, name, metadata } = raw as { id?: unknown; name?: unknown; metadata?: unknown };
  if (typeof name !== 'string' || !name.trim()) throw invalid('name: give the template a name');
  if (id !== undefined && (typeof id !== 'string' || !/^[\w.-]{1,200}$/.test(id))) throw invalid('id: letters, digits, "_", "-" and "." only, at most 200');
  const tree = normalizeTree(metadata);
  if (leaves(tree).length === 0) throw invalid('metadata: a template needs at least one field');
  return { id: (id as string | undefined) ?? `tpl_${randomUUID().replace(/-/g, '').slice(0, 16)}`, name: name.trim(), metadata: tree, createTime: now };
}

const subjectKey = (b: { user_id?: string; agent_id?: string }) => b.user_id ?? agentSubject(b.agent_id!);

async function template(ctx: EngineContext, id: string): Promise<ProfileTemplateRecord> {
  const t = await ctx.store.getProfileTemplate(id);
  if (!t) throw new ApiError(ErrorCode.NotFound, `profile template ${id} was not found (memos-lite profiles list shows the templates)`);
  return t;
}

async function profileOf(ctx: EngineContext, caller: Caller, subject: string, templateId: string): Promise<ProfileRecord | undefined> {
  return (await ctx.store.getProfiles(caller.projectId, subject)).find((p) => p.templateId === templateId);
}

export async function bindProfileTemplates(ctx: EngineContext, caller: Caller, req: BindProfileTemplateRequest) {
  const now = Date.now();
  for (const b of req.bind_list) await template(ctx, b.profile_template_id);
  for (const b of req.bind_list) {
    const subject = subjectKey(b);
    if (await profileOf(ctx, caller, subject, b.profile_template_id)) continue;
    const t = await template(ctx, b.profile_template_id);
    await ctx.store.putProfile({ id: randomUUID(), projectId: caller.projectId, subject, templateId: t.id, metadata: structuredClone(t.metadata), createTime: now, updateTime: now });
  }
  return { success: true };
}

/** Sets one leaf, keeping the value it replaces. */
function setLeaf(tree: Tree, path: string[], next: ProfileLeaf, now: number) {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    if (!isObject(node[part]) || 'value' in (node[part] as Tree)) node[part] = {};
    node = node[part] as Tree;
  }
  const name = path[path.length - 1];
  const old = isObject(node[name]) && 'value' in (node[name] as Tree) ? (node[name] as unknown as ProfileLeaf) : undefined;
  const history = [...(old?.history ?? [])];
  if (old && old.value !== '' && old.value !== null && old.value !== next.value) history.push({ value: old.value, until: now });
  node[name] = {
    ...old,
    ...next,
    ...(old?.extract && !next.extract ? { extract: old.extract } : {}),
    update_time: now,
    ...(history.length ? { history: history.slice(-MAX_HISTORY) } : {}),
  };
}

function removePath(tree: Tree, path: string[]): boolean {
  let node: unknown = tree;
  for (const part of path.slice(0, -1)) {
    if (!isObject(node)) return false;
    node = node[part];
  }
  if (!isObject(node) || !(path[path.length - 1] in node)) return false;
  delete node[path[path.length - 1]];
  return true;
}

export async function editProfile(ctx: EngineContext, caller: Caller, req: EditProfileRequest) {
  const subject = subjectKey(req);
  const p = await profileOf(ctx, caller, subject, req.profile_template_id);
  if (!p) throw new ApiError(ErrorCode.NotFound, `no profile from template ${req.profile_template_id} for this ${req.user_id !== undefined ? 'user' : 'agent'}; bind the template first (/bind/profile_template)`);
  const now = Date.now();
  const tree = structuredClone(p.metadata);
  if (req.metadata) {
    for (const [path, leaf] of leaves(normalizeTree(req.metadata))) {
      const given = leafAt(req.metadata, path.split('.'));
      // A bare value edits the value and leaves the lock as it was.
      const keepLock = !isObject(given) || !('algorithm_updatable' in given);
      const current = leafAt(tree, path.split('.')) as ProfileLeaf | undefined;
      setLeaf(tree, path.split('.'), keepLock && current ? { ...leaf, algorithm_updatable: current.algorithm_updatable } : leaf, now);
    }
  }
  for (const path of req.remove_fields ?? []) removePath(tree, path.split('.'));
  await ctx.store.putProfile({ ...p, metadata: tree, updateTime: now });
  return { success: true };
}

function leafAt(tree: unknown, path: string[]): unknown {
  let node = tree;
  for (const part of path) node = isObject(node) ? node[part] : undefined;
  return node;
}

export async function deleteProfile(ctx: EngineContext, caller: Caller, req: DeleteProfileRequest) {
  const removed = await ctx.store.deleteProfile(caller.projectId, subjectKey(req), req.profile_template_id);
  if (!removed) throw new ApiError(ErrorCode.NotFound, `no profile from template ${req.profile_template_id} for this ${req.user_id !== undefined ? 'user' : 'agent'}`);
  return { success: true };
}

/** Only the values, in the template's shape: {"basic": {"city": "Shanghai"}}. */
function values(tree: Tree): Tree {
  const out: Tree = {};
  for (const [k, v] of Object.entries(tree)) out[k] = isObject(v) && 'value' in v ? v.value : isObject(v) ? values(v) : v;
  return out;
}

/** A subject's profiles as search/memory and get/memory return them (`profile_detail_list`). */
export async function profileDetails(ctx: EngineContext, projectId: string, subject: string) {
  const profiles = await ctx.store.getProfiles(projectId, subject);
  if (!profiles.length) return [];
  const names = new Map((await ctx.store.listProfileTemplates()).map((t) => [t.id, t.name]));
  const who = subjectOf(subject);
  return profiles.map((p) => ({
    id: p.id,
    profile_template_id: p.templateId,
    profile_template_name: names.get(p.templateId) ?? '',
    user_id: who.user_id,
    agent_id: who.agent_id,
    profile: values(p.metadata),
    // One line per filled field, ready for a prompt.
    profile_value: leaves(p.metadata)
      .filter(([, l]) => l.value !== '' && l.value !== null && l.value !== undefined)
      .map(([path, l]) => `${path}: ${String(l.value)}`)
      .join('\n'),
    metadata: p.metadata,
    create_time: p.createTime,
    update_time: p.updateTime,
  }));
}

/**
 * The write path's part: fields a user's messages state (and that are not locked) are updated in every
 * profile of the subject. Later messages win, as a later statement supersedes an earlier one.
 */
export async function learnProfiles(ctx: EngineContext, projectId: string, subject: string, userTexts: string[]) {
  if (!userTexts.length) return;
  const profiles = await ctx.store.getProfiles(projectId, subject);
  const now = Date.now();
  for (const p of profiles) {
    const tree = structuredClone(p.metadata);
    let changed = false;
    for (const [path, leaf] of leaves(tree)) {
      if (leaf.algorithm_updatable === false) continue;
      const kind = fieldKind(path.split('.').pop()!, leaf.extract);
      if (!kind) continue;
      let found: string | undefined;
      for (const t of userTexts) found = readField(kind, t) ?? found;
      if (found === undefined || found === leaf.value) continue;
      setLeaf(tree, path.split('.'), { value: found, algorithm_updatable: true }, now);
      changed = true;
    }
    if (changed) await ctx.store.putProfile({ ...p, metadata: tree, updateTime: now });
  }
}
