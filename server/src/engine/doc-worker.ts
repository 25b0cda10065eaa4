/**
 * The worker thread behind doc-indexer.ts. Parsing, chunking and tokenizing a large document is seconds of CPU;
 * here it runs beside the request thread instead of on it. The worker never opens the database: it hands the
 * chunks, with their finished index text, back to the main thread, which stores them through the Store (so it
 * works the same on SQLite and PostgreSQL).
 */
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../errors';
import { indexChunks, type IndexJob } from './doc-indexer';

parentPort!.on('message', async (job: IndexJob & { id: number; bytes: Uint8Array }) => {
  try {
    const count = await indexChunks({ ...job, bytes: Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength) }, (batch) =>
      parentPort!.postMessage({ id: job.id, type: 'batch', batch }),
    );
    parentPort!.postMessage({ id: job.id, type: 'done', count });
  } catch (err) {
    parentPort!.postMessage({
      id: job.id,
      type: 'error',
      code: err instanceof ApiError ? err.code : undefined,
      message: err instanceof Error ? err.message : String(err),
    });
  }
});
