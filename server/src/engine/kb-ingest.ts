/**
 * The 'kb-file' task: one uploaded knowledge-base file → memories (contract §4.11 steps 5-9).
 *
 * A document becomes one memory per chunk: kind fact, LongTermMemory, scope knowledgebase, with the chunk
 * text as its value and the heading path as its key, so a hit shows where it came from. A skill becomes one
 * skill memory whose structured value is the parsed SKILL.md.
 *
 * The stored original is read part by part and sent to a worker process, which parses and tokenizes it
 * (doc-indexer.ts, job-worker.ts), and the chunks are stored in slices
 * of about SLICE_MS each, one short transaction per turn of the request thread, so a 20 MB document never holds
 * it for long. The file stays `running` until its last slice is in; a chunk's memory id derives from the file id
 * and the chunk's position, so a retry after a crash stores only the chunks still missing. A file deleted meanwhile takes the
 * slices already stored with it, and later slices are dropped by the commit (see Store.commit fileResult).
 *
 * A file the parsers reject (not the format it claims, too many pages, no text) is a result, not a crash:
 * it is marked failed with the reason and the task completes. Anything else throws, the runner retries, and
 * a task that fails for good shows through as a failed file (see Store.getKnowledgebaseFiles).
 */
import { createHash } from 'node:crypto';
import { parseSkill, type ParsedSkill } from '../docs';
import type { DocumentExt, SkillExt } from '../docs/limits';
import { ApiError } from '../errors';
import type { KnowledgebaseFileRecord, MemoryRecord, TaskRecord, WriteBatch } from '../store/types';
import type { EngineContext } from './context';
import { buildMemory } from './records';
import { CHUNK_BATCH, chunkKey, type IndexedChunk } from './doc-indexer';
import { indexedChunks } from './doc-jobs';

export const KB_FILE_TASK = 'kb-file';
/** Knowledge-base memories belong to no conversation; the cloud reports this id for them. */
export const KB_CONVERSATION_ID = 'default_session';
export const KB_TAG = 'knowledgebase';
export const UPLOADED_SKILL_TYPE = 'SkillMemory';

const MB = 1024 * 1024;

export interface KbFilePayload {
  fileId: string;
  knowledgebaseId: string;
}

const stem = (name: string) => name.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ');

export function makeKnowledgebaseFileHandler(ctx: EngineContext) {
  return async (task: TaskRecord): Promise<WriteBatch> => {
    const p = task.payload as unknown as KbFilePayload;
    const [file] = await ctx.store.getKnowledgebaseFiles([p.fileId]);
    // Deleted before it was processed: nothing left to do.
    if (!file) return {};
    const first = await ctx.store.getKnowledgebaseFilePart(file.id, 0);
    if (!first) return { fileResult: { id: file.id, status: 'failed', error: 'the stored file content is missing; upload it again' } };
    const started = Date.now();
    try {
      if (file.type === 'skill') {
        // Skills are small (a SKILL.md or a zip of a few MB at most): read whole.
        const bytes = (await ctx.store.getKnowledgebaseFileContent(file.id))!;
        const memories = [skillMemory(file, await parseSkill(bytes, file.ext as SkillExt), task)];
        return { memories, fileResult: { id: file.id, status: 'completed', chunkCount: 1 } };
      }
      const count = await storeChunks(ctx, file, storedParts(ctx, file.id, first), task);
      ctx.log.info({ file: file.id, name: file.name, memories: count, ms: Date.now() - started }, 'knowledge-base file indexed');
      return { fileResult: { id: file.id, status: 'completed', chunkCount: count } };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.log.warn({ file: file.id, name: file.name, code: err.code, err: err.message }, 'knowledge-base file failed');
      return { fileResult: { id: file.id, status: 'failed', error: `${err.code}: ${err.message}` } };
    }
  };
}

/**
 * How long one slice's transaction may hold the request thread. A slice's cost per chunk varies with the chunks'
 * size and the index's state (SQLite's full-text index merges its segments now and then), so the slice size
 * follows the pace of the slices before it rather than a fixed count: 250 chunks took 60 to 90 ms here.
 */
const SLICE_MS = 20;
const MIN_SLICE = 8;

/** Chunks per slice, from the measured cost of the slices so far (a moving average per chunk). */
export class SlicePace {
  private msPerChunk = 0.25;
  size(): number {
    return Math.max(MIN_SLICE, Math.min(CHUNK_BATCH, Math.floor(SLICE_MS / this.msPerChunk)));
  }
  record(chunks: number, ms: number) {
    if (chunks > 0) this.msPerChunk = 0.7 * this.msPerChunk + 0.3 * Math.max(0.001, ms / chunks);
  }
}

