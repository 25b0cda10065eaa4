/** Knowledge-base access checks shared by writes, search, chat and feedback. */
import { ApiError, ErrorCode } from '../errors';
import type { Caller, EngineContext } from './context';

/**
 * Every id must be a knowledge base linked to the caller's project (contract §4.3): 50123 for one that
 * exists but is not linked, 50120 for one that does not exist at all.
 */
export async function assertKnowledgebasesLinked(ctx: EngineContext, caller: Caller, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const linked = new Set(await ctx.store.linkedKnowledgebaseIds(caller.projectId));
  const missing = [...new Set(ids.filter((id) => !linked.has(id)))];
  if (missing.length === 0) return;
  const unknown: string[] = [];
  for (const id of missing) if (!(await ctx.store.getKnowledgebase(id))) unknown.push(id);
  if (unknown.length) throw new ApiError(ErrorCode.KnowledgeBaseNotFound, `knowledge base ${unknown.join(', ')} was not found`);
  throw new ApiError(ErrorCode.KnowledgeBaseNotLinked, `knowledge base ${missing.join(', ')} is not linked to this project`);
}
