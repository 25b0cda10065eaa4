/** The write path: one WriteBatch applied atomically, and the group commit that batches concurrent writers. */
import { LeaseLostError } from '../errors';
import type { WriteBatch } from '../types';
import type { SqliteDb } from './connection';
import { insertKnowledgebaseFile, setFileResult } from './knowledgebases';
import { activateMemory, archiveMemory, insertMemory, rewriteMemory, setMemoryPriority } from './memories';
import { insertMessage } from './messages';
import { finishTask, insertTask } from './tasks';

/** Applies one batch in a transaction (a savepoint inside a group). */
export function applyBatch(db: SqliteDb, batch: WriteBatch) {
  db.tx(() => {
    // A task's completion goes first: when the lease has been lost, nothing else of the batch may be written.
    if (batch.task && !finishTask(db, batch.task.id, batch.task.status, batch.task.error, batch.task.leaseOwner) && batch.task.leaseOwner !== undefined)
      throw new LeaseLostError(batch.task.id);
    for (const t of [...(batch.newTask ? [batch.newTask] : []), ...(batch.newTasks ?? [])]) insertTask(db, t);
    for (const { file, content } of batch.knowledgebaseFiles ?? []) insertKnowledgebaseFile(db, file, content);
    let memories = batch.memories ?? [];
    // A file deleted while it was being processed takes the batch's memories with it.
    if (batch.fileResult && !setFileResult(db, batch.fileResult)) memories = [];
    for (const msg of batch.messages ?? []) insertMessage(db, msg);
    for (const m of memories) insertMemory(db, m);
    const now = Date.now();
    for (const a of batch.archive ?? []) archiveMemory(db, a.id, a.supersededBy, now);
    for (const u of batch.updates ?? []) rewriteMemory(db, u);
    for (const id of batch.activate ?? []) activateMemory(db, id, now);
    for (const p of batch.priorities ?? []) setMemoryPriority(db, p.id, p.priority);
  });
}

/**
 * Group commit: batches that arrive while the event loop is busy (concurrent /add/message calls) are written in
 * one transaction, each inside its own savepoint so one failing batch fails alone. A caller's promise settles
 * once its batch is committed, exactly as with a transaction of its own, but the commit (and the full-text
 * index segment it writes) is paid once per group instead of once per call.
 */
export class GroupCommit {
  private pending: Array<{ batch: WriteBatch; resolve: () => void; reject: (err: unknown) => void }> = [];

  constructor(private readonly db: SqliteDb) {}

  commit(batch: WriteBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush() {
    const group = this.pending.splice(0);
    let outcomes: unknown[];
    try {
      outcomes = this.db.tx(() =>
        group.map((g) => {
          try {
            applyBatch(this.db, g.batch);
            return undefined;
          } catch (err) {
            return err ?? new Error('commit failed');
          }
        }),
      );
    } catch (err) {
      outcomes = group.map(() => err);
    }
    group.forEach((g, i) => (outcomes[i] === undefined ? g.resolve() : g.reject(outcomes[i])));
  }
}
