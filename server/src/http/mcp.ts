/**
 * A Streamable HTTP MCP endpoint (POST /mcp) with the memory tools: search_memory, add_message, add_feedback and
 * chat (the plugin operations), plus create_knowledge_base, add_kb_document and get_kb_documents. A client
 * authenticates with the same API keys as the REST API (`Authorization: Bearer <key>` or `Token <key>`), and
 * every tool runs the endpoint of the REST API it stands for, so results and error codes are identical.
 *
 * Stateless: each POST gets its own MCP server and transport (no session to keep, any number of clients and
 * server processes), and answers with plain JSON rather than an SSE stream.
 *
 * The low-level `Server` is used rather than `McpServer` because the tool schemas are our own zod 4 schemas,
 * published as JSON Schema and validated with the API's validator (so a bad argument gets the same MemOS error
 * code as over REST); McpServer would re-parse them with the SDK's bundled zod.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, InitializeRequestSchema, ListToolsRequestSchema, PingRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { validate } from '../api/validate';
import type { Caller, EngineContext } from '../engine/context';
import { ApiError } from '../errors';
import { Authenticator } from './auth';
import { PLUGIN_TAG, runnerFor, type Endpoint, type Runner } from './endpoint';
import { packageVersion } from './openapi';

export const MCP_PATH = '/mcp';

interface Tool {
  name: string;
  description: string;
  schema: z.ZodType;
  output?: z.ZodType;
  run: (ctx: EngineContext, caller: Caller, args: any) => Promise<unknown>;
  /** The text a model reads; structured content carries the full result. */
  text?: (data: any) => string;
}

/** JSON Schema (draft-07, what MCP clients validate with) without the $schema marker. */
function jsonSchema(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const kbUploadInput = z.object({
  knowledgebase_id: z.string().min(1).describe('The knowledge base to add the document to.'),
  text: z.string().max(5_000_000).optional().describe('The document itself, as plain text or Markdown.'),
  url: z.string().max(4000).optional().describe('Or: a public URL of a PDF, DOCX, DOC, TXT, JSON, MD or XML file.'),
  name: z.string().max(200).optional().describe('File name with extension, e.g. "return-policy.md" (default "document.md" for text).'),
  type: z.enum(['document', 'skill']).default('document').describe('"document" (default) or "skill" (a SKILL.md).'),
  wait: z.boolean().default(true).describe('Wait (up to 60 s) until the document is processed and searchable (default true).'),
});

const kbCreateInput = z.object({
  name: z.string().min(1).max(200).describe('Name of the knowledge base.'),
  description: z.string().max(2000).optional().describe('What it contains.'),
});

const kbListInput = z.object({
  knowledgebase_id: z.string().min(1).describe('The knowledge base whose documents to list.'),
  page: z.number().int().min(1).default(1),
  page_size: z.number().int().min(1).max(100).default(20),
});

type FileInfo = { id: string; status?: string };

/** Polls the files until none is still being processed, or the deadline passes. */
async function waitForFiles(ctx: EngineContext, caller: Caller, get: Runner, ids: string[], deadlineMs: number): Promise<FileInfo[] | undefined> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const r = (await get(ctx, caller, { file_ids: ids })) as { file_detail_list?: FileInfo[] };
    const files = r.file_detail_list ?? [];
    if (!files.some((f) => /running|processing/i.test(f.status ?? ''))) return files;
    if (Date.now() > end) return files;
    await new Promise((res) => setTimeout(res, 200));
  }
}

