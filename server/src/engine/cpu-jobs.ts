/**
 * The CPU-heavy jobs that run on workers (job-worker.ts): pure functions of their input, no database, no
 * network. A job reads what the requesting side sends while it runs (`io.input`), hands back items as it goes
 * (`io.emit`, which waits while the other side is behind) and returns a final result.
 */
import type { TransferListItem } from 'node:worker_threads';
import { parseJsonText } from '../api/json-text';
import { addKnowledgebaseFile, type AddKnowledgebaseFileRequest } from '../api/kb-schemas';
import { validate } from '../api/validate';
import { loadUpload, type LoadedUpload, type LoadOptions, type UploadItem } from '../docs';
import { decodedLength } from '../docs/base64';
import { ApiError } from '../errors';
import { splitFileParts } from '../store/file-parts';
import { indexChunks, type IndexJob } from './doc-indexer';
import { extractWithRules } from '../extract/rules';
import type { ExtractMessage } from '../extract/types';

export interface JobIO {
  emit(item: unknown, transfer?: TransferListItem[]): Promise<void>;
  input: AsyncIterable<unknown>;
}

type Job = (payload: any, io: JobIO) => unknown;

/** An uploaded file as a worker hands it over: this, then `parts` items of its bytes. */
export type UploadMeta = Omit<LoadedUpload, 'bytes'> & { sizeBytes: number; parts: number };

/** An upload request as the worker read it: each inline file's content is left behind (''), with its decoded size. */
export type UploadRequest = Omit<AddKnowledgebaseFileRequest, 'file'> & { file: Array<UploadItem & { inlineBytes: number }> };

/** Content that names a file to download rather than holding it. */
export const isUrl = (content: string) => /^\s*https?:\/\//i.test(content.slice(0, 16));

/** Decoded size of base64 / data-URL content without decoding it; URLs count once downloaded. */
export function inlineBytes(content: string): number {
  if (isUrl(content)) return 0;
  const c = content.trim();
  if (/^data:/i.test(c)) return decodedLength(c.slice(c.indexOf(',') + 1));
  return decodedLength(c);
}

async function collect(input: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of input) parts.push(p as Uint8Array);
  return Buffer.concat(parts);
}

async function emitUpload(file: LoadedUpload, io: JobIO): Promise<void> {
  const { bytes, ...meta } = file;
  const parts = splitFileParts(bytes);
  await io.emit({ ...meta, sizeBytes: bytes.length, parts: parts.length } satisfies UploadMeta);
  for (const part of parts) await io.emit(part);
}

export const CPU_JOBS: Record<string, Job> = {
  /** A knowledge-base document, sent as parts → batches of indexed chunks; the result is the chunk count. */
  'index-document': async (job: Omit<IndexJob, 'bytes'>, io) => indexChunks({ ...job, bytes: await collect(io.input) }, (batch) => io.emit(batch)),
  /** One uploaded file's content, sent in pieces, decoded, sniffed and checked (base64 of a 20 MB document: a second of CPU). */
  'load-upload': async (p: { item: UploadItem; opts: LoadOptions }, io) => {
    const pieces: string[] = [];
    for await (const piece of io.input) pieces.push(piece as string);
    return emitUpload(await loadUpload({ ...p.item, content: pieces.join('') }, p.opts), io);
  },
  /**
   * A whole /add/knowledgebase-file JSON body, sent in the pieces it arrived in: parsed and validated here (JSON.parse of 27 MB
   * alone is 50 ms), handed back as an UploadRequest, then each inline file as 'load-upload' hands it back, in
   * order. URLs are left to the requesting side, which waits on the network without holding this worker.
   */
  'read-upload-body': async (p: { opts: LoadOptions }, io) => {
    const req = validate(addKnowledgebaseFile, parseJsonText((await collect(io.input)).toString('utf8')));
    const files = req.file.map((f) => ({ ...f, inlineBytes: inlineBytes(f.content) }));
    await io.emit({ ...req, file: files.map((f) => (isUrl(f.content) ? f : { ...f, content: '' })) } satisfies UploadRequest);
    for (const f of files) if (!isUrl(f.content)) await emitUpload(await loadUpload(f, p.opts), io);
  },
  /** Rule-based extraction of a refined write: seconds of regular expressions for a maximal message. */
  'extract-rules': (p: { messages: ExtractMessage[]; opts: { timezone: string } }) => extractWithRules(p.messages, p.opts),
};

/** An error as it crosses the thread boundary: ApiErrors keep their contract code. */
export const serializeError = (err: unknown) => ({
  code: err instanceof ApiError ? err.code : undefined,
  message: err instanceof Error ? err.message : String(err),
});
