/**
 * /health timed from a thread of its own. A pinger on the load generator's event loop measures that loop too: the
 * soak's client process spends 50-100 ms serialising a 27 MB upload body, and a ping waiting behind that is the
 * benchmark's stall, not the server's. The thread has its own loop and its own connection.
 */
import { Worker } from 'node:worker_threads';

export interface Ping {
  /** When the ping was sent, epoch ms. */
  at: number;
  ms: number;
  ok: boolean;
}

const PINGER = `
const { parentPort, workerData } = require('node:worker_threads');
const pings = [];
let going = true;
parentPort.once('message', () => (going = false));
(async () => {
  // The thread's first fetch loads the HTTP client and opens the connection (about 100 ms): not a measurement.
  await fetch(workerData.url).catch(() => {});
  parentPort.postMessage('ready');
  while (going) {
    const at = Date.now();
    const t = performance.now();
    let ok = false;
    try {
      ok = (await fetch(workerData.url, { signal: AbortSignal.timeout(10000) })).ok;
    } catch {}
    pings.push({ at, ms: performance.now() - t, ok });
    await new Promise((r) => setTimeout(r, workerData.everyMs));
  }
  parentPort.postMessage(pings);
})();
`;

/** Pings `url` every `everyMs` once warmed up (resolves then) until stopped; stop() hands back every ping. */
export async function startHealthPinger(url: string, everyMs: number): Promise<{ stop(): Promise<Ping[]> }> {
  const w = new Worker(PINGER, { eval: true, workerData: { url, everyMs } });
  const failed = new Promise<never>((_, reject) => w.once('error', reject));
  const next = () => Promise.race([new Promise<unknown>((resolve) => w.once('message', resolve)), failed]);
  await next();
  const result = next() as Promise<Ping[]>;
  return {
    async stop() {
      w.postMessage('stop');
      const pings = await result;
      await w.terminate();
      return pings;
    },
  };
}
