/**
 * Starts the real memos-lite (the built CLI, as users run it) on 127.0.0.1 with a free port and a temporary
 * data directory, and stops it again. Requires `npx tsc -p server/tsconfig.json` (scripts/dev.sh test does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'server/bin/memos-lite.js');

export interface MemosLite {
  origin: string;
  baseUrl: string;
  apiKey: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the server printed (stdout + stderr). */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL: simulates a crash. */
  kill(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (restart tests). */
  dataDir?: string;
  apiKey?: string;
}

export async function startMemosLite(opts: StartOptions = {}): Promise<MemosLite> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'memos-test-'));
  const apiKey = opts.apiKey ?? 'mpg-test-' + Math.random().toString(36).slice(2, 14);
  const proc = spawn(process.execPath, [BIN, 'start'], {
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
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // A test file that ends without reaching stop() (a timeout, a failed hook) must not leave servers behind.
  const reap = () => proc.kill('SIGKILL');
  process.once('exit', reap);
  void exited.then(() => process.off('exit', reap));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('memos-lite did not start in 20 s:\n' + out)), 20_000);
    const check = () => {
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`memos-lite exited with ${code}:\n${out}`));
    });
  });
  const stopWith = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
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

/** POST to the API with the key; returns the parsed JSON body and the HTTP status. */
export function client(server: Pick<MemosLite, 'baseUrl' | 'apiKey'>) {
  return async function call(pathName: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(server.baseUrl + pathName, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep the text: the assertion will show it */
    }
    return { status: res.status, body: parsed };
  };
}

/** Polls /get/status until the task leaves `running`. */
export async function waitForTask(call: ReturnType<typeof client>, taskId: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('/get/status', { task_id: taskId });
    const status = r.body?.data?.status;
    if (status && status !== 'running') return status;
    if (Date.now() > end) throw new Error(`task ${taskId} still ${status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
