/**
 * Mutation testing (`npm run test:mutation`, not part of `npm test`: a full run takes about half an hour on two cores).
 * Scoped to the code where a silent bug costs users most, in four groups, each run with the suites that guard it:
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

/**
 * Line ranges, not whole files: each mutant costs one run of its covering tests (several seconds with their
 * fixtures), so the groups cover the code that decides what a user may see and how much of it, and leave out the
 * ranking weights (they reorder results; the recall benchmarks in docs/benchmarks.md judge them).
 */
const GROUPS = {
  recall: {
    mutate: [
      'server/src/engine/recall.ts:69-89', // the scope of a recall: user, public, knowledge bases, filters
      'server/src/engine/recall.ts:188-211', // the relativity threshold, per-category limits, de-duplication
      'server/src/engine/recall.ts:308-313', // request fields to per-category limits and include flags
      'server/src/engine/rank.ts:104-111', // relativity: the share of the query a memory covers
    ],
    suites: ['server/relativity', 'server/recall-select', 'server/scopes', 'server/limits'],
  },
  filters: {
    mutate: [
      'server/src/engine/filter.ts:35-60', // global group or per-source filters
      'server/src/store/sqlite/filter-sql.ts', // the filter tree and the recall scope as SQL
    ],
    suites: ['server/filters', 'server/scopes', 'server/filter-time'],
  },
  auth: {
    mutate: ['server/src/http/auth.ts', 'server/src/http/keys.ts'],
    suites: ['server/auth'],
  },
  'chat-memory': {
    mutate: ['nodes/MemOsChatMemory/recall.ts'], // the per-execution recall cache and what it hands the agent
    suites: ['nodes/recall-cache', 'nodes/chat-memory-cache', 'nodes/chat-memory'],
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
  timeoutMS: 10000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  // One sandbox folder per group: a finished group removes only its own.
  tempDirName: `.stryker-tmp/${name}`,
  cleanTempDir: 'always',
};
