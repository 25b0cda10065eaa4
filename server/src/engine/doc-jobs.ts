/**
 * The request side of the document jobs: each call hands its job to a worker thread (worker-thread.ts) and
 * waits for what comes back. Kept apart from doc-indexer.ts, which is the job itself and runs on the thread.
 */
import { loadUpload, type LoadedUpload, type LoadOptions, type UploadItem } from '../docs';
import type { IndexedChunk, IndexJob } from './doc-indexer';
import { documentWorker, uploadWorker } from './worker-thread';

/** Batches of indexed chunks of one document, in order, computed on the document worker thread. */
export function indexedChunks(job: IndexJob): AsyncGenerator<IndexedChunk[], number> {
  // A copy the worker takes over, so the caller's buffer stays valid.
  const bytes = new Uint8Array(job.bytes);
  return documentWorker.stream<IndexedChunk[], number>('index-document', { ...job, bytes }, [bytes.buffer]);
}

/**
 * An uploaded file read (decoded, sniffed, checked against the limits) on the upload worker thread: for a 27 MB
 * base64 string that is a second of CPU the request thread would otherwise spend. A URL is downloaded here, as
 * that is waiting on the network, not work.
 */
export async function loadUploadOffThread(item: UploadItem, opts: LoadOptions): Promise<LoadedUpload> {
  if (/^\s*https?:\/\//i.test(item.content.slice(0, 16))) return loadUpload(item, opts);
  const r = await uploadWorker.call<LoadedUpload>('load-upload', { item, opts });
  return { ...r, bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) };
}
