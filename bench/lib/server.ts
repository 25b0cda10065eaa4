/**
 * Starts the built memos-lite (server/bin/memos-lite.js, as a user runs it) on 127.0.0.1 with a free port and a
 * fresh data directory. The one way to spawn the server: the benchmarks call it, and so does the tests' smoke layer
 * (test/helpers/server.ts). It lives here because bench/ is compiled on its own (rootDir bench/), while jest
 * transpiles whatever a test imports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The repository root, whether this runs as source (bench/lib/, under jest) or compiled (bench/dist/lib/). */
export const REPO = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir))
    if (fs.existsSync(path.join(dir, 'server', 'bin', 'memos-lite.js'))) return dir;
  throw new Error(`no repository root above ${__dirname}`);
})();

export interface SpawnedServer {
  origin: string;
  baseUrl: string;
  apiKey: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the server printed (stdout + stderr). */
  output(): string;
  /** SIGTERM to the server (and the Node it may have handed over to); resolves when both are gone. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/** A benchmark's server is a spawned one. */
export type BenchServer = SpawnedServer;

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (restart tests, benchmarks over a prepared corpus); a fresh one by default. */
  dataDir?: string;
  apiKey?: string;
  /** Stop the servers when this process gets SIGINT/SIGTERM, then exit (a benchmark interrupted with Ctrl-C). */
  stopOnSignals?: boolean;
}

/** Under bench/.work (git-ignored), away from shared temporary folders that other tools clean up. */
export function freshDataDir(): string {
  const root = path.join(REPO, 'bench', '.work');
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, 'data-'));
}

/** Servers this process started and has not stopped: stopped with it, even when it ends without stopping them. */
const live = new Set<number>();
const signalGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
};
const stopAll = () => {
  for (const pid of live) signalGroup(pid, 'SIGTERM');
};
process.once('exit', stopAll);
let signalsHandled = false;
function handleSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      stopAll();
      process.exit(130);
    });
}

export async function spawnServer(opts: SpawnOptions = {}): Promise<SpawnedServer> {
  const dataDir = opts.dataDir ?? freshDataDir();
  const apiKey = opts.apiKey ?? 'mpg-test-' + Math.random().toString(36).slice(2, 14);
  if (opts.stopOnSignals) handleSignals();
  const proc = spawn(process.execPath, [path.join(REPO, 'server/bin/memos-lite.js'), 'start'], {
    env: {
      ...process.env,
      MEMOS_HOST: '127.0.0.1',
      MEMOS_PORT: '0',
      MEMOS_DATA_DIR: dataDir,
      MEMOS_BOOTSTRAP_KEY: apiKey,
      MEMOS_LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the launcher may hand over to another Node (server/bin/memos-lite.js), and stopping
    // the group stops that one too.
    detached: true,
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  live.add(proc.pid!);
  // 'close': every process holding the output pipes is gone, not only the one spawned.
  const exited = new Promise<void>((resolve) =>
    proc.once('close', () => {
      live.delete(proc.pid!);
      resolve();
    }),
  );
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      signalGroup(proc.pid!, 'SIGKILL');
      reject(new Error('memos-lite did not start in 60 s:\n' + out));
    }, 60_000);
    proc.stdout!.on('data', () => {
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`memos-lite exited with ${code}:\n${out}`));
    });
  });
  const stopWith = async (signal: NodeJS.Signals) => {
    if (live.has(proc.pid!)) signalGroup(proc.pid!, signal);
    await exited;
  };
  return {
    origin,
    baseUrl: origin + '/api/openmem/v1',
    apiKey,
    dataDir,
    proc,
    output: () => out,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/** A benchmark's server: data under bench/.work, stopped when the benchmark is interrupted. */
export function startServer(opts: Omit<SpawnOptions, 'stopOnSignals'> = {}): Promise<BenchServer> {
  return spawnServer({ ...opts, apiKey: opts.apiKey ?? 'mpg-bench-' + Math.random().toString(36).slice(2, 14), stopOnSignals: true });
}

export type Call = (pathName: string, body: unknown) => Promise<any>;

/** POST with the key; returns `data` of a successful envelope and throws on any error envelope. */
export function client(s: Pick<BenchServer, 'baseUrl' | 'apiKey'>): Call {
  return async (pathName, body) => {
    const res = await fetch(s.baseUrl + pathName, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${s.apiKey}` },
      // A body serialised beforehand (a 27 MB upload) is sent as it is, so sending it costs the caller no pause.
      body: Buffer.isBuffer(body) ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const env = (await res.json()) as { code: number; data: any; message: string };
    if (env.code !== 0) throw new Error(`${pathName}: ${env.code} ${env.message}`);
    return env.data;
  };
}

/** Waits until every task has left `running`; returns how many failed. */
export async function waitForTasks(call: Call, taskIds: string[], timeoutMs = 600_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  let failed = 0;
  for (const id of taskIds) {
    for (;;) {
      const { status } = await call('/get/status', { task_id: id });
      if (status !== 'running') {
        if (status === 'failed') failed++;
        break;
      }
      if (Date.now() > end) throw new Error(`task ${id} still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return failed;
}

const childPids = (pid: number): number[] => {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const ownRssMb = (pid: number): number => {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};
/** The process serving: the launcher's memos-lite child when it handed over (its other children are workers). */
function servingPid(pid: number): number {
  const server = childPids(pid).find((c) => {
    try {
      return fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('memos-lite.js');
    } catch {
      return false;
    }
  });
  return server ?? pid;
}

/** Resident set size in MB (Linux /proc) of the process serving, without its worker processes. */
export function rssMb(pid: number): number {
  return ownRssMb(servingPid(pid));
}

/** The serving process's worker processes (documents, uploads) together, in MB: 0 when none is running. */
export function workersRssMb(pid: number): number {
  return childPids(servingPid(pid)).reduce((n, c) => n + (ownRssMb(c) || 0), 0);
}

/**
 * CPU seconds the serving process has used, all its threads together (user + system, /proc/PID/stat), with its
 * worker processes, live or ended. On a shared machine wall-clock rates swing with the neighbours; CPU time per unit of work
 * swings far less, so it is what compares two versions.
 */
export function cpuSeconds(pid: number): number {
  const ticks = (p: number) => {
    try {
      // The command name is in parentheses and may hold spaces: fields are counted after the closing one.
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, and cutime, cstime of the children it has waited for (fields 14-17 of proc(5)).
      return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      return 0;
    }
  };
  const serving = servingPid(pid);
  return [serving, ...childPids(serving)].reduce((n, p) => n + ticks(p), 0) / CLOCK_TICKS;
}

/** USER_HZ, which Linux has fixed at 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/**
 * MB resident in the serving process's malloc heap (glibc's main arena, `[heap]` in /proc/PID/smaps), apart from
 * V8's heap and other mappings: where memory that native code allocated and freed stays behind.
 */
export function mallocHeapMb(pid: number): number {
  try {
    const smaps = fs.readFileSync(`/proc/${servingPid(pid)}/smaps`, 'utf8');
    const at = smaps.search(/ \[heap\]\n/);
    if (at < 0) return 0;
    const rss = /\nRss:\s+(\d+) kB/.exec(smaps.slice(at));
    return rss ? Number(rss[1]) / 1024 : 0;
  } catch {
    return NaN;
  }
}
