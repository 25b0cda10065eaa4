/**
 * Plugin operations for Coze and Dify (and the tools of the MCP endpoint): the memory API reduced to flat,
 * scalar parameters. Both platforms turn each top-level body field into one tool input and handle only strings,
 * numbers and booleans well (Dify sends anything else as a string; Coze needs a declared type on every field),
 * so lists travel as comma-separated text and messages as two text fields.
 *
 * Each operation translates its flat body into the full request and runs the endpoint declared for that path,
 * through that endpoint's own schema: validation, defaults, error codes and engine call are the ones the
 * regular route uses. An operation whose target endpoint is not mounted is left out.
 */
import { z } from 'zod';
import { validate } from '../../api/validate';
import type { Caller, EngineContext } from '../../engine/context';
import { formatDate } from '../../engine/time';
import { endpoint, type Endpoint } from '../endpoint';

export const PLUGIN_TAG = 'plugin';

/** Coze and Dify send an unfilled optional input as "" (sometimes null); treat it as absent so defaults apply. */
function dropBlanks(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (val !== '' && val !== null) out[k] = val;
  return out;
}
const flat = <T extends z.ZodRawShape>(shape: T) => z.preprocess(dropBlanks, z.object(shape));

/** Booleans sometimes arrive as "true"/"false" text from a workflow variable. */
const flag = (def: boolean, description: string) =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean().default(def)).describe(description);
/** Numbers: Coze's own MemOS plugin declares the limit as a string, so numeric text is accepted too. */
const count = (def: number, description: string) => z.coerce.number().int().min(0).default(def).describe(description);

const userId = z.string().min(1).max(100).describe('Stable id of the end user whose memory this is (at most 100 characters).');
const conversationId = z
  .string()
  .max(100)
  .optional()
  .describe('Short id of the conversation, session or ticket (at most 100 characters). Default: one conversation per user and day.');
const idList = (what: string) => z.string().max(4000).optional().describe(`${what}: comma-separated ids.`);
const kbIds = z
  .string()
  .max(4000)
  .optional()
  .describe('Knowledge bases to search as well: comma-separated ids, or "all" for every knowledge base of the project. Empty: none.');

/** "a, b\nc" → ["a","b","c"]; "all" stays "all". */
export function splitIds(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length ? ids : undefined;
}
const kbSelection = (text: string | undefined): 'all' | string[] | undefined => {
  const ids = splitIds(text);
  return ids && ids.length === 1 && ids[0].toLowerCase() === 'all' ? 'all' : ids;
};

const defaultConversation = (ctx: EngineContext) => `plugin-${formatDate(Date.now(), ctx.config.timezone)}`;

/** Drops undefined values so the target schema sees absent fields, not explicit undefineds. */
const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const searchInput = flat({
  user_id: userId,
  query: z.string().min(1).describe("What to recall: usually the user's current message."),
  conversation_id: conversationId.describe("Current conversation id: its memories rank higher; other conversations' memories are still found."),
  memory_limit_number: count(6, 'How many facts to return (default 6, at most 25).'),
  include_preference: flag(true, 'Also return the preferences the user stated or showed (default true).'),
  preference_limit_number: count(6, 'How many preferences to return (default 6, at most 25).'),
  knowledgebase_ids: kbIds,
  relativity: z.coerce.number().min(0).max(1).optional().describe('Relevance threshold 0-1 (default 0.45); 0 returns everything.'),
});

export const addMessageInput = flat({
  user_id: userId,
  conversation_id: conversationId,
  user_message: z.string().max(100_000).optional().describe('What the user said in this turn.'),
  assistant_message: z.string().max(100_000).optional().describe('What the assistant answered in this turn.'),
  chat_time: z.string().max(100).optional().describe('When the turn happened, e.g. "2025-09-12 08:00:00" (default: now).'),
  agent_id: z.string().max(200).optional().describe('Agent the turn belongs to (stored with the memories, usable to narrow searches).'),
  app_id: z.string().max(200).optional().describe('App the turn belongs to.'),
  tags: z.string().max(4000).optional().describe('Candidate tags, comma-separated; each memory gets the ones that fit.'),
  async_mode: flag(true, 'Return at once (default) or wait until facts and preferences are extracted.'),
});

