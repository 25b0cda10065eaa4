/**
 * One way to get a memos-lite for a test: `useServer()` starts it before the file's tests and stops it after.
 *
 * Two tiers, both real HTTP on 127.0.0.1 and a real SQLite file (or PostgreSQL database):
 * - in-process (the default): the server's own composition root (server/src/server.ts) runs inside the jest
 *   process from source, so an engine change is tested without a build, and mutants of server/src are seen;
 * - spawned (`{ spawn: true }`, or every server with MEMOS_TEST_SPAWN=1): the built CLI as users run it, for the
 *   smoke layer that needs a process: restarts, kill -9, the `keys` command on a live data directory.
 *
 * MEMOS_TEST_BACKEND=postgres gives every server a fresh PostgreSQL database (MEMOS_DATABASE_URL) from
 * test/helpers/postgres.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { REPO, spawnServer } from '../../bench/lib/server';
import { loadConfig } from '../../server/src/config';
import { generateKey, hashKey, keyPrefix } from '../../server/src/http/keys';
import { startServer } from '../../server/src/server';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** origin + API prefix: what a MemOS client's base URL is set to. */
  baseUrl: string;
  apiKey: string;
  dataDir: string;
  spawned: boolean;
  /** Everything the server logged (JSON lines; level warn unless MEMOS_LOG_LEVEL says otherwise). */
  output(): string;
  /** Environment for running the memos-lite CLI (`keys ...`) on this server's store, whichever backend it is. */
  cliEnv: NodeJS.ProcessEnv;
  /** A new API key of `project` (created when new): another project's caller, for isolation tests. */
  createKey(project: string): Promise<string>;
  stop(): Promise<void>;
}

export interface SpawnedTestServer extends TestServer {
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (restart tests); a fresh temporary one by default. */
  dataDir?: string;
  apiKey?: string;
  /** The built CLI in its own process instead of the server in this one. */
  spawn?: boolean;
}

const tempDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'memos-test-'));
const randomKey = () => 'mpg-test-' + Math.random().toString(36).slice(2, 14);

/** The storage backend under test: SQLite in the data directory, or a throwaway PostgreSQL database. */
async function backendEnv(dataDir: string): Promise<Record<string, string>> {
  if (process.env.MEMOS_TEST_BACKEND !== 'postgres') return {};
  // Loaded only when asked for: the SQLite runs need neither the module nor a PostgreSQL installation.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTestDatabase } = require('./postgres') as { createTestDatabase(key?: string): Promise<string> };
  // Keyed by the data directory: a server restarted on the same directory finds the same database.
  return { MEMOS_DATABASE_URL: await createTestDatabase(dataDir) };
}

export async function startSpawned(opts: Omit<ServerOptions, 'spawn'> = {}): Promise<SpawnedTestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const env = { ...(await backendEnv(dataDir)), ...opts.env };
  const s = await spawnServer({ dataDir, apiKey: opts.apiKey, env });
  // The CLI's own `keys create`, on the running server's data.
  const createKey = async (project: string) =>
    execFileSync(process.execPath, [path.join(REPO, 'server/bin/memos-lite.js'), 'keys', 'create', '--project', project, '--data-dir', s.dataDir], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  const cliEnv = { ...process.env, ...env };
  return { origin: s.origin, baseUrl: s.baseUrl, apiKey: s.apiKey, dataDir: s.dataDir, spawned: true, cliEnv, output: s.output, createKey, stop: s.stop, kill: s.kill };
}

export async function startInProcess(opts: Omit<ServerOptions, 'spawn'> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const apiKey = opts.apiKey ?? randomKey();
  const backend = await backendEnv(dataDir);
  // The same settings the spawned CLI gets: process environment, then the test's fixed ones, then the file's own.
  const config = loadConfig(
    {},
    {
      ...process.env,
      MEMOS_HOST: '127.0.0.1',
      MEMOS_PORT: '0',
      MEMOS_DATA_DIR: dataDir,
      MEMOS_BOOTSTRAP_KEY: apiKey,
      MEMOS_LOG_LEVEL: 'warn',
      ...backend,
      ...opts.env,
    },
  );
  let out = '';
  const logStream = new Writable({
    write(chunk, _enc, done) {
      out += chunk;
      done();
    },
  });
  const running = await startServer(config, { logStream });
  // What `memos-lite keys create --project` does, through the server's own store.
  const createKey = async (project: string) => {
    const store = running.ctx.store;
    const { id } = await store.projectByName(project);
    const key = generateKey();
    await store.createKey(id, hashKey(key), keyPrefix(key), 'test');
    return key;
  };
  const cliEnv = { ...process.env, ...backend, ...opts.env };
  return { origin: running.origin, baseUrl: running.baseUrl, apiKey, dataDir, spawned: false, cliEnv, output: () => out, createKey, stop: () => running.close() };
}

export function startTestServer(opts: ServerOptions & { spawn: true }): Promise<SpawnedTestServer>;
export function startTestServer(opts?: ServerOptions): Promise<TestServer>;
export function startTestServer(opts: ServerOptions = {}): Promise<TestServer> {
  const { spawn, ...rest } = opts;
  return spawn || process.env.MEMOS_TEST_SPAWN === '1' ? startSpawned(rest) : startInProcess(rest);
}

/**
 * A server for the whole test file: started in beforeAll, stopped (and its temporary data removed) in afterAll.
 * The returned object reads through to it, so `client(server)` can be built at the top of the file.
 * Options may be a function, evaluated in beforeAll: settings that point at fakes started by earlier hooks.
 */
export function useServer(opts: ServerOptions & { spawn: true }): SpawnedTestServer;
export function useServer(opts?: ServerOptions | (() => ServerOptions | Promise<ServerOptions>)): TestServer;
export function useServer(opts: ServerOptions | (() => ServerOptions | Promise<ServerOptions>) = {}): SpawnedTestServer {
  let s: TestServer | undefined;
  let ownsDataDir = false;
  const current = (): SpawnedTestServer => {
    if (!s) throw new Error('useServer(): the server starts in beforeAll; use it inside a test or a hook');
    return s as SpawnedTestServer;
  };
  beforeAll(async () => {
    const o = typeof opts === 'function' ? await opts() : opts;
    ownsDataDir = !o.dataDir;
    s = await startTestServer(o);
  }, 60_000);
  afterAll(async () => {
    if (!s) return;
    await s.stop();
    if (ownsDataDir) fs.rmSync(s.dataDir, { recursive: true, force: true });
  }, 30_000);
  return {
    get origin() {
      return current().origin;
    },
    get baseUrl() {
      return current().baseUrl;
    },
    get apiKey() {
      return current().apiKey;
    },
    get dataDir() {
      return current().dataDir;
    },
    get spawned() {
      return current().spawned;
    },
    get cliEnv() {
      return current().cliEnv;
    },
    output: () => current().output(),
    createKey: (project: string) => current().createKey(project),
    stop: () => current().stop(),
    kill: () => {
      const c = current();
      if (!c.spawned) throw new Error('kill() needs a spawned server: useServer({ spawn: true })');
      return c.kill();
    },
  };
}
