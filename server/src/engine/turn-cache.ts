/**
 * The last turns of recently active conversations, so a conversation written turn by turn (an agent's usual
 * pattern) finds the context of its next turn without a read per call (engine/write.ts). A miss (first call,
 * restart, a conversation pushed out by newer ones) reads the messages instead. Keyed by project, user and
 * conversation: two users, or two projects, with the same conversation id never share turns.
 *
 * One per engine context (server.ts), so each server holds its own. It only knows this process's writes:
 * with replicas (a shared store) the write path reads the database instead.
 */
export interface ContextTurn {
  role: string;
  text: string;
}

const RECENT_CONVERSATIONS = 10_000;

export class TurnCache {
  /** In order of last write, oldest first, so the first key is the one to drop. */
  private readonly recent = new Map<string, ContextTurn[]>();

  constructor(private readonly maxConversations = RECENT_CONVERSATIONS) {}

  get(projectId: string, userId: string, conversationId: string): ContextTurn[] | undefined {
    return this.recent.get(key(projectId, userId, conversationId));
  }

  /** The conversation's latest turns (already cut to what the write path keeps), now the most recent one. */
  remember(projectId: string, userId: string, conversationId: string, turns: ContextTurn[]) {
    const k = key(projectId, userId, conversationId);
    this.recent.delete(k);
    if (this.recent.size >= this.maxConversations) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(k, turns);
  }
}

const key = (projectId: string, userId: string, conversationId: string) => `${projectId}\u0000${userId}\u0000${conversationId}`;
