/**
 * Every request waits for its turn on the request thread (engine/work-queue.ts) once its body is parsed, except
 * routes configured `noTurn` (`/health`: a liveness probe measures the process, not the backlog). A request that
 * finds the queue full is refused with 40300 and Retry-After, before any work is done for it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode } from '../errors';
import type { WorkQueue } from '../engine/work-queue';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer without waiting for a turn (cheap routes that report on the server itself). */
    noTurn?: boolean;
  }
}

export function admitRequests(app: FastifyInstance, queue: WorkQueue, refuse: (reply: FastifyReply, code: number, message: string) => unknown) {
  app.addHook('preHandler', (req, reply, done) => {
    if ((req.routeOptions.config as { noTurn?: boolean } | undefined)?.noTurn) return done();
    const admitted = queue.admit(() => {
      // A client that gave up while waiting is not served.
      if (req.raw.socket?.destroyed) return;
      done();
    });
    if (!admitted) {
      reply.header('retry-after', '1');
      refuse(reply, ErrorCode.RateLimited, `the server has ${queue.limit} requests waiting; retry in a moment`);
    }
  });
}
