/**
 * The workflow templates as files (before any n8n sees them): every MemOS node exists in the pack and uses only
 * parameters that node declares, connections point at real nodes, webhook paths do not collide, the sticky notes
 * explain setup and the model switch; and the installer's n8n API conversation, against a recorded fake.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { MemOsAddMessage } from '../../nodes/MemOsAddMessage/MemOsAddMessage.node';
import { MemOsChat } from '../../nodes/MemOsChat/MemOsChat.node';
import { MemOsFeedback } from '../../nodes/MemOsFeedback/MemOsFeedback.node';
import { MemOsKnowledgeBase } from '../../nodes/MemOsKnowledgeBase/MemOsKnowledgeBase.node';
import { MemOsSearchMemory } from '../../nodes/MemOsSearchMemory/MemOsSearchMemory.node';
import { importTemplates, readTemplates, toPayload } from '../../server/src/templates/import';

const DIR = path.resolve(__dirname, '../../workflows');
const templates = readTemplates(DIR);
const descriptions: Record<string, INodeTypeDescription> = Object.fromEntries(
  [MemOsAddMessage, MemOsChat, MemOsFeedback, MemOsKnowledgeBase, MemOsSearchMemory].map((C) => {
    const d = new C().description;
    return [`n8n-nodes-memos-kit.${d.name}`, d];
  }),
);

/** Top-level parameter names, and for collections the names of their options. */
function declared(d: INodeTypeDescription) {
  const top = new Map<string, INodeProperties[]>();
  for (const p of d.properties) top.set(p.name, [...(top.get(p.name) ?? []), p]);
  return top;
}

describe.each(templates.map((t) => [t.file, t.template] as const))('%s', (_file, wf: any) => {
  it('has the MemOS nodes of the pack, each with parameters its node declares', () => {
    const memos = wf.nodes.filter((n: any) => n.type.startsWith('n8n-nodes-memos-kit.'));
    expect(memos.length).toBeGreaterThan(3);
    for (const n of memos) {
      const d = descriptions[n.type];
      expect(d).toBeDefined();
      const props = declared(d);
      for (const [key, value] of Object.entries<any>(n.parameters)) {
        expect({ node: n.name, key, known: props.has(key) }).toEqual({ node: n.name, key, known: true });
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const options = new Set(props.get(key)!.flatMap((p) => ((p.options ?? []) as INodeProperties[]).map((o) => o.name)));
          for (const sub of Object.keys(value)) expect({ node: n.name, option: `${key}.${sub}`, known: options.has(sub) }).toEqual({ node: n.name, option: `${key}.${sub}`, known: true });
        }
      }
      expect(n.credentials?.memOsApi).toBeDefined();
    }
  });

  it('connects only existing nodes and every route ends in a reply', () => {
    const names = new Set(wf.nodes.map((n: any) => n.name));
    for (const [from, out] of Object.entries<any>(wf.connections)) {
      expect(names.has(from)).toBe(true);
      for (const branch of out.main) for (const c of branch) expect(names.has(c.node)).toBe(true);
    }
    for (const hook of wf.nodes.filter((n: any) => n.type === 'n8n-nodes-base.webhook')) {
      expect(hook.parameters.responseMode).toBe('lastNode');
      expect(wf.connections[hook.name]).toBeDefined();
    }
  });

  it('explains setup and how to answer with OpenAI, DeepSeek or Qwen in sticky notes', () => {
    const notes = wf.nodes.filter((n: any) => n.type === 'n8n-nodes-base.stickyNote').map((n: any) => n.parameters.content).join('\n');
    expect(notes).toMatch(/Setup/);
    expect(notes).toMatch(/import-templates/);
    for (const provider of ['OpenAI', 'DeepSeek', 'Qwen']) expect(notes).toContain(provider);
    expect(notes).toMatch(/MEMOS_LLM_BASE_URL/);
  });
});

describe('all templates', () => {
  it('use distinct webhook paths, webhook ids and workflow names', () => {
    const hooks = templates.flatMap((t) => t.template.nodes.filter((n) => n.type.endsWith('.webhook') || n.type.endsWith('.chatTrigger')));
    const paths = hooks.filter((n) => n.parameters?.path).map((n) => n.parameters!.path);
    expect(new Set(paths).size).toBe(paths.length);
    const ids = hooks.map((n) => n.webhookId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(templates.map((t) => t.template.name)).size).toBe(templates.length);
  });

  it('each has a README', () => {
    for (const t of templates) expect(fs.existsSync(path.join(DIR, t.file.replace(/\.json$/, '.md')))).toBe(true);
  });
});

