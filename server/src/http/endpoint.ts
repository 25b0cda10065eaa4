/**
 * An endpoint is declared once: path, schema, handler, summary. The same declarations register the Fastify
 * routes and generate the OpenAPI document, so they cannot disagree.
 */
import type { z } from 'zod';
import { validate } from '../api/validate';
import type { Caller, EngineContext } from '../engine/context';
import type { SseEvent } from './sse';

export interface Endpoint<S extends z.ZodType = z.ZodType> {
  /** Path under the API prefix, e.g. "/search/memory"; a GET path may hold parameters ("/get/memory/:memory_id"). */
  path: string;
  /**
   * POST with a JSON body (the default), or GET: the schema then validates the path parameters and the query
   * string, and the published operation lists them as parameters.
   */
  method?: 'GET' | 'POST';
  /** Also takes multipart/form-data (its files become the body's `file[]`, see multipart.ts). */
  multipart?: boolean;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  schema: S;
  handler: (ctx: EngineContext, caller: Caller, body: z.output<S>) => Promise<unknown> | unknown;
  /** Reply without the {code, data, message} envelope (only /rerank, contract §1.3). */
  raw?: boolean;
  /**
   * Takes a JSON body unread: the raw bytes go to this instead of `handler`, which reads and validates them off
   * the request thread (a 27 MB upload body is 50 ms of JSON.parse). Forms and calls made through runnerFor still
   * go to `handler`.
   */
  bodyStream?: (ctx: EngineContext, caller: Caller, body: AsyncIterable<Buffer>) => Promise<unknown>;
  /** Larger body limit than the default, in MB. */
  bodyLimitMb?: number;
  /** Error code for a body over `bodyLimitMb` (default 40305, input too long). */
  bodyTooLargeCode?: number;
  /**
   * Server-sent events instead of the envelope (see sse.ts). When it returns events, the reply streams them;
   * when it returns undefined, `handler` answers as usual. Errors thrown before it returns still leave as the
   * error envelope; errors while streaming become an error frame. `signal` aborts when the client goes away.
   */
  stream?: (ctx: EngineContext, caller: Caller, body: z.output<S>, signal: AbortSignal) => Promise<AsyncIterable<SseEvent> | undefined>;
  /**
   * Shape of the reply's `data`, published in the OpenAPI document. Plugin operations declare it because Coze
   * and Dify show an operation's outputs only when they are typed; others publish a generic object.
   */
  response?: z.ZodType;
}

export const endpoint = <S extends z.ZodType>(e: Endpoint<S>): Endpoint => e as unknown as Endpoint;

/** Tag of the plugin operations (Coze, Dify, MCP): the OpenAPI plugin document and the MCP tools select by it. */
export const PLUGIN_TAG = 'plugin';

/** Drops undefined values so the target schema sees absent fields, not explicit undefineds. */
export const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Runs the endpoint declared for `path` with a full request body, exactly as its route would. */
export type Runner = (ctx: EngineContext, caller: Caller, body: Record<string, unknown>) => Promise<unknown>;
export function runnerFor(targets: Endpoint[], path: string): Runner | undefined {
  const target = targets.find((t) => t.path === path);
  if (!target) return undefined;
  return async (ctx, caller, body) => target.handler(ctx, caller, validate(target.schema, compact(body)));
}
