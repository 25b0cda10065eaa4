/**
 * The 'kb-file' task: one uploaded knowledge-base file → memories (contract §4.11 steps 5-9).
 *
 * A document becomes one memory per chunk: kind fact, LongTermMemory, scope knowledgebase, with the chunk
 * text as its value and the heading path as its key, so a hit shows where it came from. A skill becomes one
 * skill memory whose structured value is the parsed SKILL.md. Memories and the file's new status are one
 * commit, so a file is never `completed` with half of its chunks indexed.
 *
 * A file the parsers reject (not the format it claims, too many pages, no text) is a result, not a crash:
 * it is marked failed with the reason and the task completes. Anything else throws, the runner retries, and
 * a task that fails for good shows through as a failed file (see Store.getKnowledgebaseFiles).
 */
import { parseSkill, parseToChunks, type Chunk, type ParsedSkill } from '../docs';
import type { DocumentExt, SkillExt } from '../docs/limits';
import { ApiError } from '../errors';
import type { KnowledgebaseFileRecord, MemoryRecord, TaskRecord, WriteBatch } from '../store/types';
import type { EngineContext } from './context';
import { buildMemory } from './records';

export const KB_FILE_TASK = 'kb-file';
/** Knowledge-base memories belong to no conversation; the cloud reports this id for them. */
export const KB_CONVERSATION_ID = 'default_session';
export const KB_TAG = 'knowledgebase';
export const UPLOADED_SKILL_TYPE = 'SkillMemory';

const MB = 1024 * 1024;
/** Chunks indexed between two turns of the event loop. */
const INDEX_SLICE = 200;

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
    const bytes = await ctx.store.getKnowledgebaseFileContent(file.id);
    if (!bytes) return { fileResult: { id: file.id, status: 'failed', error: 'the stored file content is missing; upload it again' } };
    const started = Date.now();
    try {
      const memories = file.type === 'skill' ? [skillMemory(file, await parseSkill(bytes, file.ext as SkillExt), task)] : await chunkMemories(ctx, file, bytes, task);
      ctx.log.info({ file: file.id, name: file.name, memories: memories.length, ms: Date.now() - started }, 'knowledge-base file indexed');
      return { memories, fileResult: { id: file.id, status: 'completed', chunkCount: memories.length } };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.log.warn({ file: file.id, name: file.name, code: err.code, err: err.message }, 'knowledge-base file failed');
      return { fileResult: { id: file.id, status: 'failed', error: `${err.code}: ${err.message}` } };
    }
  };
}

async function chunkMemories(ctx: EngineContext, file: KnowledgebaseFileRecord, bytes: Buffer, task: TaskRecord): Promise<MemoryRecord[]> {
  const chunks = await parseToChunks(bytes, file.ext as DocumentExt, file.name, {
    maxBytes: Math.round(ctx.config.kbMaxFileMb * MB),
    maxPages: ctx.config.kbMaxPages,
  });
  const now = Date.now();
  const out: MemoryRecord[] = [];
  // Indexing a large document takes seconds of CPU; giving the event loop a turn between slices keeps the
  // API answering while it runs.
  for (let i = 0; i < chunks.length; i += INDEX_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const c of chunks.slice(i, i + INDEX_SLICE)) out.push(chunkMemory(file, c, task, now));
  }
  return out;
}

function origin(file: KnowledgebaseFileRecord) {
  return { knowledgebase_id: file.knowledgebaseId, file_id: file.id, file_name: file.name };
}

function chunkMemory(file: KnowledgebaseFileRecord, c: Chunk, task: TaskRecord, now: number): MemoryRecord {
  const where = { chunk_index: c.index, heading_path: c.headingPath, ...(c.page !== undefined ? { page: c.page } : {}) };
  return buildMemory(
    {
      projectId: file.projectId,
      scope: 'knowledgebase',
      knowledgebaseId: file.knowledgebaseId,
      kind: 'fact',
      subtype: 'LongTermMemory',
      key: c.headingPath.length ? c.headingPath.join(' > ') : file.name,
      value: c.text,
      conversationId: KB_CONVERSATION_ID,
      eventTime: file.createTime,
      createTime: file.createTime,
      tags: [KB_TAG],
      data: { ...origin(file), ...where },
      sources: [{ type: 'knowledgebase', ...origin(file), ...where }],
      taskId: task.id,
      // The file name is often the best description of what a document is about ("travel-policy.pdf").
      indexExtra: stem(file.name),
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
