/**
 * A throwaway PostgreSQL for the tests: one cluster per jest run (bench/lib/postgres.ts: installed from Debian's
 * packages when missing, owned by the `postgres` user, a free loopback port), started by the first test file
 * that asks for one, shared by the others through a state file, stopped by jest's global teardown; one fresh
 * database per call of createTestDatabase().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createDatabase, startCluster, stopCluster, type Cluster as BaseCluster } from '../../bench/lib/postgres';
import type { Store } from '../../server/src/store/types';

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

/** A Store backend that suites testing the store itself run against directly. */
export interface StoreBackend {
  name: string;
  /** A new, empty store. */
  open(): Promise<Store>;
  cleanup?(): Promise<void>;
}

/**
 * Every backend: the embedded SQLite file, PostgreSQL (the run's cluster; Debian's has no pgvector, so vectors
 * are REAL[] there) and PostgreSQL in WASM (@electric-sql/pglite with its pgvector build: the `vector` column
 * and its HNSW index). A new list per call, since the WASM entry keeps the instances it opened for its cleanup.
 * The stores and PGlite are loaded when opened: jest's global teardown loads this file too, and needs neither.
 */
export function storeBackends(): StoreBackend[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const sqlite = () => require('../../server/src/store/sqlite/sqlite-store') as typeof import('../../server/src/store/sqlite/sqlite-store');
  const postgres = () => require('../../server/src/store/postgres/postgres-store') as typeof import('../../server/src/store/postgres/postgres-store');
  const lites: PGlite[] = [];
  return [
    {
      name: 'sqlite',
      open: async () => new (sqlite().SqliteStore)(fs.mkdtempSync(path.join(os.tmpdir(), 'memos-contract-'))),
    },
    {
      name: 'postgresql',
      open: async () => postgres().PostgresStore.open({ connectionString: await createTestDatabase(), poolSize: 4 }),
    },
    {
      name: 'postgresql+pgvector (pglite)',
      open: async () => {
        if (!process.execArgv.concat(process.env.NODE_OPTIONS ?? '').join(' ').includes('--experimental-vm-modules'))
          throw new Error('PostgreSQL in WASM needs jest run with NODE_OPTIONS=--experimental-vm-modules (scripts/test.sh sets it)');
        const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
        const { vector } = require('@electric-sql/pglite-pgvector') as typeof import('@electric-sql/pglite-pgvector');
        // A subpath export, which the tests' TypeScript settings (moduleResolution node) cannot see; jest resolves it.
        const { createPgConfig } = require('@electric-sql/pglite/node-postgres') as { createPgConfig(db: PGlite): object };
        const lite = await PGlite.create({ extensions: { vector } });
        lites.push(lite);
        // One in-process session: one connection.
        return postgres().PostgresStore.open({ pool: { ...createPgConfig(lite), max: 1 } as never });
      },
      cleanup: async () => {
        for (const lite of lites.splice(0)) await lite.close();
      },
    },
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
}
