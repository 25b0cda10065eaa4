/** Offline extraction: rule-based facts and preferences, plus tool memories. */
export { extractWithRules } from './rules';
export { extractToolMemories } from './tools';
export type * from './types';
