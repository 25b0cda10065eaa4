/**
 * Table rows as records, for both backends: the tables have the same columns on SQLite and on PostgreSQL. What
 * differs is how a JSON column arrives (SQLite hands back its text, PostgreSQL the parsed value), so each backend
 * binds these readers to its own JSON reader (sqlite/rows.ts, postgres/rows.ts).
 */
import { randomUUID } from 'node:crypto';
import { valueSignature } from './signature';
import type {
  ApiKeyRecord,
  KnowledgebaseFileRecord,
  KnowledgebaseRecord,
  MemoryRecord,
  MessageRecord,
  ProfileRecord,
  ProfileTemplateRecord,
  ProjectRecord,
  TaskRecord,
  UsageDelta,
} from './types';

export type Row = Record<string, any>;

/** A JSON column's value as the backend returns it → the value it holds. */
export type JsonColumn = (column: any) => any;

export const newProject = (name: string): ProjectRecord => ({ id: 'proj-' + randomUUID().replace(/-/g, '').slice(0, 16), name, createTime: Date.now() });

export function rowReaders(json: JsonColumn) {
  return {
    toProject: (r: Row): ProjectRecord => ({ id: r.id, name: r.name, createTime: r.create_time }),

    toKey: (r: Row): ApiKeyRecord => ({
      id: r.id,
      projectId: r.project_id,
      prefix: r.prefix,
      label: r.label,
      createTime: r.create_time,
      revokedTime: r.revoked_time,
      readOnly: !!r.read_only,
    }),

    toKnowledgebase: (r: Row): KnowledgebaseRecord => ({
      id: r.id,
      name: r.name,
      description: r.description,
      projectId: r.project_id,
      createTime: r.create_time,
    }),

    /** Selected with the knowledge-base files' FILE_SELECT: a file whose task failed for good reads as failed, with the task's error. */
    toFile: (r: Row): KnowledgebaseFileRecord => ({
      id: r.id,
      knowledgebaseId: r.knowledgebase_id,
      projectId: r.project_id,
      type: r.type,
      name: r.name,
      ext: r.ext,
      sizeBytes: r.size_bytes,
      status: r.status === 'running' && r.task_status === 'failed' ? 'failed' : r.status,
      error: r.error ?? (r.task_status === 'failed' ? r.task_error : null),
      sourceUrl: r.source_url,
      taskId: r.task_id,
      chunkCount: r.chunk_count,
      createTime: r.create_time,
      updateTime: r.update_time,
    }),

    toMemory: (r: Row): MemoryRecord => ({
      id: r.id,
      projectId: r.project_id,
      scope: r.scope,
      userId: r.user_id,
      knowledgebaseId: r.knowledgebase_id,
      kind: r.kind,
      subtype: r.subtype,
      key: r.key,
      value: r.value,
      data: r.data ? json(r.data) : null,
      searchText: r.search_text,
      tags: json(r.tags),
      info: json(r.info),
      agentId: r.agent_id,
      appId: r.app_id,
      conversationId: r.conversation_id,
      status: r.status,
      confidence: r.confidence,
      priority: r.priority,
      eventTime: r.event_time,
      createTime: r.create_time,
      updateTime: r.update_time,
      stateKey: r.state_key,
      supersededBy: r.superseded_by,
      sources: json(r.sources),
      taskId: r.task_id,
    }),

    toMessage: (r: Row): MessageRecord => ({
      id: r.id,
      projectId: r.project_id,
      userId: r.user_id,
      conversationId: r.conversation_id,
      role: r.role,
      content: r.content,
      raw: json(r.raw),
      chatTime: r.chat_time,
      eventTime: r.event_time,
      createTime: r.create_time,
      agentId: r.agent_id,
      appId: r.app_id,
      taskId: r.task_id,
    }),

    toTask: (r: Row): TaskRecord => ({
      id: r.id,
      projectId: r.project_id,
      kind: r.kind,
      payload: json(r.payload),
      status: r.status,
      error: r.error,
      attempts: r.attempts,
      createTime: r.create_time,
      updateTime: r.update_time,
    }),

    toUsage: (r: Row): UsageDelta => ({
      projectId: r.project_id,
      day: r.day,
      operation: r.operation,
      requests: r.requests,
      errors: r.errors,
      latency: json(r.latency),
      llmCalls: r.llm_calls,
      llmPromptTokens: r.llm_prompt_tokens,
      llmCompletionTokens: r.llm_completion_tokens,
      embeddingCalls: r.embedding_calls,
      embeddingTokens: r.embedding_tokens,
    }),

    toTemplate: (r: Row): ProfileTemplateRecord => ({ id: r.id, name: r.name, metadata: json(r.metadata), createTime: r.create_time }),

    toProfile: (r: Row): ProfileRecord => ({
      id: r.id,
      projectId: r.project_id,
      subject: r.subject,
      templateId: r.template_id,
      metadata: json(r.metadata),
      createTime: r.create_time,
      updateTime: r.update_time,
    }),
  };
}

/** The memories table's columns as every backend inserts them, and a record's values in that order (JSON as text). */
export const MEMORY_INSERT_COLUMNS =
  'id, project_id, scope, user_id, knowledgebase_id, kind, subtype, key, value, data, search_text, tags, info, ' +
  'agent_id, app_id, conversation_id, status, confidence, priority, event_time, create_time, update_time, state_key, superseded_by, sources, task_id, value_sig';

export const memoryInsertValues = (m: MemoryRecord): unknown[] => [
  m.id,
  m.projectId,
  m.scope,
  m.userId,
  m.knowledgebaseId,
  m.kind,
  m.subtype,
  m.key,
  m.value,
  m.data ? JSON.stringify(m.data) : null,
  m.searchText,
  JSON.stringify(m.tags ?? null),
  JSON.stringify(m.info ?? null),
  m.agentId,
  m.appId,
  m.conversationId,
  m.status,
  m.confidence,
  m.priority,
  m.eventTime,
  m.createTime,
  m.updateTime,
  m.stateKey,
  m.supersededBy,
  JSON.stringify(m.sources ?? null),
  m.taskId,
  valueSignature(m.kind, m.value),
];
