/** jest globalTeardown: stops the run's throwaway PostgreSQL, if a test started one. */
import { stopRunCluster } from './postgres';

export default async function teardown() {
  if (process.env.MEMOS_TEST_PG_RUN) stopRunCluster(process.env.MEMOS_TEST_PG_RUN);
}
