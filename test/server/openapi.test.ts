/**
 * The published OpenAPI documents: valid OpenAPI 3.0 (checked by @apidevtools/swagger-parser against the official
 * schema), generated from the endpoint declarations, and importable into Coze and Dify under their own rules.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import YAML from 'yaml';
import { allEndpoints } from '../../server/src/http/app';
import { openApiPath, serverUrlFor } from '../../server/src/http/openapi';
import { loadConfig } from '../../server/src/config';
import { REPO } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';
import { cozeProblems, difyProblems, operations } from './openapi-import-rules';

// The zod the server itself resolves (the repository root may hold an older major for other packages).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { z } = require(require.resolve('zod', { paths: [REPO + '/server'] })) as typeof import('../../server/node_modules/zod');

const server = useServer();
const publicServer = useServer({ env: { MEMOS_PUBLIC_URL: 'https://memos.example.com/' } });
const docs: Record<string, any> = {};

async function get(origin: string, path: string) {
  const res = await fetch(origin + path);
  return { status: res.status, type: res.headers.get('content-type') ?? '', cors: res.headers.get('access-control-allow-origin'), text: await res.text() };
}

beforeAll(async () => {
  for (const p of ['/openapi.json', '/openapi.yaml', '/openapi/full.json', '/openapi/full.yaml']) {
    const r = await get(server.origin, p);
    expect(r.status).toBe(200);
    docs[p] = p.endsWith('.json') ? JSON.parse(r.text) : YAML.parse(r.text);
  }
});

const pluginEndpoints = () => allEndpoints().filter((e) => e.tag === 'plugin');

describe('OpenAPI 3.0 validity', () => {
  it.each(['/openapi.json', '/openapi.yaml', '/openapi/full.json', '/openapi/full.yaml'])('%s validates with swagger-parser', async (p) => {
    const api = (await SwaggerParser.validate(structuredClone(docs[p]))) as any;
    expect(api.openapi).toMatch(/^3\.0\.\d+$/);
  });

  it('serves JSON and YAML with their media types, readable cross-origin', async () => {
    const json = await get(server.origin, '/openapi.json');
    const yaml = await get(server.origin, '/openapi.yaml');
    expect(json.type).toMatch(/^application\/json/);
    expect(yaml.type).toMatch(/^application\/yaml/);
    expect(json.cors).toBe('*');
    // The YAML is the same document, written without anchors/aliases (some importers reject them).
    expect(YAML.parse(yaml.text)).toEqual(JSON.parse(json.text));
    expect(yaml.text).not.toMatch(/^\s*[\w"-]+:\s*[&*]\w+/m);
  });

  it('the validator rejects a broken document (the check is not vacuous)', async () => {
    const broken = structuredClone(docs['/openapi.json']);
    delete broken.paths['/plugin/search_memory'].post.responses;
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });
});

describe('generated from the endpoint declarations', () => {
  it('the full document has every endpoint with its operationId and summary', () => {
    const full = docs['/openapi/full.json'];
    const ops = operations(full);
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    expect(ops.map((o) => o.path).sort()).toEqual(allEndpoints().map((e) => openApiPath(e.path)).sort());
    for (const e of allEndpoints()) {
      const op = full.paths[openApiPath(e.path)][e.method === 'GET' ? 'get' : 'post'];
      expect(op.operationId).toBe(e.operationId);
      expect(op.summary).toBe(e.summary);
    }
  });

  it('the plugin document has exactly the plugin operations', () => {
    expect(Object.keys(docs['/openapi.json'].paths).sort()).toEqual(pluginEndpoints().map((e) => e.path).sort());
    expect(Object.keys(docs['/openapi.json'].paths)).toEqual(expect.arrayContaining(['/plugin/search_memory', '/plugin/add_message', '/plugin/add_feedback']));
  });

  it('request schemas are the zod schemas the routes validate with', () => {
    const full = docs['/openapi/full.json'];
    for (const e of allEndpoints()) {
      const own = z.toJSONSchema(e.schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as any;
      if (e.method === 'GET') {
        // A GET endpoint publishes its fields as parameters: the path's own, the rest from the query string.
        const params = full.paths[openApiPath(e.path)].get.parameters as Array<{ name: string; in: string; required: boolean }>;
        expect(params.map((p) => p.name).sort()).toEqual(Object.keys(own.properties ?? {}).sort());
        for (const p of params) expect(p.in).toBe(e.path.includes(':' + p.name) ? 'path' : 'query');
        continue;
      }
      const published = full.paths[e.path].post.requestBody.content['application/json'].schema;
      // Same fields (minus the ones accepted only to be refused) and the same required ones.
      const ownProps = Object.keys(own.properties ?? {}).filter((k) => Object.keys(own.properties[k]).length > 0);
      expect(Object.keys(published.properties ?? {}).sort()).toEqual(ownProps.sort());
      expect((published.required ?? []).sort()).toEqual((own.required ?? []).filter((r: string) => ownProps.includes(r)).sort());
    }
    const search = full.paths['/search/memory'].post.requestBody.content['application/json'].schema;
    // user_id or agent_id: the schema requires one of them, so neither is required on its own.
    expect(search.required.sort()).toEqual(['query']);
    expect(Object.keys(search.properties)).toEqual(expect.arrayContaining(['user_id', 'agent_id']));
    expect(search.properties.memory_limit_number).toMatchObject({ type: 'integer', default: 9 });
    expect(search.properties.relativity).toMatchObject({ type: 'number', minimum: 0, maximum: 1, default: 0.45 });
  });

  it('one server: the address the document was fetched at, or MEMOS_PUBLIC_URL, plus the API prefix', async () => {
    expect(docs['/openapi.json'].servers).toEqual([{ url: server.baseUrl }]);
    const pub = JSON.parse((await get(publicServer.origin, '/openapi.json')).text);
    expect(pub.servers).toEqual([{ url: 'https://memos.example.com/api/openmem/v1' }]);
    const cfg = loadConfig({}, { MEMOS_PUBLIC_URL: 'https://x.example/api/openmem/v1' });
    expect(serverUrlFor(cfg)).toBe('https://x.example/api/openmem/v1');
  });

  it('the API key travels in the Authorization header', () => {
    const doc = docs['/openapi.json'];
    expect(doc.components.securitySchemes.memosApiKey).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }));
    expect(doc.security).toEqual([{ memosApiKey: [] }]);
  });
});

describe('Coze and Dify import rules', () => {
  it.each(['/openapi.json', '/openapi.yaml'])('%s imports into Coze', (p) => {
    expect(cozeProblems(docs[p])).toEqual([]);
  });

  it.each(['/openapi.json', '/openapi.yaml'])('%s imports into Dify with a typed input per field', (p) => {
    expect(difyProblems(docs[p])).toEqual([]);
  });

  it('every plugin operation has flat scalar inputs and a typed object reply', () => {
    for (const { op } of operations(docs['/openapi.json'])) {
      const body = op.requestBody.content['application/json'].schema;
      for (const prop of Object.values<any>(body.properties)) expect(['string', 'integer', 'number', 'boolean']).toContain(prop.type);
      const reply = op.responses['200'].content['application/json'].schema;
      expect(reply.properties.data.type).toBe('object');
      expect(Object.keys(reply.properties.data.properties).length).toBeGreaterThan(0);
    }
  });

  it('the rules catch what Coze and Dify refuse (the checks are not vacuous)', () => {
    const bad = structuredClone(docs['/openapi.json']);
    bad.servers.push({ url: 'https://second.example' });
    const op = bad.paths['/plugin/search_memory'].post;
    delete op.summary;
    op.requestBody.content['application/json'].schema.properties.ids = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
    op.parameters = [{ name: 'filter', in: 'query', schema: { type: 'object' } }];
    const coze = cozeProblems(bad).join('\n');
    expect(coze).toMatch(/only one server/);
    expect(coze).toMatch(/summary is required/);
    expect(coze).toMatch(/ids: type undefined/);
    expect(coze).toMatch(/cannot be 'object'/);
    expect(difyProblems(bad).join('\n')).toMatch(/ids has type undefined/);
    // The full API (messages arrays, filters) is not a Dify tool set: that is why the plugin document exists.
    expect(difyProblems(docs['/openapi/full.json']).length).toBeGreaterThan(0);
  });
});
