/**
 * The request side of the document jobs (cpu-jobs.ts), run on the worker processes of job-worker.ts. Bytes
 * cross in parts of FILE_PART_BYTES, so the request thread never copies a whole file in one piece.
 */
import { loadUpload, type LoadOptions, type UploadItem } from '../docs';
import { FILE_PART_BYTES, splitFileParts } from '../store/file-parts';
import { isUrl, type UploadMeta, type UploadRequest } from './cpu-jobs';
import type { IndexedChunk, IndexJob } from './doc-indexer';
import { documentWorker, uploadWorker, type Job } from './job-worker';

/** A file of an upload: what it is, and its bytes in parts (read them all, in order, before the next file). */
export interface IncomingFile {
  meta: UploadMeta;
  parts: AsyncIterable<Buffer>;
}

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Batches of indexed chunks of one document, whose stored parts are sent to the document worker in order. */
export async function* indexedChunks(job: Omit<IndexJob, 'bytes'>, parts: AsyncIterable<Buffer>): AsyncGenerator<IndexedChunk[], number> {
  const run = await documentWorker.open<IndexedChunk[], number>('index-document', job);
  try {
    for await (const p of parts) run.send(p);
    run.end();
    return yield* run.items();
  } finally {
    run.close();
  }
}

/** The file's meta item and then its parts, from a job that hands files over as emitUpload does. */
async function nextFile(items: AsyncGenerator<unknown>): Promise<IncomingFile> {
  const first = await items.next();
  if (first.done) throw new Error('the upload worker ended before the next file');
  const meta = first.value as UploadMeta;
  return {
    meta,
    parts: (async function* () {
      for (let i = 0; i < meta.parts; i++) {
        const p = await items.next();
        if (p.done) throw new Error('the upload worker ended inside a file');
        yield asBuffer(p.value as Uint8Array);
      }
    })(),
  };
}

/**
 * An uploaded file read (decoded, sniffed, checked against the limits) on the upload worker, for `use` to store:
 * for a 27 MB base64 string that is a second of CPU the request thread would otherwise spend. A URL is
 * downloaded here, as that is waiting on the network, not work.
 */
export async function withLoadedUpload<T>(item: UploadItem, opts: LoadOptions, use: (file: IncomingFile) => Promise<T>): Promise<T> {
  if (isUrl(item.content)) {
    const { bytes, ...meta } = await loadUpload(item, opts);
    const parts = splitFileParts(bytes);
    return use({ meta: { ...meta, sizeBytes: bytes.length, parts: parts.length }, parts: (async function* () { yield* parts; })() });
  }
  // The content (27 MB of base64 for a 20 MB form upload) crosses in pieces: one message of it would hold the
  // request thread for the whole copy.
  const run = await uploadWorker.open('load-upload', { item: { ...item, content: '' }, opts });
  try {
    for (let at = 0; at < item.content.length; at += FILE_PART_BYTES) run.send(item.content.slice(at, at + FILE_PART_BYTES));
    run.end();
    return await use(await nextFile(run.items()));
  } finally {
    run.close();
  }
}

/**
 * A /add/knowledgebase-file body parsed and validated on the upload worker, which gets it in the pieces it arrived in: `use` gets the
 * request (inline contents left behind) and takes its inline files in order with `nextInline`.
 */
export async function withUploadBody<T>(
  body: AsyncIterable<Buffer>,
  opts: LoadOptions,
  use: (req: UploadRequest, nextInline: () => Promise<IncomingFile>) => Promise<T>,
): Promise<T> {
  // Read in full before the worker is taken: a client trickling its body must not hold up everyone's uploads.
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const run: Job<unknown, unknown> = await uploadWorker.open('read-upload-body', { opts });
  try {
    for (const chunk of chunks.splice(0)) run.send(chunk);
    run.end();
    const items = run.items();
    const first = await items.next();
    if (first.done) throw new Error('the upload worker ended without the request');
    return await use(first.value as UploadRequest, () => nextFile(items));
  } finally {
    run.close();
  }
}
