/**
 * Knowledge-base documents → chunks with their index text, computed on a worker thread (doc-worker.ts).
 *
 * A 20 MB Markdown file is half a second of parsing and seconds of tokenizing; on the request thread that
 * stalled /health for up to 1.5 s. The worker streams the chunks back in batches, so the caller can store them
 * slice by slice and never holds more than the document and one batch of results at once. The worker is started
 * on first use and ends after a few idle seconds, which hands its memory back. One document is processed at a
 * time: a second one waits for the first (the task queue is bounded anyway, see tasks.ts).
 *
 * Where the compiled worker is missing (tests running the TypeScript sources), the same code runs in-process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseToChunks, type Chunk, type ParseToChunksOptions } from '../docs';
import type { DocumentExt } from '../docs/limits';
import { ApiError, type ErrorCodeValue } from '../errors';
import { fieldedIndexText } from './text';

export interface IndexJob {
  bytes: Buffer;
  ext: DocumentExt;
  name: string;
  opts: ParseToChunksOptions;
  /** Words added to every chunk's own index field (the file name). */
  indexExtra: string;
}

export interface IndexedChunk extends Omit<Chunk, 'indexText'> {
  /** The memory's finished index text (key, value and indexExtra, as buildMemory would compute it). */
  searchText: string;
}

/** Chunks per batch handed back: small enough that storing one batch is a short transaction. */
export const CHUNK_BATCH = 250;
const IDLE_MS = 5_000;

/** The memory key of a chunk: its heading path, or the file name before the first heading. */
export const chunkKey = (c: Pick<Chunk, 'headingPath'>, fileName: string) => (c.headingPath.length ? c.headingPath.join(' > ') : fileName);

/** Parses, chunks and indexes a document, handing batches to `emit`; the chunk count. Runs inside the worker. */
export async function indexChunks(job: IndexJob, emit: (batch: IndexedChunk[]) => void): Promise<number> {
  const chunks = await parseToChunks(job.bytes, job.ext, job.name, job.opts);
  for (let i = 0; i < chunks.length; i += CHUNK_BATCH) {
    emit(
      chunks.slice(i, i + CHUNK_BATCH).map(({ indexText: _unused, ...c }) => ({
        ...c,
        searchText: fieldedIndexText({ own: [chunkKey(c, job.name), c.text, job.indexExtra].join(' ') }),
      })),
    );
  }
  return chunks.length;
}

type Reply = { id: number; type: 'batch'; batch: IndexedChunk[] } | { id: number; type: 'done'; count: number } | { id: number; type: 'error'; code?: number; message: string };

const WORKER_FILE = path.join(__dirname, 'doc-worker.js');

class IndexerThread {
  private worker?: Worker;
  private idleTimer?: NodeJS.Timeout;
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();

  /** Batches of indexed chunks of one document, in order. Jobs run one after the other. */
  async *run(job: IndexJob): AsyncGenerator<IndexedChunk[]> {
    let release!: () => void;
    const previous = this.chain;
    this.chain = new Promise<void>((r) => (release = r));
    await previous;
    try {
      yield* this.stream(job);
    } finally {
      release();
      this.scheduleIdle();
    }
  }

  private async *stream(job: IndexJob): AsyncGenerator<IndexedChunk[]> {
    if (!fs.existsSync(WORKER_FILE)) {
      const batches: IndexedChunk[][] = [];
      await indexChunks(job, (b) => batches.push(b));
      yield* batches;
      return;
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
      failure = new Error(`the document worker stopped (${why instanceof Error ? why.message : `exit code ${String(why)}`}) while parsing ${job.name}`);
      wake?.();
    };
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.once('error', onExit);
    try {
      // A copy the worker takes over, so the caller's buffer stays valid.
      const bytes = new Uint8Array(job.bytes);
      worker.postMessage({ ...job, bytes, id }, [bytes.buffer]);
      for (;;) {
        if (!queue.length && !failure) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const r = queue.shift();
        if (!r) {
          this.worker = undefined;
          throw failure!;
        }
        if (r.type === 'batch') yield r.batch;
        else if (r.type === 'done') return;
        else throw r.code ? new ApiError(r.code as ErrorCodeValue, r.message) : new Error(r.message);
      }
    } finally {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      worker.off('error', onExit);
    }
  }

  private start(): Worker {
    clearTimeout(this.idleTimer);
    if (!this.worker) {
      const w = new Worker(WORKER_FILE);
      w.unref();
      w.once('exit', () => {
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
      void w?.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  async close() {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}

export const documentIndexer = new IndexerThread();
