/**
 * The CPU-heavy jobs that run on worker threads (worker-thread.ts): pure functions of their input, no database,
 * no network. A job may hand back items as it goes (`emit`) and returns a final result.
 */
import { loadUpload, type LoadOptions, type UploadItem } from '../docs';
import { ApiError } from '../errors';
import { indexChunks, type IndexJob } from './doc-indexer';
import { extractWithRules } from '../extract/rules';
import type { ExtractMessage } from '../extract/types';

type Job = (payload: any, emit: (item: unknown) => void) => unknown;

export const CPU_JOBS: Record<string, Job> = {
  /** A knowledge-base document → batches of indexed chunks; the result is the chunk count. */
  'index-document': (job: IndexJob & { bytes: Uint8Array }, emit) =>
    indexChunks({ ...job, bytes: Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength) }, emit),
  /** An uploaded file's content decoded, sniffed and checked (base64 of a 20 MB document: a second of CPU). */
  'load-upload': (p: { item: UploadItem; opts: LoadOptions }) => loadUpload(p.item, p.opts),
  /** Rule-based extraction of a refined write: seconds of regular expressions for a maximal message. */
  'extract-rules': (p: { messages: ExtractMessage[]; opts: { timezone: string } }) => extractWithRules(p.messages, p.opts),
};

/** An error as it crosses the thread boundary: ApiErrors keep their contract code. */
export const serializeError = (err: unknown) => ({
  code: err instanceof ApiError ? err.code : undefined,
  message: err instanceof Error ? err.message : String(err),
});
