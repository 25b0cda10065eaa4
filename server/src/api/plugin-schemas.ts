/**
 * Request and reply schemas of the plugin operations for Coze and Dify (and the MCP tools): the memory API
 * reduced to flat, scalar parameters. Both platforms turn each top-level body field into one tool input and
 * handle only strings, numbers and booleans well (Dify sends anything else as a string; Coze needs a declared
 * type on every field), so lists travel as comma-separated text and messages as two text fields.
 * http/routes/plugin.ts translates each flat body into the full request of its target endpoint.
 */
import { z } from 'zod';

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

export const taskResult = z.object({
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
export const searchResult = z.object({
  context: z.string().describe('The recalled facts and preferences as prompt-ready lines ("" when nothing relevant is remembered).'),
  memory_count: z.number().int(),
  memory_detail_list: z.array(factItem),
  preference_detail_list: z.array(preferenceItem),
});
export const chatResult = z.object({ response: z.string().describe('The answer.') });

