/**
 * The worker side of the job protocol: runs the jobs of cpu-jobs.ts for whoever sends them (a worker's parent,
 * or the request thread itself when no compiled worker exists) and posts back what they hand over.
 *
 * A job may read input while it runs (the chunks of a request body, the stored parts of a document) and hands
 * back items one at a time: it waits while the requesting side holds WINDOW items it has not taken, so a
 * document's batches or an upload's decoded parts never pile up in the server's memory faster than it stores
 * them. A cancelled job's waits fail, so it stops at its next hand-over.
 */
import type { TransferListItem } from 'node:worker_threads';
import { CPU_JOBS, serializeError, type JobIO } from './cpu-jobs';
import { Mailbox } from './mailbox';

/** Items a job may hand over before the requesting side has taken any. */
export const WINDOW = 2;

export type ToJob =
  | { id: number; type: 'start'; kind: string; payload: unknown }
  | { id: number; type: 'input'; item: unknown }
  | { id: number; type: 'input-end' }
  | { id: number; type: 'pull' }
  | { id: number; type: 'cancel' };

export type FromJob =
  | { id: number; type: 'item'; item: unknown }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; code?: number; message: string };

export type Post = (msg: FromJob, transfer?: TransferListItem[]) => void;

class JobCancelled extends Error {
  constructor() {
    super('the job was cancelled');
  }
}

/** One running job's side of the conversation. */
class RunningJob implements JobIO {
  readonly input = new Mailbox<unknown>();
  private credits = WINDOW;
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private cancelled = false;

  constructor(
    private readonly id: number,
    private readonly post: Post,
  ) {}

  async emit(item: unknown, transfer?: TransferListItem[]): Promise<void> {
    while (this.credits === 0 && !this.cancelled) await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (this.cancelled) throw new JobCancelled();
    this.credits--;
    this.post({ id: this.id, type: 'item', item }, transfer);
  }

  pull() {
    this.credits++;
    this.waiting.shift()?.resolve();
  }

  cancel() {
    this.cancelled = true;
    for (const w of this.waiting.splice(0)) w.reject(new JobCancelled());
    this.input.fail(new JobCancelled());
  }
}

/** Dispatches the messages of every job sent to one worker. */
export class JobHost {
  private readonly jobs = new Map<number, RunningJob>();

  constructor(private readonly post: Post) {}

  receive(msg: ToJob) {
    if (msg.type === 'start') return void this.start(msg);
    const job = this.jobs.get(msg.id);
    if (!job) return;
    if (msg.type === 'input') job.input.push(msg.item);
    else if (msg.type === 'input-end') job.input.end();
    else if (msg.type === 'pull') job.pull();
    else job.cancel();
  }

  private async start(msg: Extract<ToJob, { type: 'start' }>) {
    const job = new RunningJob(msg.id, this.post);
    this.jobs.set(msg.id, job);
    try {
      const run = Object.hasOwn(CPU_JOBS, msg.kind) ? CPU_JOBS[msg.kind] : undefined;
      if (!run) throw new Error(`unknown job ${msg.kind}`);
      const result = await run(msg.payload, job);
      this.post({ id: msg.id, type: 'done', result });
    } catch (err) {
      if (!(err instanceof JobCancelled)) this.post({ id: msg.id, type: 'error', ...serializeError(err) });
    } finally {
      this.jobs.delete(msg.id);
    }
  }
}
