/**
 * The task runner on the embedded SQLite store: a backlog is claimed a few tasks per claim (each claim is a write)
 * yet run oldest first, never more than `concurrency` at once; stopping gives back what was claimed ahead; and where
 * other processes share the database (store.shared), a runner claims only what it starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { newTask, TaskRunner } from '../../server/src/engine/tasks';
import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import type { Store, TaskRecord } from '../../server/src/store/types';

const quiet = { warn() {}, info() {}, error() {}, debug() {} } as unknown as FastifyBaseLogger;

/** The store, with every claim's requested size recorded and `shared` as given. */
function counted(store: Store, shared: boolean) {
  const limits: number[] = [];
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'shared') return shared;
      if (prop === 'claimTasks')
        return (owner: string, leaseMs: number, limit: number, createdBefore?: number) => {
          limits.push(limit);
          return target.claimTasks(owner, leaseMs, limit, createdBefore);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store: proxy as Store, limits };
}

let store: SqliteStore;
let dir: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-runner-'));
  store = new SqliteStore(dir);
  const base = Date.now() - 60_000;
  // Twelve tasks, created a millisecond apart: their order is the order they must start in.
  await store.commit({ newTasks: Array.from({ length: 12 }, (_, i) => newTask('p1', 'job', { n: i }, `task-${String(i).padStart(2, '0')}`, base + i)) });
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the twelve tasks to the end with two slots, each task taking a few milliseconds; returns the order they
 * started in, the most that ran at once, and the size asked for by every claim.
 */
async function runBacklog(shared: boolean) {
  const { store: s, limits } = counted(store, shared);
  const runner = new TaskRunner(s, quiet, 2);
  const started: number[] = [];
  let running = 0;
  let most = 0;
  runner.register('job', async (t) => {
    started.push(t.payload.n as number);
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 3));
    running--;
    return {};
  });
  await runner.resume();
  await runner.idle();
  await runner.stop();
  return { started, most, limits };
}

test('a backlog is claimed several tasks per claim, started oldest first, two at a time', async () => {
  const { started, most, limits } = await runBacklog(false);
  expect(started).toEqual([...Array(12).keys()]);
  expect(most).toBe(2);
  // One claim per task would be 12 claims or more; claiming four ahead of the free slots takes about a third of that.
  expect(limits.length).toBeLessThanOrEqual(6);
  expect(Math.max(...limits)).toBe(6);
  expect((await store.getTask('task-11'))?.status).toBe('completed');
});

test('stopping gives the tasks claimed ahead back: another runner claims them at once', async () => {
  const runner = new TaskRunner(counted(store, false).store, quiet, 2);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started: number[] = [];
  runner.register('job', async (t) => {
    started.push(t.payload.n as number);
    await gate;
    return {};
  });
  await runner.resume();
  expect(started).toEqual([0, 1]);
  const stopped = runner.stop();
  release();
  await stopped;
  expect(started).toEqual([0, 1]);
  // Tasks 2-5 were claimed ahead by the stopped runner; their leases must be free again.
  const next = await store.claimTasks('another-process', 30_000, 3);
  expect(next.map((t) => t.id)).toEqual(['task-02', 'task-03', 'task-04']);
});

test('where other processes share the database, a runner claims only the tasks it starts', async () => {
  const { started, limits } = await runBacklog(true);
  expect(started).toEqual([...Array(12).keys()]);
  expect(Math.max(...limits)).toBeLessThanOrEqual(2);
});
