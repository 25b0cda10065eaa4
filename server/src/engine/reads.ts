/** /get/memory, /get/message, /delete/memory, /get/status, /extract/memory and /rerank. */
import type { DeleteMemoryRequest, ExtractMemoryRequest, GetMemoryRequest, GetMessageRequest, RerankRequest } from '../api/schemas';
import { ApiError, ErrorCode } from '../errors';
import type { MemoryKind } from '../store/types';
import type { Caller, EngineContext } from './context';
import { parseFilter, both } from './filter';
import { deleteMatching } from './memory-delete';
import { profileDetails } from './profile';
import { present } from './present';
import type { Extractor } from './ports';
import { estimateTokens, queryTerms, tokenize } from './text';
import { parseChatTime } from './time';
import { randomUUID } from 'node:crypto';

export async function getMemory(ctx: EngineContext, caller: Caller, req: GetMemoryRequest) {
  const parsed = parseFilter(req.filter, ctx.config.timezone);
  const filter = both(parsed?.global, parsed?.user);
  const kinds: MemoryKind[] = ['fact', ...(req.include_preference ? (['preference'] as const) : []), ...(req.include_tool_memory ? (['tool'] as const) : [])];
  const pages = await Promise.all(kinds.map((k) => ctx.store.listUserMemories(caller.projectId, req.user_id, k, filter, req.page, req.size)));
  const opts = { detail: true, timezone: ctx.config.timezone };
  const list = (k: MemoryKind) => pages[kinds.indexOf(k)]?.items.map((m) => present(m, opts)) ?? [];
  const total = Math.max(0, ...pages.map((p) => p.total));
  return {
    memory_detail_list: list('fact'),
    preference_detail_list: list('preference'),
    tool_memory_detail_list: list('tool'),
    profile_detail_list: await profileDetails(ctx, caller.projectId, req.user_id),
    total,
    size: req.size,
    current: req.page,
    pages: Math.ceil(total / req.size),
  };
}

export async function getMessages(ctx: EngineContext, caller: Caller, req: GetMessageRequest) {
  // Fetch extra rows so system/tool messages never eat into the user's requested window.
  const rows = await ctx.store.getMessages(caller.projectId, req.user_id, req.conversation_id, req.message_limit_number * 4);
  const chat = rows.filter((m) => (m.role === 'user' || m.role === 'assistant') && m.content).slice(-req.message_limit_number);
  return {
    message_detail_list: chat.map((m) => ({
      role: m.role,
      content: m.content,
      chat_time: m.chatTime,
      create_time: m.eventTime,
      update_time: m.createTime,
    })),
  };
}

export async function deleteMemory(ctx: EngineContext, caller: Caller, req: DeleteMemoryRequest) {
  if (req.memory_ids === undefined) return deleteMatching(ctx, caller, req);
  const ids = [...new Set(req.memory_ids!)];
  const found = await ctx.store.getMemoriesByIds(ids);
  const foreign = found.filter((m) => m.projectId !== caller.projectId);
  if (foreign.length) throw new ApiError(ErrorCode.DeleteForbidden, `memory ${foreign[0].id} belongs to another project`);
  const knownIds = new Set(found.map((m) => m.id));
  const missing = ids.filter((id) => !knownIds.has(id));
  if (missing.length) throw new ApiError(ErrorCode.MemoryToDeleteNotFound, `memory ${missing.join(', ')} was not found`);
  const kb = found.find((m) => m.scope === 'knowledgebase');
  if (kb) throw new ApiError(ErrorCode.InvalidParams, `memory ${kb.id} belongs to a knowledge base; delete its file instead`);
  await ctx.store.deleteMemories(caller.projectId, ids);
  return { success: true };
}

export async function getStatus(ctx: EngineContext, caller: Caller, taskId: string) {
  const t = await ctx.store.getTask(taskId);
  if (!t || t.projectId !== caller.projectId) throw new ApiError(ErrorCode.TaskNotFound, `task ${taskId} was not found`);
  return { task_id: t.id, status: t.status, ...(t.error ? { error: t.error } : {}) };
}

export const EXTRACT_MAX_TOKENS = 8_000;

export async function extractMemory(ctx: EngineContext, req: ExtractMemoryRequest, extractor: Extractor) {
  const tokens = req.messages.reduce((n, m) => n + estimateTokens(m.content), 0);
  if (tokens > EXTRACT_MAX_TOKENS) throw new ApiError(ErrorCode.InputTooLong, `messages hold about ${tokens} tokens; /extract/memory takes at most ${EXTRACT_MAX_TOKENS}`);
  const now = Date.now();
  const messages = req.messages.map((m, index) => ({
    index,
    role: m.role,
    text: m.content,
    time: parseChatTime(m.chat_time, ctx.config.timezone, now) ?? now,
    chatTime: m.chat_time === undefined ? null : String(m.chat_time),
  }));
  const ex = await extractor(messages, { timezone: ctx.config.timezone });
  const types = new Set(req.extraction_types ?? ['memory', 'preference']);
  return {
    success: true,
    ...(types.has('memory')
      ? { memory_detail_list: ex.facts.map((f) => ({ memory_key: f.key, memory_value: f.value, memory_type: f.memoryType, tags: f.tags })) }
      : {}),
    ...(types.has('preference')
      ? { preference_detail_list: ex.preferences.map((p) => ({ preference: p.text, reasoning: p.reasoning, preference_type: p.type })) }
      : {}),
  };
}

/**
 * Lexical reranker: BM25 over the given documents with the query's content terms. It writes nothing and
 * returns the top-level (non-envelope) shape of contract §3.9.
 */
export function rerank(req: RerankRequest) {
  const tokens = estimateTokens(req.query) + req.documents.reduce((n, d) => n + estimateTokens(d), 0);
  if (tokens > EXTRACT_MAX_TOKENS) throw new ApiError(ErrorCode.InputTooLong, `query and documents hold about ${tokens} tokens; the limit is ${EXTRACT_MAX_TOKENS}`);
  const terms = queryTerms(req.query);
  const docs = req.documents.map((d) => tokenize(d).map((t) => t.replace(/['’_-]/g, '')));
  const avgLen = docs.reduce((n, d) => n + d.length, 0) / docs.length || 1;
  const df = new Map(terms.map((t) => [t, docs.filter((d) => d.includes(t)).length]));
  const N = docs.length;
  const raw = docs.map((d) => {
    let s = 0;
    for (const t of terms) {
      const tf = d.filter((x) => x === t).length;
      if (!tf) continue;
      const idf = Math.log(1 + (N - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
      s += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * (d.length / avgLen)));
    }
    return s;
  });
  // Squash to 0-1 so scores are comparable across calls.
  const results = raw
    .map((s, index) => ({ index, document: { text: req.documents[index] }, relevance_score: Math.round((1 - Math.exp(-s / 2)) * 10000) / 10000 }))
    .sort((a, b) => b.relevance_score - a.relevance_score)
    .slice(0, req.top_n ?? req.documents.length);
  return {
    id: randomUUID(),
    model: req.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
    results,
  };
}
