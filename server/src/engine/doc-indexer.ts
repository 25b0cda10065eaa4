/**
 * Knowledge-base documents → chunks with their index text, computed on the document worker thread
 * (job-worker.ts). A 20 MB Markdown file is half a second of parsing and seconds of tokenizing; on the request
 * thread that stalled /health for up to 1.5 s. The chunks come back in batches, each handed over once the caller
 * has taken the ones before (job-host.ts), so it stores them slice by slice and holds a few batches at most.
 */
import { parseToChunks, type Chunk, type ParseToChunksOptions } from '../docs';
import type { DocumentExt } from '../docs/limits';
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

/** The memory key of a chunk: its heading path, or the file name before the first heading. */
export const chunkKey = (c: Pick<Chunk, 'headingPath'>, fileName: string) => (c.headingPath.length ? c.headingPath.join(' > ') : fileName);

/** Parses, chunks and indexes a document, handing batches to `emit`; the chunk count. Runs on the worker thread. */
export async function indexChunks(job: IndexJob, emit: (batch: IndexedChunk[]) => Promise<void> | void): Promise<number> {
  const chunks = await parseToChunks(job.bytes, job.ext, job.name, job.opts);
  for (let i = 0; i < chunks.length; i += CHUNK_BATCH) {
    await emit(
      chunks.slice(i, i + CHUNK_BATCH).map(({ indexText: _unused, ...c }) => ({
        ...c,
        searchText: fieldedIndexText({ own: [chunkKey(c, job.name), c.text, job.indexExtra].join(' ') }),
      })),
    );
  }
  return chunks.length;
}
