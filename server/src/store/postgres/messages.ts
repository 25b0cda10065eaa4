/** Raw conversation messages. */
import type { ConversationSummary, MessageRecord } from '../types';
import { all, json, run, type Queryable } from './connection';
import { toMessage } from './rows';

/** Part of a commit (commit.ts). */
export async function insertMessage(db: Queryable, msg: MessageRecord) {
  await run(
    db,
    `INSERT INTO messages(project_id, user_id, conversation_id, role, content, raw, chat_time, event_time, create_time, agent_id, app_id, task_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [msg.projectId, msg.userId, msg.conversationId, msg.role, msg.content, json(msg.raw), msg.chatTime, msg.eventTime, msg.createTime, msg.agentId, msg.appId, msg.taskId],
  );
}

/** A conversation's latest `limit` messages, oldest first. */
export async function getMessages(db: Queryable, projectId: string, userId: string, conversationId: string, limit: number): Promise<MessageRecord[]> {
  const rows = await all(db, 'SELECT * FROM messages WHERE project_id = ? AND user_id = ? AND conversation_id = ? ORDER BY event_time DESC, id DESC LIMIT ?', [
    projectId,
    userId,
    conversationId,
    limit,
  ]);
  return rows.reverse().map(toMessage);
}

/** A user's conversations, the most recently active first. */
export async function listConversations(db: Queryable, projectId: string, userId: string, limit: number): Promise<ConversationSummary[]> {
  const rows = await all(
    db,
    'SELECT conversation_id, COUNT(*) AS n, MIN(event_time) AS first, MAX(event_time) AS last FROM messages WHERE project_id = ? AND user_id = ? GROUP BY conversation_id ORDER BY last DESC LIMIT ?',
    [projectId, userId, limit],
  );
  return rows.map((r) => ({ conversationId: r.conversation_id, messages: r.n, firstTime: r.first, lastTime: r.last }));
}

/** A conversation's messages in the order they were written, after the message with id `afterId`. */
export async function conversationMessages(db: Queryable, projectId: string, userId: string, conversationId: string, o: { afterId: number; limit: number }): Promise<MessageRecord[]> {
  return (
    await all(db, 'SELECT * FROM messages WHERE project_id = ? AND user_id = ? AND conversation_id = ? AND id > ? ORDER BY id LIMIT ?', [projectId, userId, conversationId, o.afterId, o.limit])
  ).map(toMessage);
}
