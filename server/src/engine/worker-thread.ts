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
 * The worker is started on first use and ends after a few idle seconds. Jobs queue up behind each other (the
 * task backlog that feeds them is bounded, see tasks.ts). Where the compiled worker is missing (tests running
 * the TypeScript sources), the same job runs in-process.
 */
import { fork } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { ApiError, type ErrorCodeValue } from '../errors';
import { CPU_JOBS } from './cpu-jobs';

type Reply = { id: number; type: 'item'; item: unknown } | { id: number; type: 'done'; result: unknown } | { id: number; type: 'error'; code?: number; message: string };

const WORKER_FILE = path.join(__dirname, 'cpu-worker.js');
const IDLE_MS = 5_000;

const rebuild = (r: { code?: number; message: string }) => (r.code ? new ApiError(r.code as ErrorCodeValue, r.message) : new Error(r.message));

/** What the runner needs of a worker, whichever kind it is: its events ('message', 'exit', 'error'), a way in, an end. */
interface Channel {
  events: EventEmitter;
  post(msg: unknown, transfer: TransferListItem[]): void;
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
  return { events: p, post: (msg) => p.send(msg as never), end: () => p.kill() };
}

export class WorkerThread {
  private worker?: Channel;
  private idleTimer?: NodeJS.Timeout;
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly kind: 'thread' | 'process' = 'thread',
  ) {}

  /** Runs a job and yields the items it hands back, in order; returns its result. */
  async *stream<T, R = unknown>(kind: string, payload: unknown, transfer: TransferListItem[] = []): AsyncGenerator<T, R> {
    let release!: () => void;
    const previous = this.chain;
    this.chain = new Promise<void>((r) => (release = r));
    await previous;
    try {
      return (yield* this.run<T, R>(kind, payload, transfer)) as R;
    } finally {
      release();
      this.scheduleIdle();
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

  private async *run<T, R>(kind: string, payload: unknown, transfer: TransferListItem[]): AsyncGenerator<T, R> {
    if (!fs.existsSync(WORKER_FILE)) {
      const items: T[] = [];
      const result = (await CPU_JOBS[kind](payload, (i) => items.push(i as T))) as R;
      yield* items;
      return result;
    }
    const worker = this.start();
    const id = this.nextId++;
    const queue: Reply[] = [];
    let wake: (() => void) | undefined;
    let failure: Error | undefined;
    const onMessage = (r: Reply) => {
      if (r.id !== id) return;
      queue.push(r);
      wake?.();
    };
    const onExit = (why: unknown) => {
      failure = new Error(`the ${this.name} worker stopped (${why instanceof Error ? why.message : `exit code ${String(why)}`})`);
      wake?.();
    };
    worker.events.on('message', onMessage);
    worker.events.once('exit', onExit);
    worker.events.once('error', onExit);
    try {
      worker.post({ id, kind, payload }, transfer);
      for (;;) {
        if (!queue.length && !failure) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const r = queue.shift();
        if (!r) throw failure!;
        if (r.type === 'item') yield r.item as T;
        else if (r.type === 'done') return r.result as R;
        else throw rebuild(r);
      }
    } finally {
      worker.events.off('message', onMessage);
      worker.events.off('exit', onExit);
      worker.events.off('error', onExit);
    }
  }

  private start(): Channel {
    clearTimeout(this.idleTimer);
    if (!this.worker) {
      const w = this.kind === 'process' ? processChannel(this.name) : threadChannel(this.name);
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
export const documentWorker = new WorkerThread('document', 'process');
/** Uploaded files: decoding and sniffing, while the request waits (not behind a document being indexed). */
export const uploadWorker = new WorkerThread('upload', 'process');
/** Rule-based extraction of refined writes. */
export const extractionWorker = new WorkerThread('extraction');
