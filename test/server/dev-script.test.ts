/**
 * `npm start` as a new user runs it: stopping npm (SIGTERM, Ctrl-C, or killing it outright) stops the server it
 * started, gracefully (the database is closed, queued work resumes at the next start), and set-up installs
 * exactly what the lockfile says.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { client, REPO, startMemosLite, waitForTask } from '../helpers/memos-lite';

jest.setTimeout(90_000);
/** The graceful stop has a 15 s deadline (lifecycle.ts); on a loaded 2-core machine the rest can take as long again. */
const STOP_WITHIN_MS = 40_000;

interface NpmStart {
  npm: ChildProcess;
  origin: string;
  /** pid of the server process npm started */
  serverPid: number;
  dataDir: string;
  apiKey: string;
  output(): string;
}

/** `npm start` in its own process group (as in a terminal), without the dependency check and build. */
async function npmStart(env: Record<string, string> = {}): Promise<NpmStart> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-dev-'));
  const apiKey = 'mpg-dev-' + Math.random().toString(36).slice(2, 12);
  const npm = spawn('npm', ['start'], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MEMOS_SKIP_SETUP: '1', MEMOS_PORT: '0', MEMOS_HOST: '127.0.0.1', MEMOS_DATA_DIR: dataDir, MEMOS_BOOTSTRAP_KEY: apiKey, MEMOS_LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  // The banner (stdout) and the server's first log line (stderr, it carries the pid) may come in either order.
  const [origin, serverPid] = await new Promise<[string, number]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('npm start did not serve in 30 s:\n' + out)), 30_000);
    const check = () => {
      const m = out.match(/listening on (http:\/\/\S+)/);
      const p = out.match(/"pid":(\d+)/);
      if (m && p) {
        clearTimeout(timer);
        resolve([m[1], Number(p[1])]);
      }
    };
    npm.stdout!.on('data', check);
    npm.stderr!.on('data', check);
    npm.once('exit', () => {
      clearTimeout(timer);
      reject(new Error('npm exited early:\n' + out));
    });
  });
  // Never leave a server behind, whatever the test does.
  process.once('exit', () => {
    for (const pid of [serverPid, npm.pid!])
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
  });
  return { npm, origin, serverPid, dataDir, apiKey, output: () => out };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

const refuses = (origin: string) =>
  new Promise<boolean>((resolve) => {
    const u = new URL(origin);
    const s = net.connect(Number(u.port), u.hostname);
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

/** A cleanly closed SQLite database leaves no write-ahead log behind. */
const closedCleanly = (dataDir: string) => !fs.existsSync(path.join(dataDir, 'memos.db-wal'));

test('SIGTERM to the npm process stops the server, closing the database', async () => {
  const s = await npmStart();
  expect((await fetch(s.origin + '/health')).status).toBe(200);
  process.kill(s.npm.pid!, 'SIGTERM');
  expect(await gone(s.serverPid, STOP_WITHIN_MS)).toBe(true);
  expect(await refuses(s.origin)).toBe(true);
  expect(s.output()).toMatch(/"reason":"SIGTERM".*shutting down/);
  expect(closedCleanly(s.dataDir)).toBe(true);
});

test('Ctrl-C (SIGINT to the whole process group, so the server receives it twice) stops it once, gracefully', async () => {
  const s = await npmStart();
  process.kill(-s.npm.pid!, 'SIGINT');
  expect(await gone(s.serverPid, STOP_WITHIN_MS)).toBe(true);
  // One stop however many signals: at most one "shutting down" line, and the database closed (WAL gone).
  expect((s.output().match(/shutting down/g) ?? []).length).toBeLessThanOrEqual(1);
  expect(s.output()).not.toMatch(/stop deadline/);
  expect(closedCleanly(s.dataDir)).toBe(true);
});

test('killing npm outright (SIGKILL, no signal passed on) still stops the server', async () => {
  const s = await npmStart();
  process.kill(s.npm.pid!, 'SIGKILL');
  expect(await gone(s.serverPid, STOP_WITHIN_MS)).toBe(true);
  expect(s.output()).toMatch(/parent process exited/);
  expect(closedCleanly(s.dataDir)).toBe(true);
});

test('SIGTERM to the server itself: a queued refinement is resumed at the next start', async () => {
  const s = await npmStart({ MEMOS_TASK_DELAY_MS: '60000' });
  const call = client({ baseUrl: s.origin + '/api/openmem/v1', apiKey: s.apiKey });
  const w = await call('/add/message', { user_id: 'ana', conversation_id: 'c1', messages: [{ role: 'user', content: 'I live in Lisbon.' }] });
  const taskId = w.body.data.task_id;
  process.kill(s.serverPid, 'SIGTERM');
  expect(await gone(s.serverPid, STOP_WITHIN_MS)).toBe(true);
  const again = await startMemosLite({ dataDir: s.dataDir, apiKey: s.apiKey });
  try {
    const call2 = client(again);
    expect(await waitForTask(call2, taskId)).toBe('completed');
    const g = await call2('/get/memory', { user_id: 'ana', size: 50 });
    expect(g.body.data.memory_detail_list.map((m: any) => m.memory_value).join('\n')).toMatch(/lives in Lisbon/);
  } finally {
    await again.stop();
  }
});

test('set-up installs with `npm ci`, and the lockfile is in sync with the manifests (so `npm ci` succeeds on a fresh clone)', () => {
  const dev = fs.readFileSync(path.join(REPO, 'scripts/dev.sh'), 'utf8');
  expect(dev).toMatch(/^\s*npm ci\b/m);
  expect(dev).not.toMatch(/^\s*npm (install|i)\b/m);
  // A dry run checks the lockfile against package.json without touching node_modules.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-ci-'));
  fs.mkdirSync(path.join(dir, 'server'));
  for (const f of ['package.json', 'package-lock.json', 'server/package.json']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  const lockBefore = fs.readFileSync(path.join(dir, 'package-lock.json'));
  execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'pipe', timeout: 50_000 });
  expect(fs.readFileSync(path.join(dir, 'package-lock.json')).equals(lockBefore)).toBe(true);
});
