/** The shared row readers (../rows.ts) for SQLite, whose JSON columns hold text. */
import { rowReaders } from '../rows';

export { newProject } from '../rows';
export const { toProject, toKey, toKnowledgebase, toFile, toMemory, toMessage, toTask, toUsage, toTemplate, toProfile } = rowReaders((text) => JSON.parse(text));
