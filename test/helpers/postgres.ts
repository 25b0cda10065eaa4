/**
 * A throwaway PostgreSQL for the tests: one cluster per jest run (started by the first test file that asks for
 * one, shared by the others through a state file, stopped by jest's global teardown), one fresh database per
 * call of createTestDatabase(). Installs Debian's `postgresql` when its binaries are missing (CI runs as root on
 * a fresh machine). PostgreSQL refuses to run as root, so the cluster belongs to the `postgres` user; it
 * listens on a free loopback port with its socket in its own directory, and is removed afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Cluster {
  port: number;
  dir: string;
  bin: string;
  /** The jest run that started it (its state file is removed with it). */
  owner: string;
}

/** Set by the global setup so every worker of one run finds the same cluster; outside jest, the process id. */
const runId = () => process.env.MEMOS_TEST_PG_RUN ?? `solo-${process.pid}`;
const stateFile = (run = runId()) => path.join(os.tmpdir(), `memos-test-pg-${run}.json`);
const lockFile = (run = runId()) => stateFile(run) + '.lock';

function pgBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(base, versions[versions.length - 1], 'bin') : undefined;
}

function ensureInstalled(): string {
  let bin = pgBin();
  if (bin) return bin;
  const apt = (args: string[]) => execFileSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
  apt(['update']);
  apt(['install', '-y', '-qq', 'postgresql']);
  bin = pgBin();
  if (!bin) throw new Error('PostgreSQL is not installed and `apt-get install -y postgresql` did not provide initdb');
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const asPostgres = (bin: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe', timeout: 120_000 });

async function startCluster(): Promise<Cluster> {
  const bin = ensureInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  execFileSync('chown', ['postgres', data]);
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
  // Several test files at once, each with its servers' pools: more connections than the default 100.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      asPostgres(path.join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-o',
        `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
        '-l',
        path.join(data, 'log'),
        '-w',
        'start',
      ]);
      return { port, dir, bin, owner: runId() };
    } catch (err) {
      if (attempt >= 2) throw new Error(`could not start PostgreSQL: ${err instanceof Error ? err.message : String(err)}\n${fs.readFileSync(path.join(data, 'log'), 'utf8').slice(-2000)}`);
    }
  }
}

export function stopCluster(c: Cluster) {
  spawnSync('runuser', ['-u', 'postgres', '--', path.join(c.bin, 'pg_ctl'), '-D', path.join(c.dir, 'data'), '-m', 'immediate', 'stop'], { stdio: 'ignore', timeout: 60_000 });
  fs.rmSync(c.dir, { recursive: true, force: true });
}

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
        const c = await startCluster();
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

export const adminUrl = (c: Cluster, db = 'postgres') => `postgres://postgres@127.0.0.1:${c.port}/${db}`;

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
    const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    execFileSync(path.join(c.bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(c.port), '-U', 'postgres', name], { stdio: 'pipe' });
    return adminUrl(c, name);
  })();
  if (key !== undefined) byKey.set(key, made);
  return made;
}
