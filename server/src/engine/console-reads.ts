/**
 * What the console reads that the MemOS API has no endpoint for: the project's users with counts, a memory with
 * its versions and sources, raw conversations, feedback history with what each correction changed, tasks, a
 * knowledge-base file's chunks. Every read is scoped to the caller's project, and every list is paged.
 */
import type {
  ConversationRequest,
  KnowledgebaseChunksRequest,
  ListTasksRequest,
  ListUsersRequest,
  UserMemoriesRequest,
} from '../api/console-schemas';
import { ApiError, ErrorCode } from '../errors';
import type { MemoryRecord, TaskRecord } from '../store/types';
import type { Caller, EngineContext } from './context';
import { requireLinkedKnowledgebase } from './knowledgebase';
import { formatShort } from './time';
import { subjectOf } from '../api/subject';
import { rankForSearch } from './recall';
import { profileDetails } from './profile';
import { day, percentile } from './usage';
import type { SearchMemoryRequest } from '../api/schemas';

/** A memory as the console shows it: every stored field, times also formatted in the server's time zone. */
export function consoleMemory(m: MemoryRecord, timezone: string) {
  return {
    id: m.id,
    kind: m.kind,
    memory_type: m.subtype,
    scope: m.scope,
    user_id: m.userId,
    knowledgebase_id: m.knowledgebaseId,
    key: m.key,
    value: m.value,
    data: m.data,
    tags: m.tags,
    info: m.info,
    agent_id: m.agentId,
    app_id: m.appId,
    conversation_id: m.conversationId,
    status: m.status,
    confidence: m.confidence,
    priority: m.priority,
    state_key: m.stateKey,
    superseded_by: m.supersededBy,
    sources: m.sources,
    task_id: m.taskId,
    event_time: m.eventTime,
    create_time: m.createTime,
    update_time: m.updateTime,
    memory_time: formatShort(m.eventTime, timezone),
  };
}

export async function listUsers(ctx: EngineContext, caller: Caller, req: ListUsersRequest) {
  const users = await ctx.store.listUsers(caller.projectId, { search: req.search?.trim() || undefined, after: req.after, limit: req.size + 1 });
  const more = users.length > req.size;
  const page = users.slice(0, req.size);
  return {
    users: page.map((u) => ({
      user_id: u.userId,
      // An agent's own memories (no user) are listed under an internal subject id; this is the agent's name.
      agent: subjectOf(u.userId).agent_id,
      memories: u.memories,
      messages: u.messages,
      conversations: u.conversations,
      agent_ids: u.agentIds,
      last_active: u.lastActive,
    })),
    next: more ? page[page.length - 1].userId : null,
  };
}

export async function userDetail(ctx: EngineContext, caller: Caller, userId: string) {
  const [summary] = await ctx.store.listUsers(caller.projectId, { exact: userId, limit: 1 });
  if (!summary) throw new ApiError(ErrorCode.NotFound, `user ${userId} has nothing stored in this project`);
  const conversations = await ctx.store.listConversations(caller.projectId, userId, 200);
  const profiles = await profileDetails(ctx, caller.projectId, userId);
  return {
    user_id: summary.userId,
    agent: subjectOf(summary.userId).agent_id,
    memories: summary.memories,
    messages: summary.messages,
    agent_ids: summary.agentIds,
    last_active: summary.lastActive,
    profiles: profiles.map((p) => ({ template: p.profile_template_name || p.profile_template_id, value: p.profile_value, update_time: p.update_time })),
    conversations: conversations.map((c) => ({ conversation_id: c.conversationId, messages: c.messages, first_time: c.firstTime, last_time: c.lastTime })),
  };
}

export async function userMemories(ctx: EngineContext, caller: Caller, req: UserMemoriesRequest) {
  const { items, total } = await ctx.store.userMemories(caller.projectId, req.user_id, { kind: req.kind, status: req.status, page: req.page, size: req.size });
  return { total, page: req.page, size: req.size, memories: items.map((m) => consoleMemory(m, ctx.config.timezone)) };
}

/** The memory must exist and belong to the caller's project (or a knowledge base linked to it). */
async function memoryOfCaller(ctx: EngineContext, caller: Caller, id: string): Promise<MemoryRecord> {
  const [m] = await ctx.store.getMemoriesByIds([id]);
  if (!m) throw new ApiError(ErrorCode.NotFound, `memory ${id} was not found`);
  if (m.projectId !== caller.projectId) {
    const linked = m.knowledgebaseId && (await ctx.store.linkedKnowledgebaseIds(caller.projectId)).includes(m.knowledgebaseId);
    // Another project's memory reads as unknown, as in /get/memory/{id}: ids must not reveal what exists elsewhere.
    if (!linked) throw new ApiError(ErrorCode.NotFound, `memory ${id} was not found`);
  }
  return m;
}

