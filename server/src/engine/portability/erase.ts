/**
 * Erase: everything stored about one user of a project (memories of every scope and status with their vectors
 * and full-text entries, raw messages, profile, the user's tasks, and what those tasks copied into knowledge
 * bases), in one transaction, then the store's purge so the text cannot be recovered from its files. The log
 * line carries counts and a digest of the user id, never content.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { portabilityOf } from '../../store/open';
import type { EraseCounts } from '../../store/portability';
import type { Store } from '../../store/types';

export async function eraseUser(
  store: Store,
  log: Pick<FastifyBaseLogger, 'info'>,
  projectId: string,
  userId: string,
): Promise<EraseCounts & { ms: number; deleteMs: number; purgeMs: number }> {
  const started = performance.now();
  const p = portabilityOf(store);
  const counts = await p.eraseUser(projectId, userId);
  const deleted = performance.now();
  await p.purgeDeleted();
  const ended = performance.now();
  const times = { ms: Math.round(ended - started), deleteMs: Math.round(deleted - started), purgeMs: Math.round(ended - deleted) };
  const userDigest = createHash('sha256').update(userId).digest('hex').slice(0, 12);
  log.info({ projectId, userDigest, erased: counts, ...times }, 'user erased');
  return { ...counts, ...times };
}
