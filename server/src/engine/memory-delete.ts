/**
 * /delete/memory by subject or by filter (the SDK's delete_memory(user_id= | agent_id= | filter=, memory_type=)).
 * Deletion by ids stays in reads.ts. Knowledge-base memories are never deleted here: they go with their files.
 */
import type { DeleteMemoryRequest, MEMORY_TYPES } from '../api/schemas';
import { agentSubject } from '../api/subject';
import { ApiError, ErrorCode } from '../errors';
import type { MemoryKind, MemorySelection } from '../store/types';
import type { Caller, EngineContext } from './context';
import { both, parseFilter } from './filter';

const KINDS = new Set<string>(['fact', 'preference', 'tool', 'skill']);

function typeSelection(type: (typeof MEMORY_TYPES)[number] | undefined): Pick<MemorySelection, 'kinds' | 'subtypes'> {
  if (!type) return {};
  return KINDS.has(type) ? { kinds: [type as MemoryKind] } : { subtypes: [type] };
}

export async function deleteMatching(ctx: EngineContext, caller: Caller, req: DeleteMemoryRequest) {
  const types = typeSelection(req.memory_type);
  if (req.user_id !== undefined || req.agent_id !== undefined) {
    const subject = req.user_id ?? agentSubject(req.agent_id!);
    const n = await ctx.store.deleteMemoriesMatching(caller.projectId, { userId: subject, ...types });
    if (n === 0)
      throw new ApiError(ErrorCode.UserToDeleteNotFound, `${req.user_id !== undefined ? `user ${req.user_id}` : `agent ${req.agent_id}`} has no${req.memory_type ? ` ${req.memory_type}` : ''} memories in this project`);
    return { success: true, deleted_count: n };
  }
  const parsed = parseFilter(req.filter, ctx.config.timezone);
  const filter = both(parsed?.global, parsed?.user);
  // An empty filter would select the whole project: a delete must say what it removes.
  if (!filter) throw new ApiError(ErrorCode.InvalidParams, 'filter: give at least one condition (an empty filter would delete every memory of the project)');
  const n = await ctx.store.deleteMemoriesMatching(caller.projectId, { filter, ...types });
  return { success: true, deleted_count: n };
}
