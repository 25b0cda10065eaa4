/**
 * Durable background tasks. A task row is written in the same transaction as the data it refines, so a task
 * exists exactly when its input does. Each handler returns a WriteBatch that is committed together with the
 * task's completion, so a crash at any point either leaves the task `running` (and it is redone) or finished
 * with all of its output.
 *
 * Any number of processes may share the task table (replicas on one PostgreSQL database). A runner works only
 * on tasks it has claimed: a claim is a lease in the task row that the runner renews while it works. When a
 * process dies its leases run out and another runner claims the task; the completion is written only while the
 * lease is still held (store: WriteBatch.task.leaseOwner), so a task's output is written exactly once.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError, ErrorCode, type ErrorCodeValue } from '../errors';
import { LeaseLostError } from '../store/errors';
import type { Store, TaskRecord, TaskStatus, WriteBatch } from '../store/types';
import { newTaskId } from './ids';
import type { WorkQueue } from './work-queue';

export type TaskHandler = (task: TaskRecord) => Promise<WriteBatch>;

/** A new `running` task row, to be committed together with the data it will process. */
export function newTask(projectId: string, kind: string, payload: object, id = newTaskId(), now = Date.now()): TaskRecord {
  return { id, projectId, kind, payload: payload as Record<string, unknown>, status: 'running', error: null, attempts: 0, createTime: now, updateTime: now };
}

/** A refusal an endpoint raises: its contract code and the message its caller reads. */
export interface Failure {
  code: ErrorCodeValue;
  message: string;
}

/** Work an endpoint hands to the background: task rows and the data they will process, committed as one. */
export interface TaskSubmission {
  /** The data the tasks will process, without the task rows. */
  batch?: WriteBatch;
  tasks: TaskRecord[];
  /** Raised when the commit fails (then nothing was written); `log` is the server's log line, with the cause. */
  saveFailed: Failure & { log: string };
  /**
   * Given, the call waits for its task (the one task of the submission) and raises this when the task fails,
   * the task's error after the message. Absent, the call returns as soon as the tasks are queued.
   */
  waitOrFail?: Failure;
  /** What has to follow the commit and come before the tasks are queued (and waited for). */
  afterCommit?: () => Promise<void>;
}

/**
 * The one way an endpoint queues work: admitted against the backlog (40300 before anything is written),
 * committed with its data in one transaction, queued, then returned at once (`running`) or waited for.
 */
export async function submitTasks(
  ctx: { store: Store; tasks: TaskRunner; log: FastifyBaseLogger },
  s: TaskSubmission,
): Promise<{ status: TaskStatus }> {
  ctx.tasks.admit();
  try {
    await ctx.store.commit({ ...s.batch, newTasks: s.tasks });
  } catch (err) {
    ctx.log.error({ err }, s.saveFailed.log);
    throw new ApiError(s.saveFailed.code, s.saveFailed.message);
  }
  await s.afterCommit?.();
  for (const t of s.tasks) ctx.tasks.enqueue(t.id);
  if (!s.waitOrFail) return { status: 'running' };
  const done = await ctx.tasks.waitFor(s.tasks[0].id);
  if (done.status === 'failed') throw new ApiError(s.waitOrFail.code, `${s.waitOrFail.message}: ${done.error ?? 'unknown error'}`);
  return { status: done.status };
}

const MAX_ATTEMPTS = 3;

export interface LeaseOptions {
  /** How long a claim lasts unless renewed; a dead process's tasks are taken over this long after it died. */
  leaseMs: number;
  /** How often the table is checked for tasks no one holds (written by other processes, or left by dead ones). */
  pollMs: number;
}

export const DEFAULT_LEASES: LeaseOptions = { leaseMs: 30_000, pollMs: 1_000 };

