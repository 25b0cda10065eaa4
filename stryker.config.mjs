/**
 * Mutation testing (`npm run test:mutation`, not part of `npm test`: it takes about an hour on two cores). Scoped
 * to the code where a silent bug costs users most, in four groups, each run with the suites that guard it:
 *
 *   recall       recall and ranking (engine/recall.ts, rank.ts)
 *   filters      the filter parser and the store's filter and scope SQL
 *   auth         authentication and keys
 *   chat-memory  the Chat Memory node
 *
 * MUTATION_GROUP=<group> picks one (scripts/mutation.sh runs them all and prints the scores). The suites run the
 * server in the jest process (test/helpers/server.ts), so the mutated server/src is what they exercise; suites that
 * spawn the built CLI test server/dist instead and are left out. Results and survivors: docs/mutation-testing.md.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const base = require('./jest.config.js');

const GROUPS = {
  recall: {
    mutate: ['server/src/engine/recall.ts', 'server/src/engine/rank.ts'],
    suites: ['server/relativity', 'server/recall', 'server/scopes', 'server/limits', 'server/embeddings', 'server/scenarios'],
  },
  filters: {
    mutate: [
      'server/src/engine/filter.ts',
      'server/src/store/sqlite/filter-sql.ts',
      'server/src/store/sqlite/lexical-search.ts',
      // The scope conditions of deletes and listings (the rest of memories.ts maps rows and writes).
      'server/src/store/sqlite/memories.ts:103-147',
      'server/src/store/sqlite/memories.ts:159-226',
    ],
    suites: ['server/scopes', 'server/filter-time', 'server/api-errors', 'server/kb-scenarios', 'server/limits'],
  },
  auth: {
    mutate: ['server/src/http/auth.ts', 'server/src/http/keys.ts'],
    suites: ['server/auth', 'server/api-errors'],
  },
  'chat-memory': {
    mutate: ['nodes/MemOsChatMemory/{recall,memory,history,convert,MemOsChatMemory.node}.ts'],
    suites: ['nodes/chat-memory', 'nodes/chat-memory-cache'],
  },
};

const name = process.env.MUTATION_GROUP ?? 'recall';
const group = GROUPS[name];
if (!group) throw new Error(`MUTATION_GROUP must be one of ${Object.keys(GROUPS).join(', ')}`);

export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    config: { ...base, testMatch: group.suites.map((s) => `<rootDir>/test/${s}.test.ts`), maxWorkers: 1 },
    enableFindRelatedTests: false,
  },
  // Each mutant runs only the tests that executed it in the initial run.
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner at a time.
  concurrency: 1,
  mutate: group.mutate,
  mutator: {
    // Error and log messages are asserted by code, not wording; SQL text mutants only produce SQL syntax errors.
    excludedMutations: ['StringLiteral'],
  },
  // Mutants only reached while modules load (constants) would need every suite re-run with fresh modules.
  ignoreStatic: true,
  // A second run re-tests only mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  ignorePatterns: ['bench/.work', 'dist', 'server/dist', 'coverage', 'reports', '.memos-data', 'test/e2e', '*.log'],
  timeoutMS: 20000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
