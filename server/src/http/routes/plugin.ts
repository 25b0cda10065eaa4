/**
 * Plugin operations for Coze and Dify (and the tools of the MCP endpoint), with their schemas in
 * api/plugin-schemas.ts. Each operation translates its flat body into the full request and runs the endpoint
 * declared for that path, through that endpoint's own schema: validation, defaults, error codes and engine call
 * are the ones the regular route uses. An operation whose target endpoint is not mounted is left out.
 */
import { addMessageInput, chatInput, chatResult, feedbackInput, searchInput, searchResult, taskResult } from '../../api/plugin-schemas';
import type { EngineContext } from '../../engine/context';
import { formatDate } from '../../engine/time';
import { compact, endpoint, PLUGIN_TAG, runnerFor, type Endpoint } from '../endpoint';

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

interface PluginOperation {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** The full endpoint it runs. */
  target: string;
  schema: Endpoint['schema'];
  response: Endpoint['schema'];
  /** The flat body as the target endpoint's request. */
  request: (b: any, ctx: EngineContext) => Record<string, unknown>;
  /** The target's reply as the operation's reply (default: unchanged). */
  reply?: (r: any) => unknown;
}

const operations: PluginOperation[] = [
  {
    path: '/plugin/search_memory',
    operationId: 'search_memory',
    summary: "Recall what is remembered about the user that is relevant to their message (facts, preferences, knowledge-base passages). Call it before answering.",
    description: 'Flat form of /search/memory. `context` holds the results as lines ready to put into a prompt.',
    target: '/search/memory',
    schema: searchInput,
    response: searchResult,
    request: (b) => ({
      user_id: b.user_id,
      query: b.query,
      conversation_id: b.conversation_id,
      memory_limit_number: b.memory_limit_number,
      include_preference: b.include_preference,
      preference_limit_number: b.preference_limit_number,
      knowledgebase_ids: kbSelection(b.knowledgebase_ids),
      relativity: b.relativity,
    }),
    reply: (r: { memory_detail_list: Fact[]; preference_detail_list: Pref[] }) => {
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
  },
  {
    path: '/plugin/add_message',
    operationId: 'add_message',
    summary: "Remember one turn of the conversation: the user's message and/or the assistant's answer. Call it after answering.",
    description: 'Flat form of /add/message. The turn is searchable at once; facts and preferences are extracted in the background.',
    target: '/add/message',
    schema: addMessageInput.superRefine((b, c) => {
      if (!b.user_message?.trim() && !b.assistant_message?.trim())
        c.addIssue({ code: 'custom', path: ['user_message'], message: 'give user_message, assistant_message or both', params: { code: 40002 } });
    }),
    response: taskResult,
    request: (b, ctx) => ({
      user_id: b.user_id,
      conversation_id: b.conversation_id ?? defaultConversation(ctx),
      messages: [
        ...(b.user_message?.trim() ? [{ role: 'user', content: b.user_message, chat_time: b.chat_time }] : []),
        ...(b.assistant_message?.trim() ? [{ role: 'assistant', content: b.assistant_message, chat_time: b.chat_time }] : []),
      ].map(compact),
      agent_id: b.agent_id,
      app_id: b.app_id,
      tags: splitIds(b.tags),
      async_mode: b.async_mode,
    }),
  },
  {
    path: '/plugin/add_feedback',
    operationId: 'add_feedback',
    summary: 'Correct what is remembered, in plain words, when the user says something remembered is wrong or has changed.',
    description: 'Flat form of /add/feedback. Contradicted memories are archived and the correction is remembered with high priority.',
    target: '/add/feedback',
    schema: feedbackInput,
    response: taskResult,
    request: (b, ctx) => ({
      user_id: b.user_id,
      conversation_id: b.conversation_id ?? defaultConversation(ctx),
      feedback_content: b.feedback_content,
      allow_knowledgebase_ids: splitIds(b.allow_knowledgebase_ids),
      agent_id: b.agent_id,
      app_id: b.app_id,
      feedback_time: b.feedback_time,
      async_mode: b.async_mode,
    }),
  },
  {
    path: '/plugin/chat',
    operationId: 'chat_with_memory',
    summary: "Answer the user's message using what is remembered about them (and knowledge bases), then remember the turn.",
    description: 'Flat form of /chat without streaming.',
    target: '/chat',
    schema: chatInput,
    response: chatResult,
    request: (b, ctx) => ({
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
    }),
    reply: (r: { response?: string } | undefined) => ({ response: r?.response ?? '' }),
  },
];

/** The plugin operations whose target endpoints exist among `targets`. */
export function pluginEndpoints(targets: Endpoint[]): Endpoint[] {
  return operations.flatMap(({ target, request, reply, ...op }) => {
    const run = runnerFor(targets, target);
    if (!run) return [];
    return [
      endpoint({
        ...op,
        tag: PLUGIN_TAG,
        handler: async (ctx, caller, b) => {
          const r = await run(ctx, caller, request(b, ctx));
          return reply ? reply(r) : r;
        },
      }),
    ];
  });
}
