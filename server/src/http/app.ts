/**
 * The Fastify application: envelope, auth, error mapping, and the endpoint declarations mounted under the API
 * prefix. Every failure leaves here as the contract's envelope; nothing a client sends produces a 500.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { ApiError, ErrorCode, httpStatusFor, type ErrorCodeValue } from '../errors';
import type { Caller, EngineContext } from '../engine/context';
import { validate } from '../api/validate';
import { Authenticator } from './auth';
import type { Endpoint } from './endpoint';
import { memoryEndpoints } from './routes/memory';
import { knowledgebaseEndpoints } from './routes/knowledgebase';
import { chatEndpoints } from './routes/chat';
import { profileEndpoints } from './routes/profile';
import { eraseEndpoints } from './routes/erase';
import { sendSse, sendSseError, wantsStream } from './sse';
import multipart from '@fastify/multipart';
import { readMultipartBody } from './multipart';
import { MAX_FILES_PER_UPLOAD } from '../engine/knowledgebase';
import { pluginEndpoints } from './routes/plugin';
import { registerOpenApi } from './openapi';
import { MCP_PATH, mcpErrorFor, mountMcp } from './mcp';
import { registerJsonParser } from './json-body';
import { mountConsole } from './console';
import { assertMayCall, guardWrites } from './read-only';
import { admitRequests } from './admission';

/** The MemOS API endpoints; the plugin operations (Coze, Dify, MCP) are derived from them. */
const apiEndpoints = (): Endpoint[] => [...memoryEndpoints, ...knowledgebaseEndpoints, ...chatEndpoints, ...profileEndpoints, ...eraseEndpoints];

export const allEndpoints = (): Endpoint[] => {
  const api = apiEndpoints();
  return [...api, ...pluginEndpoints(api)].map(guardWrites);
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error code for a body over the route's limit (Endpoint.bodyTooLargeCode). */
    bodyTooLargeCode?: number;
  }
}

const MB = 1024 * 1024;

/** Bodies up to this size are read and discarded when over a route's limit (see refuseOversizeBody). */
const MAX_DRAIN = 256 * MB;

/**
 * A declared body over the route's limit is refused before parsing. The rest of a modest one is read and
 * discarded first, so a client that is still sending receives the error envelope instead of a broken pipe.
 */
async function bodyTooLarge(req: FastifyRequest): Promise<boolean> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared > req.routeOptions.bodyLimit!)) return false;
  if (declared <= MAX_DRAIN)
    await new Promise<void>((resolve) => {
      req.raw.once('end', resolve).once('error', () => resolve()).once('close', resolve);
      req.raw.resume();
    });
  return true;
}

/** A JSON body left unread for an endpoint's bodyStream. */
class UnreadBody {
  constructor(readonly stream: AsyncIterable<Buffer>) {}
}

/** The body's bytes, refused with `code` once they pass `limit` (a chunked body declares no length up front). */
async function* limitedBody(body: AsyncIterable<Buffer>, limit: number, code: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > limit) throw new ApiError(code as ErrorCodeValue, `the request body is larger than this endpoint accepts (${Math.round(limit / MB)} MB)`);
    yield chunk;
  }
}

/** `logStream`: where the JSON log lines go instead of stdout (tests that run the server in their own process read them). */
export function buildApp({ config, logStream }: { config: Config; logStream?: NodeJS.WritableStream }): FastifyInstance {
  return Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, ...(logStream ? { stream: logStream } : {}) },
    bodyLimit: Math.round(config.maxBodyMb * MB),
    // Request ids in logs make a user's bug report traceable.
    requestIdHeader: 'x-request-id',
    // Per-request lines only when debugging: a memory server sees many small calls.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
}

/** Errors that mean the client's body could not be read (bad JSON, wrong type, too large). */
export function isClientBodyError(error: unknown): boolean {
  const err = error as Error & { code?: string; statusCode?: number };
  return err instanceof SyntaxError || (typeof err?.code === 'string' && err.code.startsWith('FST_ERR_CTP_')) || (err?.statusCode ?? 500) < 500;
}

/** Replies that carry an error envelope (whatever their HTTP status), for the usage figures. */
const failed = new WeakSet<FastifyReply>();