export const feedbackInput = flat({
  user_id: userId,
  conversation_id: conversationId,
  feedback_content: z.string().min(1).max(20_000).describe('The correction in plain words, e.g. "The office software limit is 600, not 800."'),
  allow_knowledgebase_ids: idList('Knowledge bases the correction is also written into (corrects them for every user)'),
  agent_id: z.string().max(200).optional().describe('Agent the correction belongs to.'),
  app_id: z.string().max(200).optional().describe('App the correction belongs to.'),
  feedback_time: z.string().max(100).optional().describe('When the feedback was given (default: now).'),
  async_mode: flag(true, 'Return at once (default) or wait until the correction is applied.'),
});

export const chatInput = flat({
  user_id: userId,
  query: z.string().min(1).describe("The user's message to answer."),
  conversation_id: conversationId,
  knowledgebase_ids: kbIds,
  system_prompt: z.string().max(20_000).optional().describe('Replaces the built-in system prompt.'),
  add_message_on_answer: flag(true, 'Remember this question and answer (default true).'),
  memory_limit_number: count(9, 'How many facts to recall for the answer (default 9, at most 25).'),
  relativity: z.coerce.number().min(0).max(1).optional().describe('Relevance threshold 0-1 for recalled memories (default 0.45).'),
  temperature: z.coerce.number().min(0).max(2).optional().describe('Sampling temperature 0-2.'),
  max_tokens: z.coerce.number().int().min(1).optional().describe('Longest answer, in tokens.'),
});

const taskResult = z.object({
  success: z.boolean(),
  task_id: z.string().describe('Poll it with /get/status when async_mode is true.'),
  status: z.string().describe('running, completed or failed'),
});

const factItem = z.object({
  id: z.string(),
  memory_key: z.string().describe('Short title.'),
  memory_value: z.string().describe('The remembered fact.'),
  memory_type: z.string().describe('UserMemory, LongTermMemory or WorkingMemory'),
  memory_time: z.string().describe('When it happened or was said, "YYYY-MM-DD HH:MM".'),
  relativity: z.number().describe('Relevance to the query, 0-1.'),
});
const preferenceItem = z.object({
  id: z.string(),
  preference: z.string().describe('The preference.'),
  preference_type: z.string().describe('explicit_preference (stated) or implicit_preference (inferred)'),
  relativity: z.number(),
});
const searchResult = z.object({
  context: z.string().describe('The recalled facts and preferences as prompt-ready lines ("" when nothing relevant is remembered).'),
  memory_count: z.number().int(),
  memory_detail_list: z.array(factItem),
  preference_detail_list: z.array(preferenceItem),
});
const chatResult = z.object({ response: z.string().describe('The answer.') });

type Fact = { id: string; memory_key?: string; memory_value: string; memory_type?: string; memory_time?: string; relativity?: number };
type Pref = { id: string; preference: string; preference_type?: string; relativity?: number };

/** Prompt-ready lines, in the shape of the MemOS prompt template: facts with their time, then preferences. */
export function contextLines(facts: Fact[], prefs: Pref[]): string {
  const lines = [
    ...facts.map((f) => `- [${f.memory_time ?? ''}] ${f.memory_value}`.replace('[] ', '')),
    ...prefs.map((p) => `- [${p.preference_type === 'implicit_preference' ? 'Implicit' : 'Explicit'} Preference] ${p.preference}`),
  ];
  return lines.join('\n');
}

/** Runs the endpoint declared for `path` with a full request body, exactly as its route would. */
export type Runner = (ctx: EngineContext, caller: Caller, body: Record<string, unknown>) => Promise<unknown>;
export function runnerFor(targets: Endpoint[], path: string): Runner | undefined {
  const target = targets.find((t) => t.path === path);
  if (!target) return undefined;
  return async (ctx, caller, body) => target.handler(ctx, caller, validate(target.schema, compact(body)));
}

