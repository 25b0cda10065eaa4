/** One jest run covers the server, the node pack and the templates; real n8n e2e runs from scripts/test.sh. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
  },
  testTimeout: 30000,
  // One throwaway PostgreSQL per run, started only if a test asks for one (test/helpers/postgres.ts).
  globalSetup: '<rootDir>/test/helpers/pg-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/pg-teardown.ts',
  maxWorkers: 2,
};