export function mountApi(app: FastifyInstance, ctx: EngineContext, endpoints: Endpoint[]) {
  const { config } = ctx;
  const auth = new Authenticator(ctx.store);
  const errorStatus = (code: number) => (config.httpErrorStatus === 'mapped' ? httpStatusFor(code) : 200);
  const sendError = (reply: FastifyReply, code: number, message: string) => reply.code(errorStatus(code)).send({ code, data: null, message });

  registerJsonParser(app);
  admitRequests(app, ctx.queue, sendError);
  app.setErrorHandler((error: unknown, req, reply) => {
    failed.add(reply);
    // /mcp speaks JSON-RPC: its clients read a JSON-RPC error object, never the MemOS envelope.
    if (req.url.split('?')[0] === MCP_PATH) {
      if (!(error instanceof ApiError) && !isClientBodyError(error)) req.log.error({ err: error }, 'unexpected error');
      const e = mcpErrorFor(error);
      return reply.code(e.status).send({ jsonrpc: '2.0', error: { code: e.code, message: e.message }, id: null });
    }
    if (error instanceof ApiError) return sendError(reply, error.code, error.message);
    const err = error as Error & { code?: string; statusCode?: number };
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, ErrorCode.InvalidParams, `the request body is not valid JSON: ${err.message}`);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, ErrorCode.RequiredEmpty, 'the request body is empty; send a JSON object');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, ErrorCode.InputTooLong, `the request body is larger than this endpoint accepts (${config.maxBodyMb} MB for memory endpoints)`);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, ErrorCode.InvalidParams, 'Content-Type must be application/json');
    }
    if (err instanceof SyntaxError || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500))
      return sendError(reply, ErrorCode.InvalidParams, `the request body is not valid JSON: ${err.message}`);
    req.log.error({ err }, 'unexpected error');
    return sendError(reply, ErrorCode.Internal, 'internal error; the request was not applied. The server log has the details (request id ' + req.id + ')');
  });

  app.setNotFoundHandler((req, reply) => {
    const code = ErrorCode.NotFound;
    reply.code(404).send({ code, data: null, message: `no endpoint ${req.method} ${req.url.split('?')[0]}; the API is under ${config.apiPrefix} (see /openapi/full.json)` });
  });

  // Ahead of the queue (admission.ts): a liveness probe measures the process, not the backlog.
  app.get('/health', { config: { noTurn: true } }, async () => ({ status: 'ok' }));
  // Coze/Dify plugin document (+ the full API at /openapi/full.json) and the MCP endpoint.
  registerOpenApi(app, config, endpoints);
  mountMcp(app, ctx, endpoints);
  mountConsole(app, ctx, auth);

  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'POST' && (await bodyTooLarge(req))) {
      const code = (req.routeOptions.config as { bodyTooLargeCode?: number } | undefined)?.bodyTooLargeCode ?? ErrorCode.InputTooLong;
      return sendError(reply, code, `the request body is larger than this endpoint accepts (${Math.round(req.routeOptions.bodyLimit! / MB)} MB)`);
    }
  });

  // Forms are read only by endpoints that take files; elsewhere a form body fails validation like any non-JSON body.
  void app.register(multipart);
  const uploadLimits = {
    maxFiles: MAX_FILES_PER_UPLOAD,
    maxFileBytes: Math.round(config.kbMaxFileMb * MB),
    maxTotalBytes: Math.round(config.kbMaxUploadMb * MB),
  };

  const route = (scope: FastifyInstance, e: Endpoint) => {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      // A client that asked for a stream reads frames, not an envelope: its failures become an error frame too.
      if (e.stream && wantsStream(req.body)) {
        try {
          return await answer(req, reply);
        } catch (err) {
          return sendSseError(req, reply, err);
        }
      }
      return answer(req, reply);
    };
    const answer = async (req: FastifyRequest, reply: FastifyReply) => {
      const caller = await auth.authenticate(req.headers.authorization);
      // Counted for the console's usage page from here on: an unauthenticated call belongs to no project.
      if (ctx.usage) {
        const usage = ctx.usage;
        reply.raw.once('finish', () => usage.request(caller.projectId, e.path, reply.elapsedTime, reply.statusCode < 400 && !failed.has(reply)));
        return usage.within(caller.projectId, e.path, () => serve(req, reply, caller));
      }
      return serve(req, reply, caller);
    };
    const serve = async (req: FastifyRequest, reply: FastifyReply, caller: Caller) => {
      assertMayCall(e, caller);
      if (e.bodyStream && req.body instanceof UnreadBody) {
        const data = await e.bodyStream(ctx, caller, limitedBody(req.body.stream, req.routeOptions.bodyLimit!, e.bodyTooLargeCode ?? ErrorCode.InputTooLong));
        return reply.send({ code: 0, data, message: 'ok' });
      }
      const input =
        e.method === 'GET'
          ? { ...(req.query as object), ...(req.params as object) }
          : e.multipart && req.isMultipart()
            ? await readMultipartBody(req, uploadLimits)
            : req.body;
      const body = validate(e.schema, input);
      if (e.stream) {
        // Listening from the start: a client may leave while the answer is still being prepared.
        const abort = new AbortController();
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) abort.abort();
        });
        const events = await e.stream(ctx, caller, body, abort.signal);
        if (events) return sendSse(req, reply, events, abort);
      }
      const data = await e.handler(ctx, caller, body);
      if (e.raw) return reply.send(data);
      return reply.send({ code: 0, data, message: 'ok' });
    };
    if (e.method === 'GET') {
      scope.get(config.apiPrefix + e.path, handler);
      return;
    }
    scope.post(
      config.apiPrefix + e.path,
      { bodyLimit: e.bodyLimitMb ? Math.round(e.bodyLimitMb * MB) : undefined, config: { bodyTooLargeCode: e.bodyTooLargeCode } },
      handler,
    );
    // A GET on a POST endpoint is a common client mistake: say so instead of a bare 404.
    scope.get(config.apiPrefix + e.path, async (_req, reply) =>
      reply.code(405).send({ code: ErrorCode.InvalidParams, data: null, message: `${e.path} takes POST with a JSON body` }),
    );
  };
  for (const e of endpoints) if (!e.bodyStream) route(app, e);
  // Routes that read their JSON body themselves: in a scope of their own, where the JSON parser leaves it unread.
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', (_req, payload, done) => done(null, new UnreadBody(payload)));
    for (const e of endpoints) if (e.bodyStream) route(scope, e);
  });
}