describe('import-templates against n8n\'s public API', () => {
  /** A fake n8n public API that records calls and keeps state between runs. */
  function fakeN8n() {
    const calls: string[] = [];
    const credentials: any[] = [];
    const workflows: any[] = [];
    let n = 0;
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const impl = (async (url: string, init: RequestInit) => {
      const u = new URL(url);
      const route = `${init.method} ${u.pathname.replace('/api/v1', '')}`;
      calls.push(route);
      if ((init.headers as Record<string, string>)['x-n8n-api-key'] !== 'n8n-key') return json(401, { message: 'unauthorized' });
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      if (route === 'GET /workflows') {
        const name = u.searchParams.get('name');
        return json(200, { data: name ? workflows.filter((w) => w.name === name) : workflows.slice(0, 1) });
      }
      if (route === 'GET /credentials') return json(200, { data: credentials, nextCursor: null });
      if (route === 'POST /credentials') {
        const c = { id: `cred${++n}`, ...body };
        credentials.push(c);
        return json(200, c);
      }
      if (route.startsWith('PATCH /credentials/')) {
        Object.assign(credentials.find((c) => route.endsWith(c.id)), body);
        return json(200, {});
      }
      if (route === 'POST /workflows') {
        expect(Object.keys(body).sort()).toEqual(['connections', 'name', 'nodes', 'settings']);
        const w = { id: `wf${++n}`, active: false, ...body };
        workflows.push(w);
        return json(200, w);
      }
      if (route.startsWith('PUT /workflows/')) {
        const w = workflows.find((x) => route.endsWith(x.id));
        Object.assign(w, body);
        return json(200, w);
      }
      if (route.endsWith('/activate')) {
        const w = workflows.find((x) => route.includes(x.id));
        w.active = true;
        return json(200, w);
      }
      return json(404, { message: 'not found' });
    }) as unknown as typeof fetch;
    return { impl, calls, credentials, workflows };
  }

  const opts = (impl: typeof fetch, key = 'n8n-key') => ({
    n8nUrl: 'http://n8n.test:5678/',
    n8nApiKey: key,
    memosUrl: 'http://127.0.0.1:8000/api/openmem/v1',
    memosKey: 'mpg-abc',
    dir: DIR,
    activate: true,
    fetchImpl: impl,
  });

  it('creates the credential and the workflows, wires every MemOS node to it, activates, then updates in place', async () => {
    const fake = fakeN8n();
    const first = await importTemplates(opts(fake.impl));
    expect(first.credential).toMatchObject({ action: 'created', name: 'MemOS (memos-lite)' });
    expect(fake.credentials).toEqual([expect.objectContaining({ type: 'memOsApi', data: { baseUrl: 'http://127.0.0.1:8000/api/openmem/v1', apiKey: 'mpg-abc' } })]);
    expect(first.workflows.map((w) => [w.action, w.active])).toEqual(templates.map(() => ['created', true]));
    for (const w of fake.workflows)
      for (const node of w.nodes.filter((x: any) => x.credentials?.memOsApi)) expect(node.credentials.memOsApi).toEqual({ id: first.credential.id, name: 'MemOS (memos-lite)' });
    expect(first.workflows[0].webhooks[0]).toMatch(/^http:\/\/n8n\.test:5678\/webhook\/memos-/);

    const second = await importTemplates({ ...opts(fake.impl), memosKey: 'mpg-new' });
    expect(second.credential.action).toBe('updated');
    expect(second.workflows.every((w) => w.action === 'updated')).toBe(true);
    expect(fake.workflows).toHaveLength(templates.length);
    expect(fake.credentials).toHaveLength(1);
    expect(fake.credentials[0].data.apiKey).toBe('mpg-new');
  });

  it('says what to fix when the n8n key is wrong', async () => {
    await expect(importTemplates(opts(fakeN8n().impl, 'wrong'))).rejects.toThrow(/rejected the API key/);
  });

  it('toPayload keeps the nodes and replaces only the MemOS credential', () => {
    const t = templates[0].template;
    const p = toPayload(t, { id: 'X', name: 'Y' });
    expect(p.nodes).toHaveLength(t.nodes.length);
    expect(p.nodes.filter((x: any) => x.credentials?.memOsApi?.id === 'X').length).toBe(t.nodes.filter((x) => x.credentials?.memOsApi).length);
  });
});
