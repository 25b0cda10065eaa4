/**
 * MEMOS_MESSAGE_RETENTION_DAYS: raw messages (the /get/message history) older than N days are deleted, at
 * start and then hourly; memories made from them stay. Any number of processes may run it (the delete is
 * idempotent).
 */
import type { FastifyBaseLogger } from 'fastify';
import { portabilityOf } from '../../store/open';
import type { Store } from '../../store/types';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

export function startRetention(store: Store, days: number, log: FastifyBaseLogger, everyMs = EVERY_MS): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const sweep = () => {
    if (stopped) return;
    running = (async () => {
      try {
        const n = await portabilityOf(store).deleteMessagesBefore(Date.now() - days * DAY_MS);
        if (n) log.info({ deleted: n, days }, 'message retention: old raw messages deleted');
      } catch (err) {
        log.warn({ err }, 'message retention sweep failed; retrying at the next one');
      }
    })();
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