/** The plugin operations whose target endpoints exist among `targets`. */
export function pluginEndpoints(targets: Endpoint[]): Endpoint[] {
  const out: Endpoint[] = [];
  const search = runnerFor(targets, '/search/memory');
  const add = runnerFor(targets, '/add/message');
  const feedback = runnerFor(targets, '/add/feedback');
  const chat = runnerFor(targets, '/chat');

  if (search)
    out.push(
      endpoint({
        path: '/plugin/search_memory',
        operationId: 'search_memory',
        summary: "Recall what is remembered about the user that is relevant to their message (facts, preferences, knowledge-base passages). Call it before answering.",
        description: 'Flat form of /search/memory. `context` holds the results as lines ready to put into a prompt.',
        tag: PLUGIN_TAG,
        schema: searchInput,
        response: searchResult,
        handler: async (ctx, caller, b) => {
          const r = (await search(ctx, caller, {
            user_id: b.user_id,
            query: b.query,
            conversation_id: b.conversation_id,
            memory_limit_number: b.memory_limit_number,
            include_preference: b.include_preference,
            preference_limit_number: b.preference_limit_number,
            knowledgebase_ids: kbSelection(b.knowledgebase_ids),
            relativity: b.relativity,
          })) as { memory_detail_list: Fact[]; preference_detail_list: Pref[] };
          const facts = r.memory_detail_list.map((m) => ({
            id: m.id,
            memory_key: m.memory_key ?? '',
            memory_value: m.memory_value,
            memory_type: m.memory_type ?? '',
            memory_time: m.memory_time ?? '',
            relativity: m.relativity ?? 0,
          }));
          const prefs = r.preference_detail_list.map((p) => ({
            id: p.id,
            preference: p.preference,
            preference_type: p.preference_type ?? '',
            relativity: p.relativity ?? 0,
          }));
          return { context: contextLines(facts, prefs), memory_count: facts.length + prefs.length, memory_detail_list: facts, preference_detail_list: prefs };
        },
      }),
    );

  if (add)
    out.push(
      endpoint({
        path: '/plugin/add_message',
        operationId: 'add_message',
        summary: "Remember one turn of the conversation: the user's message and/or the assistant's answer. Call it after answering.",
        description: 'Flat form of /add/message. The turn is searchable at once; facts and preferences are extracted in the background.',
        tag: PLUGIN_TAG,
        schema: addMessageInput.superRefine((b, c) => {
          if (!b.user_message?.trim() && !b.assistant_message?.trim())
            c.addIssue({ code: 'custom', path: ['user_message'], message: 'give user_message, assistant_message or both', params: { code: 40002 } });
        }),
        response: taskResult,
        handler: (ctx, caller, b) => {
          const messages = [
            ...(b.user_message?.trim() ? [{ role: 'user', content: b.user_message, chat_time: b.chat_time }] : []),
            ...(b.assistant_message?.trim() ? [{ role: 'assistant', content: b.assistant_message, chat_time: b.chat_time }] : []),
          ].map(compact);
          return add(ctx, caller, {
            user_id: b.user_id,
            conversation_id: b.conversation_id ?? defaultConversation(ctx),
            messages,
            agent_id: b.agent_id,
            app_id: b.app_id,
            tags: splitIds(b.tags),
            async_mode: b.async_mode,
          });
        },
      }),
    );

  if (feedback)
    out.push(
      endpoint({
        path: '/plugin/add_feedback',
        operationId: 'add_feedback',
        summary: 'Correct what is remembered, in plain words, when the user says something remembered is wrong or has changed.',
        description: 'Flat form of /add/feedback. Contradicted memories are archived and the correction is remembered with high priority.',
        tag: PLUGIN_TAG,
        schema: feedbackInput,
        response: taskResult,
        handler: (ctx, caller, b) =>
          feedback(ctx, caller, {
            user_id: b.user_id,
            conversation_id: b.conversation_id ?? defaultConversation(ctx),
            feedback_content: b.feedback_content,
            allow_knowledgebase_ids: splitIds(b.allow_knowledgebase_ids),
            agent_id: b.agent_id,
            app_id: b.app_id,
            feedback_time: b.feedback_time,
            async_mode: b.async_mode,
          }),
      }),
    );

  if (chat)
    out.push(
      endpoint({
        path: '/plugin/chat',
        operationId: 'chat_with_memory',
        summary: "Answer the user's message using what is remembered about them (and knowledge bases), then remember the turn.",
        description: 'Flat form of /chat without streaming.',
        tag: PLUGIN_TAG,
        schema: chatInput,
        response: chatResult,
        handler: async (ctx, caller, b) => {
          const r = (await chat(ctx, caller, {
            user_id: b.user_id,
            conversation_id: b.conversation_id ?? defaultConversation(ctx),
            query: b.query,
            knowledgebase_ids: kbSelection(b.knowledgebase_ids),
            system_prompt: b.system_prompt,
            add_message_on_answer: b.add_message_on_answer,
            memory_limit_number: b.memory_limit_number,
            relativity: b.relativity,
            temperature: b.temperature,
            max_tokens: b.max_tokens,
            stream: false,
          })) as { response?: string };
          return { response: r?.response ?? '' };
        },
      }),
    );

  return out;
}
