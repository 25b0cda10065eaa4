/**
 * jest globalSetup: names this run so every worker shares one throwaway PostgreSQL (test/helpers/postgres.ts
 * starts it on first use; nothing is started when no test asks). pg-teardown.ts stops it.
 */
export default async function setup() {
  process.env.MEMOS_TEST_PG_RUN ??= `${process.pid}-${Date.now().toString(36)}`;
}
