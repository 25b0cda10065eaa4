/**
 * OpenAPI 3.0 documents generated from the endpoint declarations, so the published schema is the one requests
 * are validated with.
 *
 *   /openapi.json, /openapi.yaml            the plugin operations: what Coze ("import from URL/file") and Dify
 *                                           (custom tool) import. Flat scalar inputs, one server, object bodies
 *                                           and typed 200 object responses, which both importers require.
 *   /openapi/full.json, /openapi/full.yaml  every endpoint, for API clients and generators.
 *
 * The server URL is MEMOS_PUBLIC_URL when set (what Coze/Dify must reach, e.g. an HTTPS tunnel), otherwise the
 * address the document was requested at; the API prefix is appended.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import YAML from 'yaml';
import { z } from 'zod';
import type { Config } from '../config';
import { PLUGIN_TAG, type Endpoint } from './endpoint';

type Json = Record<string, unknown>;
export type OpenApiDocument = Json & { openapi: string; servers: { url: string }[]; paths: Record<string, Json> };

export interface DocumentOptions {
  /** Base URL of the API, prefix included. */
  serverUrl: string;
  /** Only the plugin operations (the Coze/Dify document) or every endpoint. */
  scope: 'plugin' | 'full';
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Tidies zod's output for importers: drops the safe-integer bounds zod adds to every int (noise in a tool form),
 * and drops properties whose schema is empty (fields the API accepts only to reject them, e.g. delete by
 * conversation). Everything else is zod's openapi-3.0 output unchanged.
 */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$schema') continue;
    if ((k === 'maximum' && v === SAFE_INT) || (k === 'minimum' && v === -SAFE_INT)) continue;
    out[k] = tidy(v);
  }
  if (out.properties && typeof out.properties === 'object') {
    const props = out.properties as Json;
    for (const [name, schema] of Object.entries(props)) {
      if (schema && typeof schema === 'object' && Object.keys(schema).length === 0) {
        delete props[name];
        if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((r) => r !== name);
      }
    }
    if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  }
  return out;
}

export const toSchema = (s: z.ZodType, io: 'input' | 'output') =>
  tidy(z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' })) as Json;

const GENERIC_DATA: Json = { type: 'object', description: 'The result; see the MemOS API reference for its fields.', additionalProperties: true };

/** The MemOS reply envelope around `data` (contract §1.3); /rerank replies without it. */
function replySchema(e: Endpoint): Json {
  const data = e.response ? toSchema(e.response, 'output') : GENERIC_DATA;
  if (e.raw) return data;
  return {
    type: 'object',
    properties: {
      code: { type: 'integer', description: '0 on success, otherwise a MemOS error code (e.g. 40002: a required field is empty).' },
      message: { type: 'string', description: '"ok" on success, otherwise what went wrong.' },
      data: { ...data, nullable: true },
    },
    required: ['code', 'message'],
  };
}

/** A GET endpoint's inputs as OpenAPI parameters: the ones named in its path, the rest from the query string. */
function parameters(e: Endpoint): Json[] {
  const schema = toSchema(e.schema, 'input') as { properties?: Record<string, Json & { description?: string }>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const inPath = e.path.includes(`:${name}`);
    const { description, ...rest } = prop;
    return { name, in: inPath ? 'path' : 'query', required: inPath || !!schema.required?.includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

/** "/get/memory/:memory_id" → "/get/memory/{memory_id}". */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

function operation(e: Endpoint): Json {
  return {
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    ...(e.method === 'GET'
      ? { parameters: parameters(e) }
      : { requestBody: { required: true, content: { 'application/json': { schema: toSchema(e.schema, 'input') } } } }),
    responses: {
      '200': {
        description: e.raw ? 'The result.' : 'The MemOS reply: `code` 0 and `data`, or an error code and message (HTTP 200 either way).',
        content: { 'application/json': { schema: replySchema(e) } },
      },
    },
  };
}

export function buildOpenApi(endpoints: Endpoint[], opts: DocumentOptions): OpenApiDocument {
  const chosen = opts.scope === 'plugin' ? endpoints.filter((e) => e.tag === PLUGIN_TAG) : endpoints;
  const paths: Record<string, Json> = {};
  for (const e of chosen) paths[openApiPath(e.path)] = { ...paths[openApiPath(e.path)], [e.method === 'GET' ? 'get' : 'post']: operation(e) };
  const plugin = opts.scope === 'plugin';
  const doc = {
    openapi: '3.0.3',
    info: {
      title: plugin ? 'MemOS memory' : 'MemOS API (memos-lite)',
      description: plugin
        ? 'Long-term memory for agents: recall what a user said in earlier conversations, remember each turn, correct memories, answer with memory. Served by memos-lite, compatible with MemOS Cloud.'
        : 'The MemOS-compatible memory API served by memos-lite: memories, messages, feedback, knowledge bases and chat. Every endpoint is a POST with a JSON body and answers {code, data, message}.',
      version: packageVersion(),
    },
    servers: [{ url: opts.serverUrl }],
    tags: [...new Set(chosen.map((e) => e.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        memosApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'The API key with its scheme: "Token <key>" (or "Bearer <key>").',
        },
      },
    },
    security: [{ memosApiKey: [] }],
  };
  // A plain tree: no shared objects, so YAML output has no anchors and every consumer sees independent nodes.
  return JSON.parse(JSON.stringify(doc)) as OpenApiDocument;
}

/** MEMOS_PUBLIC_URL (with or without the API prefix), else the origin the request reached. */
export function serverUrlFor(config: Config, req?: Pick<FastifyRequest, 'protocol' | 'host'>): string {
  // Without a request (the CLI), a wildcard listen address is reached through the loopback.
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = (config.publicUrl ?? (req ? `${req.protocol}://${req.host}` : `http://${host}:${config.port}`)).replace(/\/+$/, '');
  return base.endsWith(config.apiPrefix) ? base : base + config.apiPrefix;
}

export const toYaml = (doc: OpenApiDocument) => YAML.stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });

export function registerOpenApi(app: FastifyInstance, config: Config, endpoints: Endpoint[]) {
  const routes: [string, DocumentOptions['scope'], 'json' | 'yaml'][] = [
    ['/openapi.json', 'plugin', 'json'],
    ['/openapi.yaml', 'plugin', 'yaml'],
    ['/openapi.yml', 'plugin', 'yaml'],
    ['/openapi/full.json', 'full', 'json'],
    ['/openapi/full.yaml', 'full', 'yaml'],
  ];
  for (const [url, scope, format] of routes)
    app.get(url, async (req, reply) => {
      const doc = buildOpenApi(endpoints, { serverUrl: serverUrlFor(config, req), scope });
      // Coze and Dify fetch the document from their own origin.
      reply.header('access-control-allow-origin', '*');
      if (format === 'yaml') return reply.type('application/yaml; charset=utf-8').send(toYaml(doc));
      return reply.type('application/json; charset=utf-8').send(doc);
    });
}
