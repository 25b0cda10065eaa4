/**
 * Whose memory a request is about. Memories belong to a user, or (MemOS "agent-level memory", the SDK's
 * `agent_id` instead of `user_id`) to an agent with no user. An agent's memories are a subject of their own:
 * they are kept under an internal subject id that no user id can take (user ids may not start with the
 * reserved character), so the user boundary of the isolation rules (contract §4.3) holds for agents too.
 */
const AGENT_SUBJECT = '\u0001agent:';

/** The internal subject id of an agent's own memories. */
export const agentSubject = (agentId: string) => AGENT_SUBJECT + agentId;

/** True for ids a client may not use as a user id (they would address an agent's memories). */
export const isReservedUserId = (userId: string) => userId.startsWith('\u0001');

/** The client-facing form of an internal subject id. */
export function subjectOf(internal: string | null): { user_id: string | null; agent_id: string | null } {
  if (internal?.startsWith(AGENT_SUBJECT)) return { user_id: null, agent_id: internal.slice(AGENT_SUBJECT.length) };
  return { user_id: internal, agent_id: null };
}
