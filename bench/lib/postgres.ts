/**
 * A throwaway PostgreSQL cluster: Debian's `postgresql` (installed with apt-get when its binaries are missing),
 * initdb in a temporary directory owned by the `postgres` user (PostgreSQL refuses to run as root), started on a
 * free loopback port with its socket in its own directory, removed afterwards. The benchmarks start one; the
 * tests share one per run (test/helpers/postgres.ts). Lives in bench/lib for the same reason as server.ts.
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
}

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

/** `durable: false` (tests) turns fsync off: a crash of the test machine loses nothing anyone needs. */
export async function startCluster(o: { durable?: boolean } = {}): Promise<Cluster> {
  const bin = ensureInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  execFileSync('chown', ['postgres', data]);
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
  // Several test files (or replicas) at once, each with its pool: more connections than the default 100.
  const fast = o.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-o', `-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c max_connections=400${fast}`, '-l', path.join(data, 'log'), '-w', 'start']);
      return { port, dir, bin };
    } catch (err) {
      if (attempt >= 2) throw new Error(`could not start PostgreSQL: ${err instanceof Error ? err.message : String(err)}\n${fs.readFileSync(path.join(data, 'log'), 'utf8').slice(-2000)}`);
    }
  }
}

export function stopCluster(c: Cluster) {
  spawnSync('runuser', ['-u', 'postgres', '--', path.join(c.bin, 'pg_ctl'), '-D', path.join(c.dir, 'data'), '-m', 'immediate', 'stop'], { stdio: 'ignore', timeout: 60_000 });
  fs.rmSync(c.dir, { recursive: true, force: true });
}

export const databaseUrl = (c: Cluster, db = 'postgres') => `postgres://postgres@127.0.0.1:${c.port}/${db}`;

/** A new empty database on the cluster; its URL. */
export function createDatabase(c: Cluster, name: string): string {
  execFileSync(path.join(c.bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(c.port), '-U', 'postgres', name], { stdio: 'pipe' });
  return databaseUrl(c, name);
}
