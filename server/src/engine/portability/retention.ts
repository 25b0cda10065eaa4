/**
 * MEMOS_MESSAGE_RETENTION_DAYS: raw messages (the /get/message history) older than N days are deleted, at
 * start and then hourly; memories made from them stay.
 */
import type { FastifyBaseLogger } from 'fastify';
import { portabilityOf } from '../../store/open';
import type { Store } from '../../store/types';
import { startPeriodic } from '../periodic';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

export function startRetention(store: Store, days: number, log: FastifyBaseLogger, everyMs = EVERY_MS): { stop(): Promise<void> } {
  return startPeriodic('message retention sweep', everyMs, async () => {
    const n = await portabilityOf(store).deleteMessagesBefore(Date.now() - days * DAY_MS);
    if (n) log.info({ deleted: n, days }, 'message retention: old raw messages deleted');
  }, log);
}
