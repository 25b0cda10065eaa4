/** Knowledge-base access checks shared by writes, search and feedback. */
import { ApiError, ErrorCode } from '../errors';
import type { Caller, EngineContext } from './context';

/** Every id must be a knowledge base linked to the caller's project (contract §4.3), else 50123. */
export async function assertKnowledgebasesLinked(ctx: EngineContext, caller: Caller, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const linked = new Set(await ctx.store.linkedKnowledgebaseIds(caller.projectId));
  const missing = ids.filter((id) => !linked.has(id));
  if (missing.length) throw new ApiError(ErrorCode.KnowledgeBaseNotLinked, `knowledge base ${missing.join(', ')} is not linked to this project`);
}
