/**
 * A throwaway PostgreSQL for the tests: one cluster per jest run (bench/lib/postgres.ts: installed from Debian's
 * packages when missing, owned by the `postgres` user, a free loopback port), started by the first test file
 * that asks for one, shared by the others through a state file, stopped by jest's global teardown; one fresh
 * database per call of createTestDatabase().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, startCluster, stopCluster, type Cluster as BaseCluster } from '../../bench/lib/postgres';

export interface Cluster extends BaseCluster {
  /** The jest run that started it (its state file is removed with it). */
  owner: string;
}

/** Set by the global setup so every worker of one run finds the same cluster; outside jest, the process id. */
const runId = () => process.env.MEMOS_TEST_PG_RUN ?? `solo-${process.pid}`;
const stateFile = (run = runId()) => path.join(os.tmpdir(), `memos-test-pg-${run}.json`);
const lockFile = (run = runId()) => stateFile(run) + '.lock';

/** Stops the run's cluster if one was started (jest global teardown). */
export function stopRunCluster(run = runId()) {
  const file = stateFile(run);
  if (!fs.existsSync(file)) return;
  stopCluster(JSON.parse(fs.readFileSync(file, 'utf8')) as Cluster);
  fs.rmSync(file, { force: true });
  fs.rmSync(lockFile(run), { force: true });
}

let cluster: Promise<Cluster> | undefined;

/** The run's cluster: the first caller (in any worker) starts it under a lock file, the others wait for its state file. */
export function sharedCluster(): Promise<Cluster> {
  cluster ??= (async () => {
    const file = stateFile();
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Cluster;
      let fd: number | undefined;
      try {
        fd = fs.openSync(lockFile(), 'wx');
      } catch {
        if (Date.now() > deadline) throw new Error('timed out waiting for the test PostgreSQL to start');
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      try {
        const c: Cluster = { ...(await startCluster()), owner: runId() };
        fs.writeFileSync(file + '.tmp', JSON.stringify(c));
        fs.renameSync(file + '.tmp', file);
        // Outside a jest run with a global teardown nobody else stops it: this process does, when it exits.
        if (!process.env.MEMOS_TEST_PG_RUN) process.once('exit', () => stopRunCluster());
        return c;
      } finally {
        fs.closeSync(fd);
      }
    }
  })();
  return cluster;
}

let counter = 0;
const byKey = new Map<string, Promise<string>>();

/**
 * A new, empty database on the run's cluster; its postgres:// URL. With a key (a server's data directory), the
 * same key gets the same database again: a restarted server finds its data.
 */
export function createTestDatabase(key?: string): Promise<string> {
  if (key !== undefined && byKey.has(key)) return byKey.get(key)!;
  const made = (async () => {
    const c = await sharedCluster();
    return createDatabase(c, `t_${process.pid}_${Date.now().toString(36)}_${counter++}`);
  })();
  if (key !== undefined) byKey.set(key, made);
  return made;
}