/**
 * One memory with every version of it: what it superseded (older, archived) and what superseded it, oldest
 * first, plus the conversation its source messages came from.
 */
export async function memoryDetail(ctx: EngineContext, caller: Caller, id: string) {
  const m = await memoryOfCaller(ctx, caller, id);
  const tz = ctx.config.timezone;
  const versions = chainOrder(await ctx.store.memoryLineage(m.projectId, m.id));
  const conversation =
    m.userId && m.scope !== 'knowledgebase' ? await ctx.store.conversationMessages(caller.projectId, m.userId, m.conversationId, { afterId: 0, limit: 200 }) : [];
  return {
    memory: consoleMemory(m, tz),
    versions: versions.map((v) => consoleMemory(v, tz)),
    conversation: conversation.map(presentMessage),
  };
}

/**
 * Versions oldest first by the chain itself: the further a version is from the end of its superseded-by chain,
 * the older it is. (Times cannot order them: an edit in place keeps its id and creation time, and its archived
 * copy of the old text is created after it.)
 */
function chainOrder(versions: MemoryRecord[]): MemoryRecord[] {
  const byId = new Map(versions.map((v) => [v.id, v]));
  const distance = (v: MemoryRecord) => {
    let n = 0;
    for (let at = v; at.supersededBy && byId.has(at.supersededBy) && n < versions.length; at = byId.get(at.supersededBy)!) n++;
    return n;
  };
  const d = new Map(versions.map((v) => [v.id, distance(v)]));
  return [...versions].sort((a, b) => d.get(b.id)! - d.get(a.id)! || a.createTime - b.createTime);
}

const presentMessage = (m: { id?: number; role: string; content: string; chatTime: string | null; eventTime: number; agentId: string | null }) => ({
  id: m.id,
  role: m.role,
  content: m.content,
  chat_time: m.chatTime,
  event_time: m.eventTime,
  agent_id: m.agentId,
});

export async function conversation(ctx: EngineContext, caller: Caller, req: ConversationRequest) {
  const rows = await ctx.store.conversationMessages(caller.projectId, req.user_id, req.conversation_id, { afterId: req.after_id, limit: req.size + 1 });
  const more = rows.length > req.size;
  const page = rows.slice(0, req.size);
  return { messages: page.map(presentMessage), next: more ? page[page.length - 1].id : null };
}

const presentTask = (t: TaskRecord) => ({
  id: t.id,
  kind: t.kind,
  status: t.status,
  error: t.error,
  attempts: t.attempts,
  create_time: t.createTime,
  update_time: t.updateTime,
  // Who and what it was about, without echoing whole payloads (a document's task carries only ids anyway).
  user_id: typeof t.payload.userId === 'string' ? t.payload.userId : null,
  subject: typeof t.payload.content === 'string' ? t.payload.content.slice(0, 300) : typeof t.payload.fileId === 'string' ? t.payload.fileId : null,
});

export async function listTasks(ctx: EngineContext, caller: Caller, req: ListTasksRequest) {
  const { items, total } = await ctx.store.listTasks(caller.projectId, { status: req.status, kind: req.kind, page: req.page, size: req.size });
  return { total, page: req.page, size: req.size, tasks: items.map(presentTask) };
}

/** A failed task goes back to `running` with fresh attempts and is queued again. */
export async function retryTask(ctx: EngineContext, caller: Caller, taskId: string) {
  const t = await ctx.store.getTask(taskId);
  if (!t || t.projectId !== caller.projectId) throw new ApiError(ErrorCode.TaskNotFound, `task ${taskId} was not found`);
  if (t.status !== 'failed') throw new ApiError(ErrorCode.InvalidParams, `task ${taskId} is ${t.status}; only a failed task can be retried`);
  if (!(await ctx.store.retryTask(caller.projectId, taskId))) throw new ApiError(ErrorCode.InvalidParams, `task ${taskId} is no longer failed`);
  ctx.tasks.enqueue(taskId, 0);
  return { task_id: taskId, status: 'running' as const };
}

/**
 * Every feedback of the project, newest first, with what it changed: the memories it wrote (the correction
 * and any new states) and the ones those superseded, as they read before.
 */
