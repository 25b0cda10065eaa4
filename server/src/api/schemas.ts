/**
 * One zod schema per endpoint. They drive request validation (and its error codes), the TypeScript types the
 * engine receives, and the published OpenAPI document, so those three cannot drift apart.
 * Unknown top-level fields are ignored (newer MemOS clients may send fields this server does not know);
 * filters are checked strictly by engine/filter.ts.
 */
import { z } from 'zod';
import { agentSubject, isReservedUserId } from './subject';
import { checkIdentifier, checkNumericTime, MAX_ID_LIST } from './limits';

export const userId = z
  .string()
  .min(1)
  .max(100)
  .refine((v) => !isReservedUserId(v), 'user_id must not start with a control character')
  .superRefine(checkIdentifier)
  .describe('End-user id (at most 100 characters).');
export const conversationId = z.string().min(1).max(100).superRefine(checkIdentifier).describe('Conversation or task id (at most 100 characters), e.g. an order id.');
export const optionalId = z.string().max(200).superRefine(checkIdentifier);
export const idList = z.array(z.string().min(1).max(200).superRefine(checkIdentifier)).max(MAX_ID_LIST);
/** A time: a date string, or epoch seconds/milliseconds within the years 1-9999. */
export const timeValue = z.union([z.string().max(200), z.number().superRefine(checkNumericTime)]);
export const limit = (def: number, max: number, what: string) =>
  z.number().int().min(0).default(def).transform((n) => Math.min(n, max)).describe(`How many ${what} to return (default ${def}, values above ${max} are clamped).`);
export const filter = z.record(z.string(), z.unknown()).describe('Scope filter (and/or groups, user/public/knowledgebase sources), see the filter language.');
export const knowledgebaseIds = z
  .union([z.literal('all'), idList])
  .describe('Knowledge bases to search: ids, or "all" for every knowledge base linked to the project.');

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string().min(1), detail: z.string().optional() }) });
const filePart = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: z.string().min(1), file_id: z.string().optional(), filename: z.string().optional() }),
});
export const contentPart = z.discriminatedUnion('type', [textPart, imagePart, filePart]);

export const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string().describe('JSON string of the call arguments.') }),
});

export const message = z
  .object({
    role: z.enum(['user', 'assistant', 'system', 'tool']),
    content: z.union([z.string(), z.array(contentPart)]).nullable().optional(),
    chat_time: timeValue.optional().describe('When it was said: "2025-09-12 08:00:00", ISO-8601, epoch or free text.'),
    tool_calls: z.array(toolCall).optional(),
    tool_call_id: z.string().optional(),
    name: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    const empty = m.content === undefined || m.content === null || (typeof m.content === 'string' && m.content === '') || (Array.isArray(m.content) && m.content.length === 0);
    if (empty && !(m.role === 'assistant' && m.tool_calls?.length))
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'content is required (it may be omitted only on an assistant message carrying tool_calls)', params: { code: 40002 } });
    if (m.role === 'tool' && !m.tool_call_id) ctx.addIssue({ code: 'custom', path: ['tool_call_id'], message: 'a tool message needs tool_call_id', params: { code: 40002 } });
  });

/**
 * user_id, or agent_id alone for an agent's own memories (MemOS agent-level memory). The engine receives the
 * subject as `user_id` (an agent's internal subject id, see subject.ts), so every read and write path keeps
 * one notion of "whose memories".
 */
const subjectFields = {
  user_id: userId.optional().describe('End-user id (at most 100 characters); or pass agent_id alone for an agent\'s own memories.'),
  agent_id: optionalId.optional(),
};
type SubjectBody = { user_id?: string; agent_id?: string };
const subjectRule =
  (exactlyOne: boolean) =>
  (b: SubjectBody, ctx: z.RefinementCtx) => {
    if (b.user_id === undefined && !b.agent_id)
      ctx.addIssue({ code: 'custom', path: ['user_id'], message: 'pass user_id (or agent_id for an agent\'s own memories)', params: { code: 40002 } });
    else if (exactlyOne && b.user_id !== undefined && b.agent_id)
      ctx.addIssue({ code: 'custom', path: [], message: 'pass exactly one of user_id or agent_id, not both' });
  };