export class TaskRunner {
  /** This process's name in the lease column. */
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, TaskHandler>();
  /** Tasks this runner holds a lease on (running, waiting to be retried, or claimed ahead in `ready`). */
  private readonly held = new Map<string, TaskRecord>();
  /**
   * Claimed ahead, oldest first, not started yet. Every claim is a write (the lease), and one claim per task cost
   * 7% of the server's time while a burst of writes was refined, so a deep backlog is claimed a few tasks at a time.
   * Only where no other process could take them meanwhile (store.shared false: the embedded SQLite file); replicas
   * claim what they start, or one could sit on long document tasks another replica is free to run.
   */
  private readonly ready: TaskRecord[] = [];
  private readonly claimAhead: number;
  private readonly events = new EventEmitter();
  private stopped = false;
  private claiming: Promise<void> | undefined;
  private claimAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private readonly concurrency: number,
    /** Delay before a newly queued task starts (lets bursts of writes settle). */
    private readonly startDelayMs = 0,
    /** Tasks that may be waiting or running at once; see admit(). */
    private readonly maxBacklog = Number.POSITIVE_INFINITY,
    private readonly leases: LeaseOptions = DEFAULT_LEASES,
    /** Turns on the request thread: a task starts behind the requests that came before it (work-queue.ts). */
    private readonly queue?: WorkQueue,
  ) {
    this.events.setMaxListeners(0);
    this.claimAhead = store.shared ? 0 : 2 * concurrency;
  }

  register(kind: string, handler: TaskHandler) {
    this.handlers.set(kind, handler);
  }

  /**
   * Back-pressure: a write that would queue one more task is refused (40300, rate limited) while the backlog is
   * full, before anything is stored, so the client retries later instead of the server queueing without bound.
   * The backlog is the store's (every process's tasks), as read at the last poll, plus what this process has
   * queued since, minus what it has finished since. It is read at the poll only: counting the running tasks costs a
   * scan of them, which at every claim took 5% of the server's time while a burst of writes was being refined.
   */
  admit() {
    if (this.backlog >= this.maxBacklog)
      throw new ApiError(
        ErrorCode.RateLimited,
        `the server is busy: ${this.backlog} background tasks are waiting (at most ${this.maxBacklog}); nothing was written, retry in a few seconds`,
      );
  }

  /** Tasks waiting or running (every process's, as last read). */
  get backlog(): number {
    return Math.max(0, this.runningSeen + this.queuedSince - this.finishedSince);
  }

  private runningSeen = 0;
  private queuedSince = 0;
  private finishedSince = 0;

  /** Starts working: picks up tasks left unfinished, then keeps watching for tasks no one holds. */
  async resume(): Promise<number> {
    const before = this.held.size;
    await this.readBacklog();
    await this.claim();
    const picked = this.held.size - before;
    if (picked) this.log.info({ tasks: picked }, 'resuming unfinished tasks');
    this.pollTimer = setInterval(() => void this.readBacklog().then(() => this.claim()), this.leases.pollMs);
    this.pollTimer.unref();
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leases.leaseMs / 3)));
    this.renewTimer.unref();
    return picked;
  }

  /** A task this process has just written: claimed now (or after the start delay) rather than at the next poll. */
  enqueue(_id: string, delayMs = this.startDelayMs) {
    if (this.stopped) return;
    this.queuedSince++;
    if (delayMs > 0) setTimeout(() => void this.claim(), delayMs).unref();
    else void this.claim();
  }

  /** Resolves when the task finishes (or at once if it already has), whichever process runs it. */
  async waitFor(id: string, timeoutMs = 120_000): Promise<{ status: TaskStatus; error: string | null }> {
    const current = await this.store.getTask(id);
    if (current && current.status !== 'running') return { status: current.status, error: current.error };
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: { status: TaskStatus; error: string | null }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.events.off(id, finish);
        resolve(r);
      };
      const timer = setTimeout(() => finish({ status: 'running', error: null }), timeoutMs);
      // Another process may run it: its completion is only seen in the store.
      const poll = setInterval(() => {
        if (this.held.has(id)) return;
        void this.store.getTask(id).then(
          (t) => t && t.status !== 'running' && finish({ status: t.status, error: t.error }),
          () => undefined,
        );
      }, 200);
      this.events.on(id, finish);
    });
  }

  /** Resolves when this runner holds no task (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.held.size === 0 && !this.claiming) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops claiming, lets running tasks finish, and gives up what it still holds so other processes need not wait. */
  async stop() {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.renewTimer);
    await this.claiming;
    // Tasks claimed ahead are given back with the leases below.
    for (const t of this.ready.splice(0)) this.held.delete(t.id);
    if (this.held.size > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    await this.store.releaseLeases(this.owner).catch(() => undefined);
  }

  /**
   * Fills the free slots: from the tasks claimed ahead, else by claiming (and claiming ahead where that is safe).
   * One claim at a time; a call meanwhile asks for another round.
   */
  private claim(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.claiming) {
      this.claimAgain = true;
      return this.claiming;
    }
    this.claiming = (async () => {
      do {
        this.claimAgain = false;
        const free = this.concurrency - (this.held.size - this.ready.length);
        if (free <= 0 || this.stopped) break;
        if (this.ready.length > 0) {
          for (const t of this.ready.splice(0, free)) this.start(t);
          this.claimAgain = true;
          continue;
        }
        const wanted = free + this.claimAhead;
        let claimed: TaskRecord[] = [];
        try {
          claimed = await this.store.claimTasks(this.owner, this.leases.leaseMs, wanted, Date.now() - this.startDelayMs);
        } catch (err) {
          this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not claim tasks');
          break;
        }
        if (this.stopped) {
          // Claimed while stopping: given back with the leases in stop().
          break;
        }
        for (const t of claimed.slice(0, free)) this.start(t);
        for (const t of claimed.slice(free)) {
          this.held.set(t.id, t);
          this.ready.push(t);
        }
        if (claimed.length === wanted) this.claimAgain = true;
      } while (this.claimAgain && !this.stopped);
    })().finally(() => {
      this.claiming = undefined;
      // A call that came after the loop's last look (a task finishing in the same turn) asked for another round.
      if (this.claimAgain && !this.stopped) void this.claim();
      else this.settle();
    });
    return this.claiming;
  }

  private async readBacklog() {
    if (!Number.isFinite(this.maxBacklog)) return;
    try {
      const queued = this.queuedSince;
      const finished = this.finishedSince;
      this.runningSeen = await this.store.runningTaskCount();
      this.queuedSince -= queued;
      this.finishedSince -= finished;
    } catch {
      /* keep the last figure */
    }
  }

  private start(task: TaskRecord) {
    this.held.set(task.id, task);
    void this.run(task)
      .catch((err) => {
        this.log.error({ task: task.id, err }, 'task runner error');
        return false;
      })
      .then((retrying) => !retrying && this.release(task.id));
  }

  /** A task this runner is done with (finished, failed, or lost to another worker): its slot goes to the next. */
  private release(id: string) {
    this.held.delete(id);
    this.finishedSince++;
    this.settle();
    void this.claim();
  }

  private settle() {
    if (this.held.size === 0 && !this.claiming) this.idleWaiters.splice(0).forEach((r) => r());
  }

  /** Keeps the leases of held tasks; a task whose lease was lost (this process stalled past it) is let go. */
  private async renew() {
    const ids = [...this.held.keys()];
    if (ids.length === 0) return;
    try {
      const kept = new Set(await this.store.renewLeases(this.owner, ids, this.leases.leaseMs));
      for (const id of ids) if (!kept.has(id)) this.log.warn({ task: id }, 'task lease lost; another worker may take it over');
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not renew task leases');
    }
  }

  /** Runs one claimed task; true when it stays held for a retry. */
  private async run(task: TaskRecord): Promise<boolean> {
    const { id } = task;
    if (task.status !== 'running') return false;
    const handler = this.handlers.get(task.kind);
    if (!handler) {
      await this.finish(id, 'failed', `no handler for task kind ${task.kind}`);
      return false;
    }
    await this.queue?.turn();
    await this.store.markTaskAttempt(id);
    try {
      const batch = await handler(task);
      await this.store.commit({ ...batch, task: { id, status: 'completed', leaseOwner: this.owner } });
      this.events.emit(id, { status: 'completed', error: null });
      return false;
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.log.warn({ task: id }, 'task was taken over by another worker; this result is dropped');
        return false;
      }
      const message = err instanceof Error ? err.message : String(err);
      if (task.attempts + 1 < MAX_ATTEMPTS && !this.stopped) {
        this.log.warn({ task: id, err: message }, 'task failed, retrying');
        const delay = 500 * (task.attempts + 1);
        setTimeout(() => {
          const again = { ...task, attempts: task.attempts + 1 };
          void this.run(again)
            .catch(() => false)
            .then((retrying) => !retrying && this.release(id));
        }, delay).unref();
        return true;
      }
      this.log.error({ task: id, err: message }, 'task failed');
      await this.finish(id, 'failed', message).catch(() => undefined);
      return false;
    }
  }

  private async finish(id: string, status: TaskStatus, error: string | null) {
    if (await this.store.finishTask(id, status, error, this.owner)) this.events.emit(id, { status, error });
  }
}
