/**
 * Request schemas of the console's JSON routes (/api/console/...). The console's writes go through the MemOS
 * API endpoints themselves; these are the reads the API has no endpoint for, plus task retry.
 */
import { z } from 'zod';
import { conversationId } from './schemas';

const page = z.number().int().min(1).default(1);
const size = (def: number, max: number) => z.number().int().min(1).default(def).transform((n) => Math.min(n, max));
const memoryId = z.string().min(1).max(200);
/** A user id, or the internal subject id of an agent's own memories, as /users lists them. */
const userId = z.string().min(1).max(200);

export const listUsers = z.object({
  search: z.string().max(100).optional().describe('Part of a user id; case-insensitive.'),
  after: z.string().max(100).optional().describe('Cursor: the last user id of the previous page.'),
  size: size(50, 200),
});

export const userDetail = z.object({ user_id: userId });

export const userMemories = z.object({
  user_id: userId,
  kind: z.enum(['fact', 'preference', 'tool', 'skill']).optional(),
  status: z.enum(['activated', 'archived']).optional(),
  page,
  size: size(50, 200),
});

export const memoryDetail = z.object({ memory_id: memoryId });

export const conversation = z.object({
  user_id: userId,
  conversation_id: conversationId,
  after_id: z.number().int().min(0).default(0).describe('Cursor: the id of the last message already shown.'),
  size: size(200, 500),
});

export const listTasks = z.object({
  status: z.enum(['running', 'completed', 'failed']).optional(),
  kind: z.string().max(40).optional(),
  page,
  size: size(50, 200),
});

export const retryTask = z.object({ task_id: z.string().min(1).max(200) });

export const feedbackHistory = z.object({ page, size: size(20, 100) });

export const knowledgebaseChunks = z.object({
  knowledgebase_id: z.string().min(1).max(200),
  file_id: z.string().min(1).max(200),
  page,
  size: size(50, 200),
});

export const usage = z.object({ days: z.number().int().min(1).max(90).default(14) });

export type ListUsersRequest = z.output<typeof listUsers>;
export type UserMemoriesRequest = z.output<typeof userMemories>;
export type ConversationRequest = z.output<typeof conversation>;
export type ListTasksRequest = z.output<typeof listTasks>;
export type KnowledgebaseChunksRequest = z.output<typeof knowledgebaseChunks>;