const toSubject = <T extends SubjectBody>(b: T) => ({ ...b, user_id: b.user_id ?? agentSubject(b.agent_id!) });

export const addMessage = z.object({
  ...subjectFields,
  conversation_id: conversationId,
  messages: z.array(message).min(1).describe('The turn(s) to remember, OpenAI chat format.'),
  app_id: optionalId.optional(),
  tags: z.array(z.string().min(1).max(100)).max(50).optional().describe('Candidate custom tags; each memory gets the ones that fit.'),
  info: z.record(z.string(), z.unknown()).optional().describe('Custom key/values stored with the memories, usable in filters.'),
  allow_public: z.boolean().default(false),
  allow_knowledgebase_ids: idList.optional(),
  async_mode: z.boolean().default(true).describe('Return at once with a task_id (default), or wait until extraction completes.'),
})
  .superRefine(subjectRule(false))
  .transform(toSubject);

export const searchMemory = z.object({
  ...subjectFields,
  query: z.string().min(1).describe('What to recall, usually the user\'s current message.'),
  conversation_id: conversationId.optional().describe('Boosts this conversation\'s memories; does not exclude others.'),
  filter: filter.optional(),
  knowledgebase_ids: knowledgebaseIds.optional(),
  memory_limit_number: limit(9, 25, 'fact memories'),
  include_preference: z.boolean().default(true),
  preference_limit_number: limit(9, 25, 'preferences'),
  include_tool_memory: z.boolean().default(false),
  tool_memory_limit_number: limit(6, 25, 'tool memories'),
  include_skill: z.boolean().default(false),
  skill_limit_number: limit(6, 25, 'skills'),
  relativity: z.number().min(0).max(1).default(0.45).describe('Drop results below this relevance (0-1); 0 turns the threshold off.'),
})
  .superRefine(subjectRule(true))
  .transform(toSubject);

/** Page number; `current` (what the response calls it, and what some clients send) is read as `page`. */
export const pageFields = {
  page: z.number().int().min(1).optional().describe('Page number (default 1).'),
  current: z.number().int().min(1).optional().describe('Same as page.'),
};
export const toPage = <T extends { page?: number; current?: number }>(b: T) => ({ ...b, page: b.page ?? b.current ?? 1 });

export const getMemory = z.object({
  ...subjectFields,
  ...pageFields,
  size: z.number().int().min(1).default(10).transform((n) => Math.min(n, 50)),
  filter: filter.optional(),
  include_preference: z.boolean().default(true),
  include_tool_memory: z.boolean().default(false),
})
  .superRefine(subjectRule(true))
  .transform((b) => toPage(toSubject(b)));

/** What delete/memory's memory_type narrows to: a category, or a type as the items show it. */
export const MEMORY_TYPES = [
  'fact',
  'preference',
  'tool',
  'skill',
  'WorkingMemory',
  'LongTermMemory',
  'UserMemory',
  'explicit_preference',
  'implicit_preference',
  'ToolSchemaMemory',
  'ToolTrajectoryMemory',
] as const;

