/**
 * Housekeeping that runs at start and then on a timer (message retention, orphaned upload parts). Any number of
 * processes may run the same sweep: each is an idempotent delete. A failed run is logged and retried at the next.
 */
import type { FastifyBaseLogger } from 'fastify';

export function startPeriodic(what: string, everyMs: number, run: () => Promise<void>, log: FastifyBaseLogger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = run().catch((err: unknown) => log.warn({ err }, `${what} failed; retrying at the next run`));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
