/**
 * /chat (contract §3.10, §4.14): recall with the scoping of /search/memory, assemble the prompt
 * (engine/prompt.ts), answer, then remember the turn through the /add/message write path.
 *
 * The answer comes from the configured language model. Without one, or when the model fails (timeout,
 * rate limit, error status, an unusable reply), the offline answer quotes the recalled memories, labelled
 * as such; the failure is logged. Everything that can be refused (input size, knowledge-base access) is
 * refused before any answering starts, so errors still come back as the envelope, streaming or not.
 *
 * What is remembered: the user's query always; the answer only when a model wrote it. An offline answer is
 * a quotation of existing memories, and storing it would only make each of them come back twice.
 */
import type { ChatRequest } from '../api/chat-schemas';
import { ApiError, ErrorCode } from '../errors';
import { LlmError, type GenerateOptions } from '../providers/llm';
import type { MemoryKind, MemoryRecord } from '../store/types';
import type { Caller, EngineContext } from './context';
import { assertKnowledgebasesLinked } from './kb-access';
import { OFFLINE_ANSWER_TYPE, offlineAnswer } from './offline-answer';
import { chatMessages, memoryText, type PromptInput } from './prompt';
import { recall, recallOptions, type Ranked } from './recall';
import { estimateTokens } from './text';
import { addMessage } from './write';

export const MAX_CHAT_INPUT_TOKENS = 8_000;
export const MAX_CHAT_OUTPUT_TOKENS = 8_192;
/** Earlier messages of the conversation put before the query. */
const HISTORY_MESSAGES = 10;
/** Uploaded skills injected when knowledge bases are searched (contract: knowledgebase_ids "also searches uploaded skills"). */
const KB_SKILL_LIMIT = 3;

export const MODEL_ANSWER_TYPE = 'model';

interface Prepared {
  prompt: PromptInput;
  recalled: Ranked[];
  generate: GenerateOptions;
}

const normalise = (s: string) => s.toLowerCase().replace(/[\s\p{P}]+/gu, ' ').trim();

const usesKnowledgebases = (ids: ChatRequest['knowledgebase_ids']) => ids === 'all' || (Array.isArray(ids) && ids.length > 0);

async function prepare(ctx: EngineContext, caller: Caller, req: ChatRequest): Promise<Prepared> {
  const tokens = estimateTokens(req.query);
  if (tokens > MAX_CHAT_INPUT_TOKENS)
    throw new ApiError(ErrorCode.ChatInputTooLong, `the query holds about ${tokens} tokens; /chat takes at most ${MAX_CHAT_INPUT_TOKENS}`);
  if (req.max_tokens !== undefined && req.max_tokens > MAX_CHAT_OUTPUT_TOKENS)
    throw new ApiError(ErrorCode.ChatOutputTooLong, `max_tokens ${req.max_tokens} is over the allowance of ${MAX_CHAT_OUTPUT_TOKENS}`);
  // Checked now: once an answer has been given, a refused write-back would be too late to report cleanly.
  if (req.add_message_on_answer) await assertKnowledgebasesLinked(ctx, caller, req.allow_knowledgebase_ids ?? []);

  const kb = usesKnowledgebases(req.knowledgebase_ids);
  const limits: Partial<Record<MemoryKind, number>> = {
    fact: req.memory_limit_number,
    preference: req.include_preference ? req.preference_limit_number : 0,
    skill: kb ? KB_SKILL_LIMIT : 0,
  };
  const recalled = await recall(ctx, caller, recallOptions(req, limits));
  // A repeated question finds its own earlier asking first; that tells the model nothing.
  const asked = normalise(req.query);
  const useful = recalled.filter((r) => r.memory.kind !== 'fact' || normalise(memoryText(r.memory).text) !== asked);
  const of = (pick: (m: MemoryRecord) => boolean) => useful.map((r) => r.memory).filter(pick);
  const history = (await ctx.store.getMessages(caller.projectId, req.user_id, req.conversation_id, HISTORY_MESSAGES * 3))
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.content.trim())
    .slice(-HISTORY_MESSAGES)
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));

  return {
    prompt: {
      query: req.query,
      now: Date.now(),
      timezone: ctx.config.timezone,
      facts: of((m) => m.kind === 'fact' && m.scope !== 'knowledgebase'),
      preferences: of((m) => m.kind === 'preference'),
      knowledge: of((m) => m.kind === 'fact' && m.scope === 'knowledgebase'),
      skills: of((m) => m.kind === 'skill'),
      history,
      systemPrompt: req.system_prompt,
      knowledgebase: kb,
    },
    recalled: useful,
    generate: { model: req.model_name, maxTokens: req.max_tokens, temperature: req.temperature, topP: req.top_p },
  };
}