export const deleteMemory = z
  .object({
    memory_ids: z.array(z.string().min(1).max(200).superRefine(checkIdentifier)).min(1).max(MAX_ID_LIST).optional(),
    user_id: userId.optional(),
    agent_id: optionalId.min(1).optional().describe('Delete an agent\'s own memories (those written with agent_id and no user_id).'),
    filter: filter.optional().describe('Delete the project\'s user and agent memories that match this filter (global and/or/conditions).'),
    memory_type: z.enum(MEMORY_TYPES).optional().describe('With user_id, agent_id or filter: only memories of this category or type.'),
    conversation_id: z.unknown().optional(),
    knowledgebase_id: z.unknown().optional(),
  })
  .superRefine((b, ctx) => {
    const modes = [b.memory_ids, b.user_id, b.agent_id, b.filter].filter((m) => m !== undefined).length;
    if (b.conversation_id !== undefined || b.knowledgebase_id !== undefined)
      ctx.addIssue({ code: 'custom', path: [], message: 'deleting by conversation_id or knowledgebase_id is not supported; pass memory_ids, user_id, agent_id or filter' });
    else if (modes > 1) ctx.addIssue({ code: 'custom', path: [], message: 'pass exactly one of memory_ids, user_id, agent_id or filter' });
    else if (modes === 0) ctx.addIssue({ code: 'custom', path: ['memory_ids'], message: 'pass memory_ids, user_id, agent_id or filter', params: { code: 40002 } });
  });

export const getMessage = z.object({
  user_id: userId,
  conversation_id: conversationId,
  message_limit_number: z.number().int().min(1).default(6).transform((n) => Math.min(n, 50)),
});

export const getStatus = z.object({ task_id: z.string().min(1).max(200).superRefine(checkIdentifier) });

export const addFeedback = z.object({
  user_id: userId,
  conversation_id: conversationId,
  feedback_content: z.string().min(1).describe('The correction in plain language, e.g. "The limit is 600, not 800."'),
  agent_id: optionalId.optional(),
  app_id: optionalId.optional(),
  feedback_time: timeValue.optional(),
  allow_public: z.boolean().default(false),
  allow_knowledgebase_ids: idList.optional(),
  async_mode: z.boolean().default(true),
});

export const extractMemory = z.object({
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant', 'system']), content: z.string().min(1), chat_time: timeValue.optional() }))
    .min(1),
  extraction_types: z.array(z.enum(['memory', 'preference'])).min(1).optional(),
});

export const rerank = z.object({
  model: z.enum(['memos-reranker-0.6b', 'memos-reranker-4b']).default('memos-reranker-0.6b'),
  query: z.string().min(1),
  documents: z.array(z.string()).min(1).max(MAX_ID_LIST),
  top_n: z.number().int().min(1).optional(),
});

export const getMemoryById = z.object({
  memory_id: z.string().min(1).max(200).describe('The memory id, as returned by search/memory or get/memory.'),
});

export const MEMORY_STATUSES = ['activated', 'archived'] as const;
export const updateMemory = z
  .object({
    memory_id: z.string().min(1).max(200).describe('The memory to edit.'),
    content: z.string().min(1).max(100_000).optional().describe('New text of the memory; the previous text is kept as an archived version.'),
    title: z.string().min(1).max(500).optional().describe('New title (memory_key).'),
    status: z.enum(MEMORY_STATUSES).optional().describe('archived takes the memory out of recall (it stays traceable); activated brings it back.'),
  })
  .superRefine((b, ctx) => {
    if (b.content === undefined && b.title === undefined && b.status === undefined)
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'pass content, title or status', params: { code: 40002 } });
  });

export const ping = z.object({});

export type AddMessageRequest = z.output<typeof addMessage>;
export type UpdateMemoryRequest = z.output<typeof updateMemory>;
export type SearchMemoryRequest = z.output<typeof searchMemory>;
export type GetMemoryRequest = z.output<typeof getMemory>;
export type DeleteMemoryRequest = z.output<typeof deleteMemory>;
export type GetMessageRequest = z.output<typeof getMessage>;
export type AddFeedbackRequest = z.output<typeof addFeedback>;
export type ExtractMemoryRequest = z.output<typeof extractMemory>;
export type RerankRequest = z.output<typeof rerank>;
export type MessageInput = z.output<typeof message>;

/** Fields whose empty list means 40003 ("field is empty") rather than 40002. */
export const EMPTY_LIST_FIELDS = new Set(['file', 'documents', 'file_ids']);
/** Codes tied to particular fields. */
export const FIELD_CODES: Record<string, number> = {
  user_id: 40010,
  conversation_id: 40011,
  relativity: 40012,
};
