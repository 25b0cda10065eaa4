/**
 * One memory by id: GET /get/memory/{memory_id} (the SDK's get_memory_by_id, the CLI's `origin`) and
 * /update/memory. An edit is made in place (the id stays, so clients holding it keep working) and the previous
 * text is kept as an archived version pointing at it: nothing a user wrote is silently lost.
 */
import type { UpdateMemoryRequest } from '../api/schemas';
import { subjectOf } from '../api/subject';
import { ApiError, ErrorCode } from '../errors';
import type { MemoryRecord, WriteBatch } from '../store/types';
import type { Caller, EngineContext } from './context';
import { present } from './present';
import { buildMemory } from './records';

/** The memory, when the caller's project may read it: its own, or a passage of a knowledge base it links. */
async function readable(ctx: EngineContext, caller: Caller, id: string): Promise<MemoryRecord> {
  const [m] = await ctx.store.getMemoriesByIds([id]);
  if (m && m.projectId === caller.projectId) return m;
  if (m?.scope === 'knowledgebase' && m.knowledgebaseId && (await ctx.store.linkedKnowledgebaseIds(caller.projectId)).includes(m.knowledgebaseId)) return m;
  // Another project's memory reads as unknown: ids must not reveal what exists elsewhere.
  throw new ApiError(ErrorCode.NotFound, `memory ${id} was not found`);
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function getMemoryById(ctx: EngineContext, caller: Caller, id: string) {
  const m = await readable(ctx, caller, id);
  const subject = subjectOf(m.userId);
  return {
    ...present(m, { detail: true, timezone: ctx.config.timezone }),
    id: m.id,
    memory: m.value,
    metadata: {
      // Each source is a message the memory was made from: role, content and when it was said.
      sources: m.sources.map((s) => ({ type: 'chat', ...s })),
      memory_type: m.subtype,
      status: m.status,
      key: m.key,
      tags: m.tags,
      confidence: m.confidence,
      created_at: iso(m.createTime),
      updated_at: iso(m.updateTime),
      user_id: subject.user_id,
      agent_id: m.agentId ?? subject.agent_id,
      app_id: m.appId,
      session_id: m.conversationId,
      info: m.info,
      ...(m.knowledgebaseId ? { knowledgebase_id: m.knowledgebaseId } : {}),
    },
  };
}

export async function updateMemory(ctx: EngineContext, caller: Caller, req: UpdateMemoryRequest) {
  const m = await readable(ctx, caller, req.memory_id);
  if (m.scope === 'knowledgebase') throw new ApiError(ErrorCode.InvalidParams, `memory ${m.id} belongs to a knowledge base; upload a corrected file instead`);
  const now = Date.now();
  const batch: WriteBatch = {};
  const value = req.content ?? m.value;
  const key = req.title ?? m.key;
  if (value !== m.value || key !== m.key) {
    const edited = buildMemory({ ...m, key, value, id: m.id }, now);
    const previous = buildMemory({ ...m, id: undefined, status: 'archived', supersededBy: m.id, updateTime: now }, now);
    batch.memories = [previous];
    batch.updates = [{ id: m.id, value, key, searchText: edited.searchText, updateTime: now }];
  }
  if (req.status === 'archived' && m.status !== 'archived') batch.archive = [{ id: m.id, supersededBy: null }];
  if (req.status === 'activated' && m.status === 'archived') batch.activate = [m.id];
  if (batch.memories || batch.archive || batch.activate) await ctx.store.commit(batch);
  return { success: true, memory_id: m.id };
}