function knowledgeBaseTools(endpoints: Endpoint[]): Tool[] {
  const create = runnerFor(endpoints, '/create/knowledgebase');
  const upload = runnerFor(endpoints, '/add/knowledgebase-file');
  const files = runnerFor(endpoints, '/get/knowledgebase-file');
  const tools: Tool[] = [];
  if (create)
    tools.push({
      name: 'create_knowledge_base',
      description: 'Create a knowledge base (product catalogue, policies, manuals) that searches and chat can draw on. Returns its id.',
      schema: kbCreateInput,
      run: async (ctx, caller, a: z.output<typeof kbCreateInput>) => {
        const r = (await create(ctx, caller, { knowledgebase_name: a.name, knowledgebase_description: a.description })) as { id?: string };
        return { knowledgebase_id: r?.id ?? '' };
      },
    });
  if (upload && files)
    tools.push({
      name: 'add_kb_document',
      description: 'Add a document to a knowledge base, given as text or as a URL. Its passages become searchable with search_memory and chat (knowledgebase_ids).',
      schema: kbUploadInput.superRefine((a, c) => {
        if (!a.text && !a.url) c.addIssue({ code: 'custom', path: ['text'], message: 'give the document as text or url', params: { code: 40002 } });
      }),
      run: async (ctx, caller, a: z.output<typeof kbUploadInput>) => {
        const name = a.name ?? (a.text ? (a.type === 'skill' ? 'SKILL.md' : 'document.md') : undefined);
        const content = a.url ?? `data:text/markdown;base64,${Buffer.from(a.text!, 'utf8').toString('base64')}`;
        const added = (await upload(ctx, caller, { knowledgebase_id: a.knowledgebase_id, file: [{ content, type: a.type, ...(name ? { name } : {}) }] })) as FileInfo[];
        const list = Array.isArray(added) ? added : [];
        const done = a.wait && list.length ? await waitForFiles(ctx, caller, files, list.map((f) => f.id), 60_000) : undefined;
        return { files: done ?? list };
      },
    });
  if (files)
    tools.push({
      name: 'get_kb_documents',
      description: 'List the documents of a knowledge base with their processing status.',
      schema: kbListInput,
      run: (ctx, caller, a: z.output<typeof kbListInput>) => files(ctx, caller, { knowledgebase_id: a.knowledgebase_id, page: a.page, page_size: a.page_size }),
    });
  return tools;
}

/** The tools for the endpoints that are mounted. */
export function mcpTools(endpoints: Endpoint[]): Tool[] {
  const plugin: Tool[] = endpoints
    .filter((e) => e.tag === PLUGIN_TAG)
    .map((e) => ({
      name: e.operationId,
      description: [e.summary, e.description].filter(Boolean).join(' '),
      schema: e.schema,
      output: e.response,
      run: (ctx, caller, args) => Promise.resolve(e.handler(ctx, caller, args)),
      text:
        e.operationId === 'search_memory'
          ? (d: { context: string }) => d.context || 'Nothing relevant is remembered about this user yet.'
          : e.operationId === 'chat_with_memory'
            ? (d: { response: string }) => d.response
            : undefined,
    }));
  return [...plugin, ...knowledgeBaseTools(endpoints)];
}

function buildServer(ctx: EngineContext, caller: Caller, tools: Tool[]): Server {
  const server = new Server(
    { name: 'memos-lite', version: packageVersion() },
    {
      capabilities: { tools: {} },
      instructions:
        'Long-term memory for the user. Each turn: call search_memory with the user message before answering, answer, then call add_message with the user message and your answer. Use add_feedback when the user corrects something remembered.',
    },
  );
  const byName = new Map(tools.map((t) => [t.name, t]));
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: jsonSchema(t.schema, 'input') as { type: 'object' },
      ...(t.output ? { outputSchema: jsonSchema(t.output, 'output') as { type: 'object' } } : {}),
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
    const tool = byName.get(req.params.name);
    if (!tool) return { isError: true, content: [{ type: 'text', text: `unknown tool "${req.params.name}"; available: ${[...byName.keys()].join(', ')}` }] };
    try {
      const data = (await tool.run(ctx, caller, validate(tool.schema, req.params.arguments ?? {}))) as Record<string, unknown>;
      const structured = data && typeof data === 'object' && !Array.isArray(data) ? data : { result: data };
      return { content: [{ type: 'text', text: tool.text ? tool.text(data) : JSON.stringify(data) }], structuredContent: structured };
    } catch (err) {
      if (err instanceof ApiError) return { isError: true, content: [{ type: 'text', text: `MemOS error ${err.code}: ${err.message}` }] };
      ctx.log.error({ err, tool: tool.name }, 'MCP tool failed');
      return { isError: true, content: [{ type: 'text', text: 'internal error; the server log has the details' }] };
    }
  });
  return server;
}

const rpcError = (reply: FastifyReply, status: number, code: number, message: string, id: unknown = null) =>
  reply.code(status).send({ jsonrpc: '2.0', error: { code, message }, id });

/** JSON-RPC 2.0 error codes. */
const RPC = { parseError: -32700, invalidRequest: -32600, invalidParams: -32602, internal: -32603 } as const;