function logModelFailure(ctx: EngineContext, err: unknown) {
  const reason = err instanceof LlmError ? err.reason : 'unexpected';
  ctx.log.warn({ reason, err: (err as Error)?.message ?? String(err) }, 'chat model failed; answering offline');
}

/** Remembers the turn through the /add/message write path (refined in the background). */
async function remember(ctx: EngineContext, caller: Caller, req: ChatRequest, answer: string, byModel: boolean): Promise<void> {
  if (!req.add_message_on_answer) return;
  try {
    await addMessage(ctx, caller, {
      user_id: req.user_id,
      conversation_id: req.conversation_id,
      messages: [{ role: 'user', content: req.query }, ...(byModel ? [{ role: 'assistant' as const, content: answer }] : [])],
      agent_id: req.agent_id,
      app_id: req.app_id,
      tags: req.tags,
      info: req.info,
      allow_public: req.allow_public,
      allow_knowledgebase_ids: req.allow_knowledgebase_ids,
      async_mode: true,
    });
  } catch (err) {
    ctx.log.error({ err }, 'chat write-back failed');
    const detail = err instanceof ApiError ? err.message : 'the turn could not be saved';
    throw new ApiError(ErrorCode.AddMessageFailed, `the answer was given but the conversation was not remembered: ${detail}`);
  }
}

const referenceIds = (recalled: Ranked[]) => recalled.map((r) => r.memory.id);

export async function chat(ctx: EngineContext, caller: Caller, req: ChatRequest) {
  const p = await prepare(ctx, caller, req);
  let answer: string | undefined;
  let modelFailed = false;
  if (ctx.llm) {
    try {
      answer = await ctx.llm.complete(chatMessages(p.prompt), p.generate);
    } catch (err) {
      modelFailed = true;
      logModelFailure(ctx, err);
    }
  }
  const byModel = answer !== undefined;
  answer ??= offlineAnswer(req.query, p.prompt, ctx.config.timezone, { modelFailed });
  await remember(ctx, caller, req, answer, byModel);
  return { response: answer, answer_type: byModel ? MODEL_ANSWER_TYPE : OFFLINE_ANSWER_TYPE, reference: referenceIds(p.recalled) };
}

/** The offline answer streamed line by line, so a streaming client sees the same frames either way. */
function* linesOf(text: string): Generator<string> {
  const parts = text.split(/(?<=\n)/);
  for (const part of parts) if (part) yield part;
}

/** One streamed piece of a chat answer; the HTTP layer writes each as an SSE frame. */
export type ChatEvent = { type: string; [field: string]: unknown };

export async function chatStream(ctx: EngineContext, caller: Caller, req: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<ChatEvent>> {
  const p = await prepare(ctx, caller, req);
  let deltas: AsyncIterable<string> | undefined;
  let modelFailed = false;
  if (ctx.llm) {
    try {
      deltas = await ctx.llm.stream(chatMessages(p.prompt), { ...p.generate, signal });
    } catch (err) {
      if (signal.aborted) return (async function* () {})();
      modelFailed = true;
      logModelFailure(ctx, err);
    }
  }
  return (async function* (): AsyncGenerator<ChatEvent> {
    let answer = '';
    if (deltas) {
      try {
        for await (const piece of deltas) {
          answer += piece;
          yield { type: 'text', data: piece };
        }
      } catch (err) {
        if (signal.aborted) return;
        logModelFailure(ctx, err);
        // Part of an answer has been shown; it cannot be swapped for another one any more.
        throw new ApiError(ErrorCode.OperationFailed, `the language model stopped in the middle of the answer: ${(err as Error).message}`);
      }
    } else {
      answer = offlineAnswer(req.query, p.prompt, ctx.config.timezone, { modelFailed });
      for (const line of linesOf(answer)) yield { type: 'text', data: line };
    }
    yield { type: 'reference', data: referenceIds(p.recalled) };
    // A client that left did not receive the answer: do not remember it as given.
    if (signal.aborted) return;
    await remember(ctx, caller, req, answer, deltas !== undefined);
    yield { type: 'end' };
  })();
}
