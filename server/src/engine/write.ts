/**
 * The write path of /add/message: raw messages are stored, every user/assistant message becomes a fast-mode
 * WorkingMemory searchable as soon as the call returns, and a durable task refines the turn into facts,
 * preferences and tool memories (engine/refine.ts). All of it is one atomic commit.
 */
import type { AddMessageRequest } from '../api/schemas';
import { ApiError, ErrorCode } from '../errors';
import type { MemoryRecord, MessageRecord, TaskRecord } from '../store/types';
import type { Caller, EngineContext } from './context';
import { newTaskId } from './ids';
import { normalizeMessages, type NormalizedMessage } from './messages';
import { buildMemory, matchTags } from './records';
import { estimateTokens } from './text';
import { formatLong } from './time';
import { assertKnowledgebasesLinked } from './kb-access';

export const MAX_MESSAGE_TOKENS = 40_000;

export interface AddMessageResult {
  success: boolean;
  task_id: string;
  status: 'running' | 'completed' | 'failed';
}

/** What the refine task needs, frozen into its payload so a restart can finish it. */
export interface RefinePayload {
  userId: string;
  conversationId: string;
  agentId: string | null;
  appId: string | null;
  tags: string[];
  info: Record<string, unknown>;
  allowPublic: boolean;
  allowKnowledgebaseIds: string[];
  messages: Array<Pick<NormalizedMessage, 'index' | 'role' | 'text' | 'time' | 'toolCalls' | 'toolCallId' | 'chatTime'>>;
  /** fast memory id per message index, so extracted facts can point at their snapshot. */
  fastIds: Record<number, string>;
}

export function fastMemoryValue(m: Pick<NormalizedMessage, 'role' | 'text' | 'time'>, tz: string): string {
  return `${m.role}: [${formatLong(m.time, tz)}]: ${m.text}`;
}

function firstWords(text: string, n = 8): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  return words.length <= n ? words.join(' ') : words.slice(0, n).join(' ') + '…';
}

export async function addMessage(ctx: EngineContext, caller: Caller, req: AddMessageRequest): Promise<AddMessageResult> {
  const now = Date.now();
  const tz = ctx.config.timezone;
  const msgs = normalizeMessages(req.messages, tz, now);
  const tokens = msgs.reduce((n, m) => n + estimateTokens(m.text), 0);
  if (tokens > MAX_MESSAGE_TOKENS)
    throw new ApiError(ErrorCode.MessagesTooLong, `messages hold about ${tokens} tokens; the limit is ${MAX_MESSAGE_TOKENS} per request`);
  const allowKb = req.allow_knowledgebase_ids ?? [];
  await assertKnowledgebasesLinked(ctx, caller, allowKb);

  const taskId = newTaskId();
  const common = {
    projectId: caller.projectId,
    userId: req.user_id,
    conversationId: req.conversation_id,
    agentId: req.agent_id ?? null,
    appId: req.app_id ?? null,
    taskId,
  };
  const messages: MessageRecord[] = msgs.map((m) => ({
    ...common,
    role: m.role,
    content: m.text,
    raw: m.raw,
    chatTime: m.chatTime,
    eventTime: m.time,
    createTime: now,
  }));

  const fastIds: Record<number, string> = {};
  const memories: MemoryRecord[] = [];
  for (const m of msgs) {
    if ((m.role !== 'user' && m.role !== 'assistant') || !m.text.trim()) continue;
    const mem = buildMemory(
      {
        ...common,
        kind: 'fact',
        subtype: 'WorkingMemory',
        key: firstWords(m.text),
        value: fastMemoryValue(m, tz),
        eventTime: m.time,
        tags: matchTags(req.tags, m.text, ['mode:fast']),
        info: req.info ?? {},
        confidence: 0.99,
        sources: [{ role: m.role, content: m.text, chat_time: m.chatTime, message_index: m.index }],
        // A reply is easier to find with the question it answers (and the other way round).
        indexExtra: neighbourText(msgs, m.index),
      },
      now,
    );
    fastIds[m.index] = mem.id;
    memories.push(mem);
  }

  const payload: RefinePayload = {
    userId: req.user_id,
    conversationId: req.conversation_id,
    agentId: common.agentId,
    appId: common.appId,
    tags: req.tags ?? [],
    info: req.info ?? {},
    allowPublic: req.allow_public,
    allowKnowledgebaseIds: allowKb,
    messages: msgs.map(({ index, role, text, time, toolCalls, toolCallId, chatTime }) => ({ index, role, text, time, toolCalls, toolCallId, chatTime })),
    fastIds,
  };
  const task: TaskRecord = {
    id: taskId,
    projectId: caller.projectId,
    kind: 'refine',
    payload: payload as unknown as Record<string, unknown>,
    status: 'running',
    error: null,
    attempts: 0,
    createTime: now,
    updateTime: now,
  };

  try {
    await ctx.store.commit({ messages, memories, newTask: task });
  } catch (err) {
    ctx.log.error({ err }, 'add/message commit failed');
    throw new ApiError(ErrorCode.AddMessageFailed, 'the messages could not be saved; nothing was written, please retry');
  }

  // Images and files always go through the background path (contract §4.9).
  const forceAsync = msgs.some((m) => m.multimodal);
  ctx.tasks.enqueue(task.id);
  if (req.async_mode || forceAsync) return { success: true, task_id: taskId, status: 'running' };
  const done = await ctx.tasks.waitFor(taskId);
  if (done.status === 'failed') throw new ApiError(ErrorCode.AddMemoryFailed, `memory extraction failed: ${done.error ?? 'unknown error'}`);
  return { success: true, task_id: taskId, status: done.status };
}

function neighbourText(msgs: NormalizedMessage[], index: number): string {
  const prev = msgs[index - 1];
  const next = msgs[index + 1];
  // Only the direct question/answer partner: a whole window would let one memory match everything.
  const partner = msgs[index].role === 'assistant' ? prev : next;
  return partner && (partner.role === 'user' || partner.role === 'assistant') ? partner.text.slice(0, 300) : '';
}