/** The JSON-RPC error for a failure before the request reached the MCP transport (the body could not be read). */
export function mcpErrorFor(error: unknown): { status: number; code: number; message: string } {
  if (error instanceof ApiError) return { status: 400, code: RPC.parseError, message: `Parse error: ${error.message}` };
  const err = error as Error & { code?: string; statusCode?: number };
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { status: 400, code: RPC.parseError, message: `Parse error: the body is not valid JSON (${err.message})` };
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { status: 400, code: RPC.invalidRequest, message: 'Invalid Request: the body is empty; send a JSON-RPC request' };
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, code: RPC.invalidRequest, message: 'Invalid Request: Content-Type must be application/json' };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: RPC.invalidRequest, message: 'Invalid Request: the body is larger than this server accepts' };
  if (err.statusCode !== undefined && err.statusCode < 500) return { status: err.statusCode, code: RPC.invalidRequest, message: `Invalid Request: ${err.message}` };
  return { status: 500, code: RPC.internal, message: 'Internal error; the server log has the details' };
}

/**
 * A tools/call whose params are not {name: string, arguments?: object} is answered here with -32602 and a
 * sentence, rather than by the SDK (which answers -32603 with a raw schema dump). Undefined when the message is fine.
 */
export function invalidToolCall(msg: unknown): string | undefined {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return undefined;
  const m = msg as { method?: unknown; params?: unknown };
  if (m.method !== 'tools/call') return undefined;
  const p = m.params as { name?: unknown; arguments?: unknown } | undefined;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'Invalid params: tools/call needs params {"name": "<tool>", "arguments": {...}}';
  if (typeof p.name !== 'string' || !p.name) return 'Invalid params: params.name must be the name of a tool (a string); tools/list lists them';
  if (p.arguments !== undefined && (p.arguments === null || typeof p.arguments !== 'object' || Array.isArray(p.arguments)))
    return `Invalid params: params.arguments must be an object holding the tool's arguments (or be left out), not ${p.arguments === null ? 'null' : Array.isArray(p.arguments) ? 'an array' : typeof p.arguments}`;
  return undefined;
}

/** The SDK's schemas of the requests this server handles: their params are checked before the SDK sees them. */
const REQUEST_SCHEMAS: Record<string, { safeParse: (v: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } }> = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
};

/** Why a JSON-RPC request's params are invalid, in one sentence; undefined when they are fine (or it is not a request we check). */
export function invalidParams(msg: unknown): string | undefined {
  const own = invalidToolCall(msg);
  if (own) return own;
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return undefined;
  const m = msg as { method?: unknown; id?: unknown };
  const schema = typeof m.method === 'string' && m.id !== undefined && Object.hasOwn(REQUEST_SCHEMAS, m.method) ? REQUEST_SCHEMAS[m.method] : undefined;
  const r = schema?.safeParse(msg);
  if (!r || r.success) return undefined;
  const issue = r.error!.issues[0];
  return `Invalid params for ${String(m.method)}: ${issue.path.map(String).join('.') || 'params'}: ${issue.message}`;
}

export function mountMcp(app: FastifyInstance, ctx: EngineContext, endpoints: Endpoint[]) {
  const auth = new Authenticator(ctx.store);
  const tools = mcpTools(endpoints);

  app.post(MCP_PATH, async (req, reply) => {
    let caller: Caller;
    try {
      caller = await auth.authenticate(req.headers.authorization);
    } catch (err) {
      if (err instanceof ApiError) return rpcError(reply, 401, -32001, `MemOS error ${err.code}: ${err.message}`);
      throw err;
    }
    const messages = Array.isArray(req.body) ? req.body : [req.body];
    for (const msg of messages) {
      const problem = invalidParams(msg);
      if (problem) return rpcError(reply, 200, RPC.invalidParams, problem, (msg as { id?: unknown }).id ?? null);
    }
    const server = buildServer(ctx, caller, tools);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    reply.hijack();
    await transport.handleRequest(req.raw, reply.raw, req.body);
  });
  // Stateless: there is no server-initiated stream to open and no session to end.
  const notAllowed = async (_req: unknown, reply: FastifyReply) => {
    reply.header('allow', 'POST');
    return rpcError(reply, 405, -32000, 'this MCP endpoint is stateless: send JSON-RPC requests with POST');
  };
  app.get(MCP_PATH, notAllowed);
  app.delete(MCP_PATH, notAllowed);
}
