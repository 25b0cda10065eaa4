/** The shared row readers (../rows.ts) for PostgreSQL, whose json/jsonb columns arrive parsed. */
import { rowReaders } from '../rows';

export { newProject } from '../rows';
export const { toProject, toKey, toKnowledgebase, toFile, toMemory, toMessage, toTask, toUsage, toTemplate, toProfile } = rowReaders((value) => value);
