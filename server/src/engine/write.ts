/**
 * The write path of /add/message: raw messages are stored, every user/assistant message becomes a fast-mode
 * WorkingMemory searchable as soon as the call returns, and a durable task refines the turn into facts,
 * preferences and tool memories (engine/refine.ts). All of it is one atomic commit.
 */
import type { AddMessageRequest } from '../api/schemas';
import { ApiError, ErrorCode } from '../errors';
import type { MemoryRecord, MessageRecord } from '../store/types';
import type { Caller, EngineContext } from './context';
import { newTaskId } from './ids';
import { newTask, submitTasks } from './tasks';
import type { ContextTurn } from './turn-cache';
import { normalizeMessages, type NormalizedMessage } from './messages';
import { buildMemory, matchTags } from './records';
import { estimateTokens, indexText, joinIndexedFields } from './text';
import { formatLong } from './time';
import type { RefinePayload } from './refine';
import { assertKnowledgebasesLinked } from './kb-access';
import { learnProfiles } from './profile';

export const MAX_MESSAGE_TOKENS = 40_000;

export interface AddMessageResult {
  success: boolean;
  task_id: string;
  status: 'running' | 'completed' | 'failed';
}

/** "user: [09:44 AM on 10 December, 2025 UTC]: …"; a named speaker (OpenAI `name`) reads "Ann (user): …". */
export function fastMemoryValue(m: Pick<NormalizedMessage, 'role' | 'text' | 'time'> & { name?: string }, tz: string): string {
  return `${m.name ? `${m.name} (${m.role})` : m.role}: [${formatLong(m.time, tz)}]: ${m.text}`;
}

/** The speaker's name, when the message carries OpenAI's optional `name` (group chats, multi-party transcripts). */
function speakerName(m: NormalizedMessage): string | undefined {
  const name = (m.raw as { name?: unknown }).name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** "8 May 2023": indexed with a fast memory so "what did I do in May 2023?" finds it (time of day and zone are not). */
function dayWords(ms: number, tz: string): string {
  let f = dayFormats.get(tz);
  if (!f) dayFormats.set(tz, (f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'long', year: 'numeric' })));
  return f.format(ms);
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
  const chat = msgs.filter((m) => (m.role === 'user' || m.role === 'assistant') && m.text.trim());
  // Turns said just before this call, so the first turns of a call get context too.
  const earlier = chat.length ? await earlierTurns(ctx, caller, req) : [];
  const turns: ContextTurn[] = [...earlier, ...chat.map((m) => ({ role: m.role, text: m.text }))];
  // Each turn is indexed once and reused as context of its neighbours.
  const clipped = turns.map((t) => indexText(t.text.slice(0, CONTEXT_CHARS)));
  for (const [ci, m] of chat.entries()) {
    const name = speakerName(m);
    const mem = buildMemory(
      {
        ...common,
        kind: 'fact',
        subtype: 'WorkingMemory',
        key: firstWords(m.text),
        value: fastMemoryValue({ ...m, name }, tz),
        eventTime: m.time,
        tags: matchTags(req.tags, m.text, ['mode:fast']),
        info: req.info ?? {},
        confidence: 0.99,
        sources: [{ role: m.role, content: m.text, chat_time: m.chatTime, message_index: m.index, ...(name ? { name } : {}) }],
        index: fastIndex(m.text, dayWords(m.time, tz), name, turns, clipped, earlier.length + ci),
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
  const task = newTask(caller.projectId, 'refine', payload, taskId, now);

  // Images and files always go through the background path (contract §4.9).
  const background = req.async_mode || msgs.some((m) => m.multimodal);
  const { status } = await submitTasks(ctx, {
    batch: { messages, memories },
    tasks: [task],
    saveFailed: {
      log: 'add/message commit failed',
      code: ErrorCode.AddMessageFailed,
      message: 'the messages could not be saved; nothing was written, please retry',
    },
    waitOrFail: background ? undefined : { code: ErrorCode.AddMemoryFailed, message: 'memory extraction failed' },
    // What follows from the stored turns, before their refinement is queued.
    afterCommit: async () => {
      if (chat.length) ctx.turns.remember(caller.projectId, req.user_id, req.conversation_id, turns.slice(-NEAR_TURNS));
      await learnProfiles(ctx, caller.projectId, req.user_id, msgs.filter((m) => m.role === 'user').map((m) => m.text)).catch((err) =>
        ctx.log.error({ err }, 'profile update failed; the messages were saved'),
      );
    },
  });
  return { success: true, task_id: taskId, status };
}

/** How many turns on each side count as a turn's surroundings. */
const NEAR_TURNS = 2;
const CONTEXT_CHARS = 200;

/**
 * A fast memory's index: its own text and day, its speaker, and what is said around it, the latter at a lower
 * weight (recall.ts) so a turn can be found by the words of its exchange: an answer ("Yes, the clarinet!") by
 * its question ("Do you play any instruments?"). The direct question/answer partner counts more than the other
 * nearby turns. The memory's value never includes them, so what a search returns stays one turn long.
 */
function fastIndex(text: string, day: string, name: string | undefined, turns: ContextTurn[], clipped: string[], i: number): string {
  const partnerAt = turns[i].role === 'assistant' ? i - 1 : i + 1;
  const near: string[] = [];
  for (let d = 1; d <= NEAR_TURNS; d++) for (const j of [i - d, i + d]) if (j !== partnerAt && clipped[j]) near.push(clipped[j]);
  return joinIndexedFields([indexText(`${text} ${day}`), name ? indexText(name) : '', clipped[partnerAt] ?? '', near.join(' ')]);
}

/** The conversation's last turns before this call: from the engine's turn cache (engine/turn-cache.ts), else the messages. */
async function earlierTurns(ctx: EngineContext, caller: Caller, req: AddMessageRequest): Promise<ContextTurn[]> {
  // With replicas another process may have written the conversation's latest turns: the database decides.
  const cached = ctx.store.shared ? undefined : ctx.turns.get(caller.projectId, req.user_id, req.conversation_id);
  if (cached) return cached;
  const rows = await ctx.store.getMessages(caller.projectId, req.user_id, req.conversation_id, NEAR_TURNS * 2);
  return rows
    .filter((r) => (r.role === 'user' || r.role === 'assistant') && r.content.trim())
    .slice(-NEAR_TURNS)
    .map((r) => ({ role: r.role, text: r.content }));
}
