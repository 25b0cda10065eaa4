/**
 * Entry point of the worker threads started by worker-thread.ts: runs the jobs of cpu-jobs.ts and posts their
 * items and results back. It never opens the database; the main thread stores what it hands back through the
 * Store, so SQLite and PostgreSQL behave the same.
 */
import { parentPort } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import { CPU_JOBS, serializeError } from './cpu-jobs';

/** A result's `bytes` (a decoded upload) is handed over rather than copied, when it owns its whole memory. */
function ownedBuffers(result: unknown): TransferListItem[] {
  const bytes = (result as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

parentPort!.on('message', async (msg: { id: number; kind: string; payload: unknown }) => {
  try {
    const job = Object.hasOwn(CPU_JOBS, msg.kind) ? CPU_JOBS[msg.kind] : undefined;
    if (!job) throw new Error(`unknown job ${msg.kind}`);
    const result = await job(msg.payload, (item) => parentPort!.postMessage({ id: msg.id, type: 'item', item }));
    parentPort!.postMessage({ id: msg.id, type: 'done', result }, ownedBuffers(result));
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, type: 'error', ...serializeError(err) });
  }
});
