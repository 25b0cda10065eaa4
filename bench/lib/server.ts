/**
 * Starts the built memos-lite (server/bin/memos-lite.js, as a user runs it) on 127.0.0.1 with a free port and a
 * fresh data directory, and talks to it through the public API only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Compiled to bench/dist/lib/.
export const REPO = path.resolve(__dirname, '../../..');

export interface BenchServer {
  baseUrl: string;
  apiKey: string;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Under bench/.work (git-ignored), away from shared temporary folders that other tools clean up. */
export function freshDataDir(): string {
  const root = path.join(REPO, 'bench', '.work');
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, 'data-'));
}

/** Servers this process started and has not stopped: stopped with it, even when it is interrupted. */
const live = new Set<number>();
const stopAll = () => {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
};
process.once('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    stopAll();
    process.exit(130);
  });

export async function startServer(opts: { env?: Record<string, string>; dataDir?: string; apiKey?: string } = {}): Promise<BenchServer> {
  const dataDir = opts.dataDir ?? freshDataDir();
  const apiKey = opts.apiKey ?? 'mpg-bench-' + Math.random().toString(36).slice(2, 14);
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
    const timer = setTimeout(() => reject(new Error('memos-lite did not start in 60 s:\n' + out)), 60_000);
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
  return {
    baseUrl: origin + '/api/openmem/v1',
    apiKey,
    dataDir,
    proc,
    async stop() {
      try {
        process.kill(-proc.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await exited;
    },
  };
}

export type Call = (pathName: string, body: unknown) => Promise<any>;

/** POST with the key; returns `data` of a successful envelope and throws on any error envelope. */
export function client(s: Pick<BenchServer, 'baseUrl' | 'apiKey'>): Call {
  return async (pathName, body) => {
    const res = await fetch(s.baseUrl + pathName, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${s.apiKey}` },
      body: JSON.stringify(body),
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

/** Resident set size in MB (Linux /proc) of the process serving: the launcher's child when it handed over. */
export function rssMb(pid: number): number {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (children.length) return rssMb(Number(children[0]));
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
