/** The memory API (contract §3.1-3.9). Routes only validate and delegate to the engine. */
import * as s from '../../api/schemas';
import { addMessage } from '../../engine/write';
import { searchMemory } from '../../engine/recall';
import { addFeedback } from '../../engine/feedback';
import { deleteMemory, extractMemory, getMemory, getMessages, getStatus, rerank } from '../../engine/reads';
import { getMemoryById, updateMemory } from '../../engine/memory-edit';
import { packageVersion } from '../openapi';
import { endpoint } from '../endpoint';

export const memoryEndpoints = [
  endpoint({
    path: '/add/message',
    operationId: 'addMessage',
    summary: 'Add messages and produce memories',
    description: 'Stores the turn, makes it searchable at once, and extracts facts, preferences and tool memories in a task.',
    tag: 'memory',
    schema: s.addMessage,
    handler: (ctx, caller, body) => addMessage(ctx, caller, body),
  }),
  endpoint({
    path: '/search/memory',
    operationId: 'searchMemory',
    summary: 'Search a user\'s memories',
    description: 'Recalls facts, preferences, tool memories, skills and knowledge-base chunks relevant to a query, in one ranking.',
    tag: 'memory',
    schema: s.searchMemory,
    handler: (ctx, caller, body) => searchMemory(ctx, caller, body),
  }),
  endpoint({
    path: '/get/memory',
    operationId: 'getMemory',
    summary: 'List a user\'s memories (paged)',
    tag: 'memory',
    schema: s.getMemory,
    handler: (ctx, caller, body) => getMemory(ctx, caller, body),
  }),
  endpoint({
    path: '/get/memory/:memory_id',
    method: 'GET',
    operationId: 'getMemoryById',
    summary: 'Get one memory with the messages it was made from',
    description: 'data: the memory (id, memory, memory_key, memory_value...) and metadata {sources[], memory_type, status, key, tags, created_at, updated_at, user_id, session_id}.',
    tag: 'memory',
    schema: s.getMemoryById,
    handler: (ctx, caller, body) => getMemoryById(ctx, caller, body.memory_id),
  }),
  endpoint({
    path: '/update/memory',
    operationId: 'updateMemory',
    summary: 'Edit a memory in place (text, title or status)',
    description: 'The memory keeps its id; its previous text stays as an archived version.',
    tag: 'memory',
    schema: s.updateMemory,
    handler: (ctx, caller, body) => updateMemory(ctx, caller, body),
  }),
  endpoint({
    path: '/ping',
    method: 'GET',
    operationId: 'ping',
    summary: 'Check the base URL and the API key',
    tag: 'memory',
    schema: s.ping,
    handler: () => ({ status: 'ok', server: 'memos-lite', version: packageVersion() }),
  }),
  endpoint({
    path: '/delete/memory',
    operationId: 'deleteMemory',
    summary: 'Delete memories by id, or all memories of a user',
    tag: 'memory',
    schema: s.deleteMemory,
    handler: (ctx, caller, body) => deleteMemory(ctx, caller, body),
  }),
  endpoint({
    path: '/get/message',
    operationId: 'getMessage',
    summary: 'Get the recent raw messages of a conversation',
    tag: 'memory',
    schema: s.getMessage,
    handler: (ctx, caller, body) => getMessages(ctx, caller, body),
  }),
  endpoint({
    path: '/get/status',
    operationId: 'getStatus',
    summary: 'Get the status of an add/feedback task',
    tag: 'memory',
    schema: s.getStatus,
    handler: (ctx, caller, body) => getStatus(ctx, caller, body.task_id),
  }),
  endpoint({
    path: '/add/feedback',
    operationId: 'addFeedback',
    summary: 'Correct memories in plain language',
    tag: 'memory',
    schema: s.addFeedback,
    handler: (ctx, caller, body) => addFeedback(ctx, caller, body),
  }),
  endpoint({
    path: '/extract/memory',
    operationId: 'extractMemory',
    summary: 'Extract facts and preferences from messages without storing them',
    tag: 'memory',
    schema: s.extractMemory,
    handler: (ctx, _caller, body) => extractMemory(ctx, body, ctx.extractor),
  }),
  endpoint({
    path: '/rerank',
    operationId: 'rerank',
    summary: 'Rerank documents by relevance to a query',
    tag: 'memory',
    schema: s.rerank,
    raw: true,
    handler: (_ctx, _caller, body) => rerank(body),
  }),
];
