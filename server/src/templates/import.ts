/**
 * `memos-lite import-templates`: puts the workflow templates into an n8n through its public API, wired to this
 * memos-lite. It creates (or updates) one "MemOS API" credential holding this server's base URL and key, points
 * every MemOS node of the templates at it, creates (or replaces, matched by name) each workflow, and activates
 * it so the webhooks answer at once. Running it again updates in place: no duplicate workflows or credentials.
 */
import fs from 'node:fs';
import path from 'node:path';
import { N8nApi, N8nError, type WorkflowPayload } from './n8n-api';

export const CREDENTIAL_TYPE = 'memOsApi';
export const DEFAULT_CREDENTIAL_NAME = 'MemOS (memos-lite)';

export interface ImportOptions {
  n8nUrl: string;
  n8nApiKey: string;
  /** Base URL of the MemOS API as n8n reaches it, prefix included. */
  memosUrl: string;
  memosKey: string;
  /** Folder of template *.json files. */
  dir: string;
  activate: boolean;
  credentialName?: string;
  fetchImpl?: typeof fetch;
  log?: (line: string) => void;
}

export interface ImportedWorkflow {
  file: string;
  name: string;
  id: string;
  action: 'created' | 'updated';
  active: boolean;
  webhooks: string[];
  error?: string;
}

export interface ImportResult {
  credential: { id: string; name: string; action: 'created' | 'updated' };
  workflows: ImportedWorkflow[];
}

interface TemplateNode {
  type: string;
  parameters?: { path?: string };
  credentials?: Record<string, { id: string; name: string }>;
  [k: string]: unknown;
}
interface Template {
  name: string;
  nodes: TemplateNode[];
  connections: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** The templates shipped with this package: the repository's workflows/ folder, or a copy beside the build. */
export function defaultTemplateDir(): string | undefined {
  const candidates = [path.resolve(__dirname, '../../../workflows'), path.resolve(__dirname, '../../workflows')];
  return candidates.find((d) => fs.existsSync(d) && fs.readdirSync(d).some((f) => f.endsWith('.json')));
}

export function readTemplates(dir: string): { file: string; template: Template }[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (!files.length) throw new N8nError(`no workflow templates (*.json) in ${dir}`);
  return files.map((file) => {
    const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Template;
    if (!template.name || !Array.isArray(template.nodes) || !template.connections) throw new N8nError(`${file} is not an n8n workflow export`);
    return { file, template };
  });
}

/** The workflow as the public API takes it, every MemOS node using the given credential. */
export function toPayload(t: Template, credential: { id: string; name: string }): WorkflowPayload {
  const nodes = t.nodes.map((n) => {
    if (!n.credentials?.[CREDENTIAL_TYPE]) return n;
    return { ...n, credentials: { ...n.credentials, [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } } };
  });
  return { name: t.name, nodes, connections: t.connections, settings: t.settings ?? { executionOrder: 'v1' } };
}

export async function importTemplates(o: ImportOptions): Promise<ImportResult> {
  const log = o.log ?? (() => undefined);
  const api = new N8nApi(o.n8nUrl, o.n8nApiKey, o.fetchImpl);
  const n8nBase = o.n8nUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const templates = readTemplates(o.dir);
  await api.check();

  const name = o.credentialName ?? DEFAULT_CREDENTIAL_NAME;
  const data = { baseUrl: o.memosUrl, apiKey: o.memosKey };
  const existing = (await api.listCredentials())?.find((c) => c.name === name && c.type === CREDENTIAL_TYPE);
  let credential: ImportResult['credential'];
  try {
    if (existing) {
      await api.updateCredential(existing.id, data);
      credential = { id: existing.id, name, action: 'updated' };
    } else {
      const created = await api.createCredential(name, CREDENTIAL_TYPE, data);
      credential = { id: created.id, name, action: 'created' };
    }
  } catch (err) {
    if (err instanceof N8nError && err.status === 400 && /type|memOsApi/i.test(err.message))
      throw new N8nError(`${err.message}\nIs the n8n-nodes-memos-kit community package installed in this n8n? The templates need its MemOS nodes and credential.`, 400);
    throw err;
  }
  log(`credential "${name}" ${credential.action} (${credential.id}) -> ${o.memosUrl}`);

  const workflows: ImportedWorkflow[] = [];
  for (const { file, template } of templates) {
    const payload = toPayload(template, credential);
    const [found] = await api.findWorkflows(template.name);
    const saved = found ? await api.updateWorkflow(found.id, payload) : await api.createWorkflow(payload);
    const webhooks = template.nodes.filter((n) => n.type === 'n8n-nodes-base.webhook' && n.parameters?.path).map((n) => `${n8nBase}/webhook/${n.parameters!.path}`);
    const entry: ImportedWorkflow = { file, name: template.name, id: saved.id, action: found ? 'updated' : 'created', active: Boolean(saved.active), webhooks };
    if (o.activate) {
      try {
        entry.active = Boolean((await api.activate(saved.id)).active ?? true);
      } catch (err) {
        entry.error = (err as Error).message;
      }
    }
    workflows.push(entry);
    log(`workflow "${entry.name}" ${entry.action} (${entry.id})${entry.active ? ', active' : ''}${entry.error ? `, NOT activated: ${entry.error}` : ''}`);
    for (const w of entry.active ? webhooks : []) log(`    POST ${w}`);
  }
  return { credential, workflows };
}