export async function feedbackHistory(ctx: EngineContext, caller: Caller, page: number, size: number) {
  const { items, total } = await ctx.store.listTasks(caller.projectId, { kind: 'feedback', page, size });
  const written = await ctx.store.memoriesOfTasks(caller.projectId, items.map((t) => t.id));
  const before = await ctx.store.memoriesSupersededBy(caller.projectId, written.map((m) => m.id));
  const tz = ctx.config.timezone;
  return {
    total,
    page,
    size,
    feedback: items.map((t) => {
      const after = written.filter((m) => m.taskId === t.id);
      const afterIds = new Set(after.map((m) => m.id));
      return {
        ...presentTask(t),
        content: typeof t.payload.content === 'string' ? t.payload.content : '',
        conversation_id: typeof t.payload.conversationId === 'string' ? t.payload.conversationId : null,
        after: after.map((m) => consoleMemory(m, tz)),
        before: before.filter((m) => m.supersededBy && afterIds.has(m.supersededBy)).map((m) => consoleMemory(m, tz)),
      };
    }),
  };
}

export async function listKnowledgebases(ctx: EngineContext, caller: Caller) {
  const ids = await ctx.store.linkedKnowledgebaseIds(caller.projectId);
  const kbs = (await Promise.all(ids.map((id) => ctx.store.getKnowledgebase(id)))).filter((k) => k !== undefined);
  const out = [];
  for (const kb of kbs.sort((a, b) => b.createTime - a.createTime)) {
    const { total } = await ctx.store.listKnowledgebaseFiles(kb.id, undefined, 1, 1);
    out.push({ id: kb.id, name: kb.name, description: kb.description, create_time: kb.createTime, files: total });
  }
  return { knowledgebases: out };
}

export async function knowledgebaseChunks(ctx: EngineContext, caller: Caller, req: KnowledgebaseChunksRequest) {
  await requireLinkedKnowledgebase(ctx, caller, req.knowledgebase_id);
  const { items, total } = await ctx.store.knowledgebaseChunks(req.knowledgebase_id, req.file_id, req.page, req.size);
  return {
    total,
    page: req.page,
    size: req.size,
    chunks: items.map((m) => ({
      id: m.id,
      key: m.key,
      value: m.value,
      heading_path: Array.isArray(m.data?.heading_path) ? m.data.heading_path : [],
      page: m.data?.page ?? null,
      kind: m.kind,
      status: m.status,
    })),
  };
}

const FIELD_NAMES = ['own', 'author', 'partner', 'nearby'];

/**
 * /search/memory as the search playground runs it: the same ranking, in one list, each result with its
 * relativity, score and why it matched (fields and terms, ranks, and every multiplier the ranking applied).
 */
export async function explainSearch(ctx: EngineContext, caller: Caller, req: SearchMemoryRequest) {
  const ranked = await rankForSearch(ctx, caller, req, true);
  return {
    results: ranked.map((r) => {
      const m = r.memory;
      const x = r.explain;
      return {
        id: m.id,
        kind: m.kind,
        memory_type: m.subtype,
        key: m.key,
        value: m.value,
        status: m.status,
        conversation_id: m.conversationId,
        knowledgebase_id: m.knowledgebaseId,
        heading_path: Array.isArray(m.data?.heading_path) ? m.data.heading_path : [],
        relativity: Math.round(r.relativity * 10000) / 10000,
        score: r.score,
        explain: x
          ? {
              fields: (x.matched ?? [])
                .slice(0, FIELD_NAMES.length)
                .map((terms, i) => ({ field: FIELD_NAMES[i], terms: [...new Set(terms)] }))
                .filter((f) => f.terms.length),
              coverage: x.coverage ?? null,
              lexical_rank: x.lexicalRank ?? null,
              vector_rank: x.vectorRank ?? null,
              similarity: x.similarity ?? null,
              factors: [{ name: 'lexical', value: x.base }, ...x.factors.map(([name, value]) => ({ name, value }))],
            }
          : null,
      };
    }),
  };
}

/** Per day and operation for the last `days` days (UTC), with p50/p95 in ms; pending counts are written first. */
export async function usageReport(ctx: EngineContext, caller: Caller, days: number, now = Date.now()) {
  await ctx.usage?.flush();
  const since = day(now - (days - 1) * 86_400_000);
  const rows = await ctx.store.usageReport(caller.projectId, since);
  return {
    since,
    days: rows.map((r) => ({
      day: r.day,
      operation: r.operation,
      requests: r.requests,
      errors: r.errors,
      p50_ms: percentile(r.latency, 0.5),
      p95_ms: percentile(r.latency, 0.95),
      llm_calls: r.llmCalls,
      llm_prompt_tokens: r.llmPromptTokens,
      llm_completion_tokens: r.llmCompletionTokens,
      embedding_calls: r.embeddingCalls,
      embedding_tokens: r.embeddingTokens,
    })),
  };
}
