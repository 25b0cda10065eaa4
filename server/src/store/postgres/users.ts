/**
 * The project's users, a read model over memories and messages (there is no users table: a user exists by what
 * is stored for them). Pages are keyset-paged on the user id along the memories_by_user index, so the hundredth
 * page of 100k users costs what the first does; counts are then taken for that page's users only.
 */
import type { UserSummary } from '../types';
import { all, type Queryable } from './connection';

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

export async function listUsers(db: Queryable, projectId: string, opts: { search?: string; after?: string; exact?: string; limit: number }): Promise<UserSummary[]> {
  const where = ['project_id = ?', 'user_id IS NOT NULL'];
  const params: unknown[] = [projectId];
  if (opts.exact !== undefined) {
    where.push('user_id = ?');
    params.push(opts.exact);
  }
  if (opts.after !== undefined) {
    // Byte order, as SQLite compares text, so pages follow the same order on both backends.
    where.push('user_id COLLATE "C" > ?');
    params.push(opts.after);
  }
  if (opts.search) {
    where.push("user_id ILIKE ? ESCAPE '\\'");
    params.push('%' + likeEscape(opts.search) + '%');
  }
  const ids = (await all(db, `SELECT DISTINCT user_id COLLATE "C" AS user_id FROM memories WHERE ${where.join(' AND ')} ORDER BY 1 LIMIT ?`, [...params, opts.limit])).map(
    (r) => r.user_id as string,
  );
  if (ids.length === 0) return [];
  const byUser = new Map<string, UserSummary>(ids.map((id) => [id, { userId: id, memories: [], messages: 0, conversations: 0, agentIds: [], lastActive: 0 }]));
  for (const r of await all(
    db,
    'SELECT user_id, kind, status, COUNT(*) AS n, MAX(update_time) AS t FROM memories WHERE project_id = ? AND user_id = ANY(?::text[]) GROUP BY user_id, kind, status',
    [projectId, ids],
  )) {
    const u = byUser.get(r.user_id)!;
    u.memories.push({ kind: r.kind, status: r.status, count: r.n });
    u.lastActive = Math.max(u.lastActive, r.t);
  }
  for (const r of await all(
    db,
    'SELECT user_id, COUNT(*) AS n, COUNT(DISTINCT conversation_id) AS c, MAX(create_time) AS t FROM messages WHERE project_id = ? AND user_id = ANY(?::text[]) GROUP BY user_id',
    [projectId, ids],
  )) {
    const u = byUser.get(r.user_id)!;
    u.messages = r.n;
    u.conversations = r.c;
    u.lastActive = Math.max(u.lastActive, r.t);
  }
  for (const r of await all(db, 'SELECT DISTINCT user_id, agent_id FROM messages WHERE project_id = ? AND user_id = ANY(?::text[]) AND agent_id IS NOT NULL LIMIT 1000', [projectId, ids]))
    byUser.get(r.user_id)!.agentIds.push(r.agent_id);
  return ids.map((id) => byUser.get(id)!);
}
