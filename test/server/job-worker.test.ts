/**
 * The job protocol of job-worker.ts / job-host.ts, run in-process (the tests run the TypeScript sources, where
 * no compiled worker exists, so the same host answers on later ticks): a job reads the input sent to it, hands
 * over at most WINDOW items the caller has not taken, and a closed job stops at its next hand-over.
 */
import { CPU_JOBS } from '../../server/src/engine/cpu-jobs';
import { WINDOW } from '../../server/src/engine/job-host';
import { JobWorker } from '../../server/src/engine/job-worker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let emitted = 0;
let stoppedBy: unknown;

beforeAll(() => {
  CPU_JOBS['test-count'] = async (p: { upTo: number }, io) => {
    try {
      for (let i = 1; i <= p.upTo; i++) {
        await io.emit(i);
        emitted = i;
      }
    } catch (err) {
      stoppedBy = err;
      throw err;
    }
    return 'all';
  };
  CPU_JOBS['test-sum'] = async (_p, io) => {
    let sum = 0;
    for await (const n of io.input) sum += n as number;
    return sum;
  };
});
afterAll(() => {
  delete CPU_JOBS['test-count'];
  delete CPU_JOBS['test-sum'];
});

test('a job waits while the caller holds the items it was allowed to hand over', async () => {
  emitted = 0;
  stoppedBy = undefined;
  const worker = new JobWorker('test');
  const job = await worker.open<number, string>('test-count', { upTo: 50 });
  const items = job.items();
  const taken: number[] = [];
  for (let i = 0; i < 3; i++) taken.push((await items.next()).value as number);
  await sleep(50);
  expect(taken).toEqual([1, 2, 3]);
  // Two done with (the caller asked past them), the third in hand, WINDOW more allowed: never the 50 a job
  // without back-pressure would have sent by now.
  expect(emitted).toBe(2 + WINDOW);
  job.close();
  await sleep(20);
  expect(emitted).toBe(2 + WINDOW);
  expect(String(stoppedBy)).toMatch(/cancelled/);
});

test('a job reads its input to the end, and the next job runs after it', async () => {
  const worker = new JobWorker('test');
  const sum = await worker.open<never, number>('test-sum', {});
  for (const n of [1, 2, 3, 4]) sum.send(n);
  sum.end();
  const count = worker.call<string>('test-count', { upTo: 4 });
  const it = sum.items();
  expect(await it.next()).toEqual({ done: true, value: 10 });
  expect(await count).toBe('all');
});

test('a job\'s error reaches the caller with its message', async () => {
  const worker = new JobWorker('test');
  await expect(worker.call('no-such-job', {})).rejects.toThrow('unknown job no-such-job');
});
