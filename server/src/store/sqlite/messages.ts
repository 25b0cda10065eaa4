/** Raw conversation messages. */
import type { ConversationSummary, MessageRecord } from '../types';
import { json, type Row, type SqliteDb } from './connection';
import { toMessage } from './rows';

/** Part of a commit (commit.ts). */
export function insertMessage(db: SqliteDb, msg: MessageRecord) {
  db.q(
    `INSERT INTO messages(project_id, user_id, conversation_id, role, content, raw, chat_time, event_time, create_time, agent_id, app_id, task_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(msg.projectId, msg.userId, msg.conversationId, msg.role, msg.content, json(msg.raw), msg.chatTime, msg.eventTime, msg.createTime, msg.agentId, msg.appId, msg.taskId);
}

/** A conversation's latest `limit` messages, oldest first. */
export function getMessages(db: SqliteDb, projectId: string, userId: string, conversationId: string, limit: number): MessageRecord[] {
  const rows = db.q('SELECT * FROM messages WHERE project_id = ? AND user_id = ? AND conversation_id = ? ORDER BY event_time DESC, id DESC LIMIT ?').all(
    projectId,
    userId,
    conversationId,
    limit,
  ) as Row[];
  return rows.reverse().map(toMessage);
}

/** A user's conversations, the most recently active first. */
export function listConversations(db: SqliteDb, projectId: string, userId: string, limit: number): ConversationSummary[] {
  return (
    db.q(
      'SELECT conversation_id, COUNT(*) AS n, MIN(event_time) AS first, MAX(event_time) AS last FROM messages WHERE project_id = ? AND user_id = ? GROUP BY conversation_id ORDER BY last DESC LIMIT ?',
    ).all(projectId, userId, limit) as Row[]
  ).map((r) => ({ conversationId: r.conversation_id, messages: r.n, firstTime: r.first, lastTime: r.last }));
}

/** A conversation's messages in the order they were written, after the message with id `afterId`. */
export function conversationMessages(db: SqliteDb, projectId: string, userId: string, conversationId: string, o: { afterId: number; limit: number }): MessageRecord[] {
  return (
    db.q('SELECT * FROM messages WHERE project_id = ? AND user_id = ? AND conversation_id = ? AND id > ? ORDER BY id LIMIT ?').all(
      projectId,
      userId,
      conversationId,
      o.afterId,
      o.limit,
    ) as Row[]
  ).map(toMessage);
}
