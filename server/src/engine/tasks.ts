/**
 * Durable background tasks. A task row is written in the same transaction as the data it refines, so a task
 * exists exactly when its input does. The runner works through `running` tasks; each handler returns a
 * WriteBatch that is committed together with the task's completion, so a crash at any point either leaves the
 * task `running` (and it is redone at the next start) or finished with all of its output.
 */
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError, ErrorCode } from '../errors';
import type { Store, TaskRecord, TaskStatus, WriteBatch } from '../store/types';
import { newTaskId } from './ids';

export type TaskHandler = (task: TaskRecord) => Promise<WriteBatch>;

/** A new `running` task row, to be committed together with the data it will process. */
export function newTask(projectId: string, kind: string, payload: object, id = newTaskId(), now = Date.now()): TaskRecord {
  return { id, projectId, kind, payload: payload as Record<string, unknown>, status: 'running', error: null, attempts: 0, createTime: now, updateTime: now };
}

const MAX_ATTEMPTS = 3;

export class TaskRunner {
  private readonly handlers = new Map<string, TaskHandler>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly events = new EventEmitter();
  private active = 0;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private readonly concurrency: number,
    /** Delay before a newly queued task starts (lets bursts of writes settle). */
    private readonly startDelayMs = 0,
    /** Tasks that may be waiting or running at once; see admit(). */
    private readonly maxBacklog = Number.POSITIVE_INFINITY,
  ) {
    this.events.setMaxListeners(0);
  }

  register(kind: string, handler: TaskHandler) {
    this.handlers.set(kind, handler);
  }

  /**
   * Back-pressure: a write that would queue one more task is refused (40300, rate limited) while the backlog is
   * full, before anything is stored, so the client retries later instead of the server queueing without bound.
   */
  admit() {
    if (this.queued.size >= this.maxBacklog)
      throw new ApiError(
        ErrorCode.RateLimited,
        `the server is busy: ${this.queued.size} background tasks are waiting (at most ${this.maxBacklog}); nothing was written, retry in a few seconds`,
      );
  }

  /** Tasks waiting or running. */
  get backlog(): number {
    return this.queued.size;
  }

  /** Picks up tasks a previous process left unfinished. */
  async resume(): Promise<number> {
    const pending = await this.store.pendingTasks(100_000);
    for (const t of pending) this.enqueue(t.id, 0);
    if (pending.length) this.log.info({ tasks: pending.length }, 'resuming unfinished tasks');
    return pending.length;
  }

  enqueue(id: string, delayMs = this.startDelayMs) {
    if (this.stopped || this.queued.has(id)) return;
    this.queued.add(id);
    const push = () => {
      if (this.stopped) return;
      this.queue.push(id);
      this.pump();
    };
    if (delayMs > 0) setTimeout(push, delayMs).unref();
    else push();
  }

  /** Resolves when the task finishes (or at once if it already has). */
  async waitFor(id: string, timeoutMs = 120_000): Promise<{ status: TaskStatus; error: string | null }> {
    const current = await this.store.getTask(id);
    if (current && current.status !== 'running') return { status: current.status, error: current.error };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.events.off(id, done);
        resolve({ status: 'running', error: null });
      }, timeoutMs);
      const done = (r: { status: TaskStatus; error: string | null }) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.events.once(id, done);
    });
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async stop() {
    this.stopped = true;
    this.queue.length = 0;
    if (this.active > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private pump() {
    while (this.active < this.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      this.active++;
      void this.run(id)
        .catch((err) => {
          this.log.error({ task: id, err }, 'task runner error');
          return false;
        })
        .then((requeued) => {
        this.active--;
        if (!requeued) this.queued.delete(id);
        if (this.active === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((r) => r());
        this.pump();
      });
    }
  }

  /** Runs one task; true when it was queued again for a retry. */
  private async run(id: string): Promise<boolean> {
    const task = await this.store.getTask(id);
    if (!task || task.status !== 'running') return false;
    const handler = this.handlers.get(task.kind);
    if (!handler) {
      await this.finish(id, 'failed', `no handler for task kind ${task.kind}`);
      return false;
    }
    await this.store.markTaskAttempt(id);
    try {
      const batch = await handler(task);
      await this.store.commit({ ...batch, task: { id, status: 'completed' } });
      this.events.emit(id, { status: 'completed', error: null });
      return false;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (task.attempts + 1 < MAX_ATTEMPTS && !this.stopped) {
        this.log.warn({ task: id, err: message }, 'task failed, retrying');
        const delay = 500 * (task.attempts + 1);
        setTimeout(() => {
          if (this.stopped) return;
          this.queue.push(id);
          this.pump();
        }, delay).unref();
        return true;
      }
      this.log.error({ task: id, err: message }, 'task failed');
      await this.finish(id, 'failed', message).catch(() => undefined);
      return false;
    }
  }

  private async finish(id: string, status: TaskStatus, error: string | null) {
    await this.store.finishTask(id, status, error);
    this.events.emit(id, { status, error });
  }
}
