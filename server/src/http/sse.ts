/**
 * Server-sent events for streaming endpoints (/chat, contract §3.10 [IMPL]): every event is one
 * `data: {json}\n\n` frame. An error while streaming cannot change the status line any more, so it becomes
 * a final `{"type":"error","code","message"}` frame. `abort` fires when the client goes away (app.ts);
 * the loop then stops pulling events.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ErrorCode } from '../errors';

export type SseEvent = { type: string; [field: string]: unknown };

export async function sendSse(req: FastifyRequest, reply: FastifyReply, events: AsyncIterable<SseEvent>, abort: AbortController): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold the frames back until the answer is complete.
    'x-accel-buffering': 'no',
  });
  const write = (event: SseEvent) => {
    if (!res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  try {
    for await (const event of events) {
      if (abort.signal.aborted) break;
      write(event);
    }
  } catch (err) {
    if (err instanceof ApiError) write({ type: 'error', code: err.code, message: err.message });
    else {
      req.log.error({ err }, 'stream failed');
      write({ type: 'error', code: ErrorCode.Internal, message: `internal error while streaming (request id ${req.id})` });
    }
  }
  if (!res.destroyed) res.end();
}

/** True when a request body asks for a streamed answer (`stream: true`, or "true" from a form-like client). */
export const wantsStream = (body: unknown) =>
  !!body && typeof body === 'object' && ((body as { stream?: unknown }).stream === true || (body as { stream?: unknown }).stream === 'true');

/**
 * A stream that fails before its first event: one error frame, so an SSE client reads the failure (an
 * unexpected error is logged and reads as 50000, as it does mid-stream).
 */
export function sendSseError(req: FastifyRequest, reply: FastifyReply, err: unknown): Promise<void> {
  const failing: AsyncIterable<SseEvent> = {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(err) }),
  };
  return sendSse(req, reply, failing, new AbortController());
}
