/**
 * The write path: one WriteBatch applied atomically, in its own transaction. Concurrent writers (in this
 * process or another replica) each get a pooled connection; PostgreSQL's own group commit of the WAL does
 * what the SQLite store's in-process grouping does, so nothing about a write waits in one process's memory.
 */
import { LeaseLostError } from '../errors';
import type { WriteBatch } from '../types';
import type { PgDb, Queryable } from './connection';
import { insertKnowledgebaseFile, setFileResult } from './knowledgebases';
import { activateMemory, archiveMemory, insertMemory, rewriteMemory, setMemoryPriority } from './memories';
import { insertMessage } from './messages';
import { finishTask, insertTask } from './tasks';

export async function applyBatch(c: Queryable, batch: WriteBatch) {
  const now = Date.now();
  // A task's completion goes first: when the lease has been lost, nothing else of the batch may be written.
  if (batch.task && !(await finishTask(c, batch.task.id, batch.task.status, batch.task.error, batch.task.leaseOwner, now)) && batch.task.leaseOwner !== undefined)
    throw new LeaseLostError(batch.task.id);
  for (const t of [...(batch.newTask ? [batch.newTask] : []), ...(batch.newTasks ?? [])]) await insertTask(c, t);
  for (const { file, content } of batch.knowledgebaseFiles ?? []) await insertKnowledgebaseFile(c, file, content);
  let memories = batch.memories ?? [];
  // A file deleted while it was being processed takes the batch's memories with it.
  if (batch.fileResult && !(await setFileResult(c, batch.fileResult))) memories = [];
  for (const msg of batch.messages ?? []) await insertMessage(c, msg);
  for (const m of memories) await insertMemory(c, m);
  for (const a of batch.archive ?? []) await archiveMemory(c, a.id, a.supersededBy, now);
  for (const u of batch.updates ?? []) await rewriteMemory(c, u);
  for (const id of batch.activate ?? []) await activateMemory(c, id, now);
  for (const p of batch.priorities ?? []) await setMemoryPriority(c, p.id, p.priority);
}

export function commit(db: PgDb, batch: WriteBatch): Promise<void> {
  return db.tx((c) => applyBatch(c, batch));
}
