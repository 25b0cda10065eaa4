/**
 * CPU-heavy work off the request thread: a worker (cpu-worker.ts) runs the jobs of cpu-jobs.ts one at a time, and
 * the request thread only waits for what it hands back. Parsing a 20 MB document or running the extraction rules
 * over a maximal message takes seconds; on the request thread that stalled /health for as long.
 *
 * A worker is a thread or a child process. Documents and uploads run in a process: a thread's heap lives in the
 * server's own address space, and after a 20 MB document the allocator kept most of it (RSS 161 → 523 MB, 10 s
 * after the thread had ended), while a process hands all of it back when it exits. Extraction, many small jobs,
 * stays on a thread, which starts faster and copies less.
 *
 * A job is a conversation (job-host.ts): the request thread may send it input while it runs and takes its items
 * one at a time, the worker waiting while a few of them are untaken. Large things cross in parts of about a
 * megabyte, so neither side ever copies a 20 MB buffer in one piece on the request thread.
 *
 * The worker is started on first use and ends after a few idle seconds. Jobs queue up behind each other (the
 * task backlog that feeds them is bounded, see tasks.ts). Where the compiled worker is missing (tests running
 * the TypeScript sources), the same JobHost runs in-process behind the same messages.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { ApiError, type ErrorCodeValue } from '../errors';
import { JobHost, type FromJob, type ToJob } from './job-host';
import { Mailbox } from './mailbox';

const WORKER_FILE = path.join(__dirname, 'cpu-worker.js');
const IDLE_MS = 5_000;

const rebuild = (r: { code?: number; message: string }) => (r.code ? new ApiError(r.code as ErrorCodeValue, r.message) : new Error(r.message));

/** What the runner needs of a worker, whichever kind it is: its events ('message', 'exit', 'error'), a way in, an end. */
interface Channel {
  events: EventEmitter;
  post(msg: ToJob, transfer?: TransferListItem[]): void;
  end(): void;
}

function threadChannel(name: string): Channel {
  const w = new Worker(WORKER_FILE, { name });
  // A worker must never keep the process alive on its own.
  w.unref();
  return { events: w, post: (msg, transfer) => w.postMessage(msg, transfer), end: () => void w.terminate() };
}

function processChannel(name: string): Channel {
  // 'advanced' serialization carries Uint8Arrays and nested objects as the thread's structured clone does.
  const p = fork(WORKER_FILE, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [], env: { ...process.env, MEMOS_WORKER_NAME: name } });
  p.unref();
  p.channel?.unref();
  return { events: p, post: (msg) => p.send(msg), end: () => p.kill() };
}

/** The same conversation without a worker: replies are delivered on a later tick, as a worker's would be. */
function inProcessChannel(): Channel {
  const events = new EventEmitter();
  const host = new JobHost((msg) => setImmediate(() => events.emit('message', msg)));
  return { events, post: (msg) => queueMicrotask(() => host.receive(msg)), end: () => events.emit('exit', 0) };
}

/** A job being run: its input, its items and result, and an end that must be called (close) whatever happens. */
export interface Job<T, R> {
  send(item: unknown, transfer?: TransferListItem[]): void;
  /** No more input. */
  end(): void;
  /** The job's items in order; returns its result. */
  items(): AsyncGenerator<T, R>;
  /** Cancels the job if it is still running and frees the worker for the next one. */
  close(): void;
}

export class JobWorker {
  private worker?: Channel;
  private idleTimer?: NodeJS.Timeout;
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly kind: 'thread' | 'process' = 'thread',
  ) {}

  /** Starts a job once the jobs before it are done. */
  async open<T, R = unknown>(kind: string, payload: unknown, transfer: TransferListItem[] = []): Promise<Job<T, R>> {
    let release!: () => void;
    const previous = this.chain;
    this.chain = new Promise<void>((r) => (release = r));
    await previous;
    const worker = this.start();
    const id = this.nextId++;
    const name = this.name;
    const replies = new Mailbox<FromJob>();
    let finished = false;
    let closed = false;
    const onMessage = (r: FromJob) => {
      if (r.id === id) replies.push(r);
    };
    const onExit = (why: unknown) => replies.fail(new Error(`the ${this.name} worker stopped (${why instanceof Error ? why.message : `exit code ${String(why)}`})`));
    worker.events.on('message', onMessage);
    worker.events.once('exit', onExit);
    worker.events.once('error', onExit);
    const close = () => {
      if (closed) return;
      closed = true;
      if (!finished) worker.post({ id, type: 'cancel' });
      worker.events.off('message', onMessage);
      worker.events.off('exit', onExit);
      worker.events.off('error', onExit);
      release();
      this.scheduleIdle();
    };
    try {
      worker.post({ id, type: 'start', kind, payload }, transfer);
    } catch (err) {
      close();
      throw err;
    }
    return {
      send: (item, t) => worker.post({ id, type: 'input', item }, t),
      end: () => worker.post({ id, type: 'input-end' }),
      close,
      async *items() {
        try {
          for await (const r of replies) {
            if (r.type === 'done') {
              finished = true;
              return r.result as R;
            }
            if (r.type === 'error') {
              finished = true;
              throw rebuild(r);
            }
            yield r.item as T;
            // Taken: the job may hand over one more.
            worker.post({ id, type: 'pull' });
          }
          throw new Error(`the ${name} worker ended the job without a result`);
        } finally {
          close();
        }
      },
    };
  }

  /** Runs a job that needs no input and yields the items it hands back, in order; returns its result. */
  async *stream<T, R = unknown>(kind: string, payload: unknown, transfer: TransferListItem[] = []): AsyncGenerator<T, R> {
    const job = await this.open<T, R>(kind, payload, transfer);
    try {
      return (yield* job.items()) as R;
    } finally {
      job.close();
    }
  }

  /** Runs a job that hands back only its result. */
  async call<R>(kind: string, payload: unknown): Promise<R> {
    const it = this.stream<never, R>(kind, payload);
    for (;;) {
      const next = await it.next();
      if (next.done) return next.value;
    }
  }

  private start(): Channel {
    clearTimeout(this.idleTimer);
    if (!this.worker) {
      const w = !fs.existsSync(WORKER_FILE) ? inProcessChannel() : this.kind === 'process' ? processChannel(this.name) : threadChannel(this.name);
      w.events.once('exit', () => {
        if (this.worker === w) this.worker = undefined;
      });
      this.worker = w;
    }
    return this.worker;
  }

  /** An idle worker is ended: its heap (hundreds of MB after a large document) goes back to the system. */
  private scheduleIdle() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const w = this.worker;
      this.worker = undefined;
      w?.end();
    }, IDLE_MS);
    this.idleTimer.unref();
  }
}

/** Knowledge-base documents: parsing, chunking, tokenizing. */
export const documentWorker = new JobWorker('document', 'process');
/** Uploaded files: reading the request body, decoding and sniffing, while the request waits (not behind a document being indexed). */
export const uploadWorker = new JobWorker('upload', 'process');
/** Rule-based extraction of refined writes. */
export const extractionWorker = new JobWorker('extraction');