/** A file's stored original, part by part, one part per turn of the request thread. */
async function* storedParts(ctx: EngineContext, fileId: string, first: Buffer): AsyncGenerator<Buffer> {
  yield first;
  for (let n = 1; ; n++) {
    await ctx.queue.turn();
    const part = await ctx.store.getKnowledgebaseFilePart(fileId, n);
    if (!part) return;
    yield part;
  }
}

/** Stores a document's chunks slice by slice as the worker hands them over; the number of chunks. */
async function storeChunks(ctx: EngineContext, file: KnowledgebaseFileRecord, parts: AsyncIterable<Buffer>, task: TaskRecord): Promise<number> {
  const job = {
    ext: file.ext as DocumentExt,
    name: file.name,
    opts: { maxBytes: Math.round(ctx.config.kbMaxFileMb * MB), maxPages: ctx.config.kbMaxPages },
    // The file name is often the best description of what a document is about ("travel-policy.pdf").
    indexExtra: stem(file.name),
  };
  const now = Date.now();
  const pace = new SlicePace();
  let count = 0;
  for await (const batch of indexedChunks(job, parts)) {
    for (let at = 0; at < batch.length; ) {
      // Each slice waits its turn behind the requests that came first (work-queue.ts): a busy server stores the
      // document more slowly instead of answering more slowly, and a request waits at most one slice.
      await ctx.queue.turn();
      const started = performance.now();
      const slice = batch.slice(at, at + pace.size());
      at += slice.length;
      let memories = slice.map((c) => chunkMemory(file, c, task, now));
      // A retry (the process stopped mid-document) skips the slices an earlier attempt stored.
      if (task.attempts > 0) {
        const stored = new Set((await ctx.store.getMemoriesByIds(memories.map((m) => m.id))).map((m) => m.id));
        memories = memories.filter((m) => !stored.has(m.id));
      }
      count += slice.length;
      await ctx.store.commit({ memories, fileResult: { id: file.id, status: 'running', chunkCount: count } });
      pace.record(slice.length, performance.now() - started);
    }
  }
  return count;
}

/** The same chunk of the same file always gets the same memory id. */
const chunkMemoryId = (fileId: string, index: number) => {
  const h = createHash('sha256').update(`${fileId}:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

function origin(file: KnowledgebaseFileRecord) {
  return { knowledgebase_id: file.knowledgebaseId, file_id: file.id, file_name: file.name };
}

function chunkMemory(file: KnowledgebaseFileRecord, c: IndexedChunk, task: TaskRecord, now: number): MemoryRecord {
  const where = { chunk_index: c.index, heading_path: c.headingPath, ...(c.page !== undefined ? { page: c.page } : {}) };
  return buildMemory(
    {
      projectId: file.projectId,
      scope: 'knowledgebase',
      knowledgebaseId: file.knowledgebaseId,
      kind: 'fact',
      subtype: 'LongTermMemory',
      id: chunkMemoryId(file.id, c.index),
      key: chunkKey(c, file.name),
      value: c.text,
      conversationId: KB_CONVERSATION_ID,
      eventTime: file.createTime,
      createTime: file.createTime,
      tags: [KB_TAG],
      data: { ...origin(file), ...where },
      sources: [{ type: 'knowledgebase', ...origin(file), ...where }],
      taskId: task.id,
      // Computed by the worker from the key, the text and the file name.
      index: c.searchText,
    },
    now,
  );
}

function skillMemory(file: KnowledgebaseFileRecord, skill: ParsedSkill, task: TaskRecord): MemoryRecord {
  const s = skill.sections;
  const value = {
    name: skill.name,
    description: skill.description,
    ...(s.procedure ? { procedure: s.procedure } : {}),
    ...(s.experience ? { experience: s.experience } : {}),
    ...(s.userPreferences ? { user_preferences: s.userPreferences } : {}),
    ...(s.examples ? { examples: s.examples } : {}),
    ...(s.additionalInformation ? { additional_information: s.additionalInformation } : {}),
    // Without the recognised sections, the body is the only place the instructions are.
    ...(Object.keys(s).length === 0 && skill.body ? { content: skill.body } : {}),
    files: skill.files,
    ...(Object.keys(skill.metadata).length ? { metadata: skill.metadata } : {}),
  };
  return buildMemory({
    projectId: file.projectId,
    scope: 'knowledgebase',
    knowledgebaseId: file.knowledgebaseId,
    kind: 'skill',
    subtype: UPLOADED_SKILL_TYPE,
    key: skill.name,
    value: skill.description,
    conversationId: KB_CONVERSATION_ID,
    eventTime: file.createTime,
    createTime: file.createTime,
    tags: [KB_TAG, 'skill'],
    data: { ...origin(file), skill: value, url: file.sourceUrl ?? '' },
    sources: [{ type: 'knowledgebase', ...origin(file) }],
    taskId: task.id,
    indexExtra: `${skill.name.replace(/[_-]+/g, ' ')}\n${skill.body}`,
  });
}
