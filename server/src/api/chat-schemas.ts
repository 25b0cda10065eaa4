/** /chat (contract §3.10): recall with the search scoping, generate, then remember the turn. */
import { z } from 'zod';
import { conversationId, filter, idList, knowledgebaseIds, limit, optionalId, userId } from './schemas';

export const chat = z.object({
  user_id: userId,
  conversation_id: conversationId.describe('The current conversation: its memories and recent turns are prioritised.'),
  query: z.string().min(1).describe('The user\'s message (at most 8,000 tokens).'),
  filter: filter.optional(),
  knowledgebase_ids: knowledgebaseIds.optional(),
  memory_limit_number: limit(9, 25, 'fact memories to inject'),
  include_preference: z.boolean().default(true),
  preference_limit_number: limit(9, 25, 'preferences to inject'),
  relativity: z.number().min(0).max(1).default(0.45).describe('Drop memories below this relevance (0-1); 0 turns the threshold off.'),
  model_name: z.string().min(1).max(100).optional().describe('A model from the server\'s MEMOS_LLM_MODEL list; other names use the default model.'),
  system_prompt: z.string().max(20_000).optional().describe('Replaces the built-in system prompt; {{memories}} marks where the recalled memories go (else they follow it).'),
  stream: z.boolean().default(false).describe('Answer as server-sent events: data: {"type":"text","data":"..."} frames, then {"type":"end"}.'),
  max_tokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  add_message_on_answer: z.boolean().default(true).describe('Remember the query and the answer (in the background).'),
  agent_id: optionalId.optional(),
  app_id: optionalId.optional(),
  tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  info: z.record(z.string(), z.unknown()).optional(),
  allow_public: z.boolean().default(false),
  allow_knowledgebase_ids: idList.optional(),
});

export type ChatRequest = z.output<typeof chat>;
