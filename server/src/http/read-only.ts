/**
 * Read-only API keys (`memos-lite keys create --read-only`): they may call the endpoints listed here and
 * nothing else. The list names the reads; every other endpoint, including any added later, refuses such a key,
 * so forgetting to classify a new endpoint can never let a read-only key write. The guard wraps the endpoint's
 * own handler, so it holds for the REST route, the plugin operations and the MCP tools alike.
 */
import { ApiError, ErrorCode } from '../errors';
import type { Caller } from '../engine/context';
import type { Endpoint } from './endpoint';

export const READ_ONLY_PATHS = new Set([
  '/search/memory',
  '/get/memory',
  '/get/memory/:memory_id',
  '/get/message',
  '/get/status',
  '/extract/memory',
  '/rerank',
  '/get/knowledgebase-file',
  '/ping',
  '/plugin/search_memory',
]);

export function assertMayWrite(caller: Caller, what: string) {
  if (caller.readOnly) throw new ApiError(ErrorCode.KeyCannotAccessProject, `this API key is read-only; ${what} needs a key that may write`);
}

/** Refuses a read-only caller unless the endpoint only reads. */
export function assertMayCall(e: Pick<Endpoint, 'path'>, caller: Caller) {
  if (!READ_ONLY_PATHS.has(e.path)) assertMayWrite(caller, e.path);
}

/**
 * The endpoint, refusing read-only keys unless it only reads, whoever runs its handler (the REST route also
 * checks before reading the body, so a read-only key gets this answer rather than a complaint about the body).
 */
export function guardWrites(e: Endpoint): Endpoint {
  if (READ_ONLY_PATHS.has(e.path)) return e;
  const { handler, stream, bodyStream } = e;
  return {
    ...e,
    handler: (ctx, caller, body) => {
      assertMayCall(e, caller);
      return handler(ctx, caller, body);
    },
    ...(stream
      ? {
          stream: (ctx, caller, body, signal) => {
            assertMayCall(e, caller);
            return stream(ctx, caller, body, signal);
          },
        }
      : {}),
    ...(bodyStream
      ? {
          bodyStream: (ctx, caller, body) => {
            assertMayCall(e, caller);
            return bodyStream(ctx, caller, body);
          },
        }
      : {}),
  };
}
