/**
 * Erase: everything stored about one user of a project (memories of every scope and status with their vectors
 * and full-text entries, raw messages, profile, the user's tasks, and what those tasks copied into knowledge
 * bases), in one transaction, then the store's purge so the text cannot be recovered from its files. The log
 * line carries counts and a digest of the user id, never content.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { portabilityOf, type EraseCounts } from '../../store/portability';
import type { Store } from '../../store/types';

export async function eraseUser(store: Store, log: Pick<FastifyBaseLogger, 'info'>, projectId: string, userId: string): Promise<EraseCounts & { ms: number }> {
  const started = performance.now();
  const p = portabilityOf(store);
  const counts = await p.eraseUser(projectId, userId);
  await p.purgeDeleted();
  const ms = Math.round(performance.now() - started);
  const userDigest = createHash('sha256').update(userId).digest('hex').slice(0, 12);
  log.info({ projectId, userDigest, erased: counts, ms }, 'user erased');
  return { ...counts, ms };
}
