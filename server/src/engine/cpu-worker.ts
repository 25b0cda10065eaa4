/**
 * Entry point of the workers started by worker-thread.ts, threads or child processes: runs the jobs of
 * cpu-jobs.ts and posts their items and results back. It never opens the database; the main thread stores what
 * it hands back through the Store, so SQLite and PostgreSQL behave the same.
 */
import { parentPort } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import { CPU_JOBS, serializeError } from './cpu-jobs';

type Message = { id: number; kind: string; payload: unknown };
interface Port {
  post(msg: unknown, transfer?: TransferListItem[]): void;
  listen(f: (msg: Message) => void): void;
}

// A child process ends with its parent: when the channel closes there is nobody left to answer.
if (!parentPort) process.once('disconnect', () => process.exit(0));
const port: Port = parentPort
  ? { post: (m, t) => parentPort!.postMessage(m, t), listen: (f) => parentPort!.on('message', f) }
  : { post: (m) => process.send!(m), listen: (f) => process.on('message', f as (m: unknown) => void) };

/** A result's `bytes` (a decoded upload) is handed over rather than copied, when it owns its whole memory. */
function ownedBuffers(result: unknown): TransferListItem[] {
  const bytes = (result as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

port.listen(async (msg) => {
  try {
    const job = Object.hasOwn(CPU_JOBS, msg.kind) ? CPU_JOBS[msg.kind] : undefined;
    if (!job) throw new Error(`unknown job ${msg.kind}`);
    const result = await job(msg.payload, (item) => port.post({ id: msg.id, type: 'item', item }));
    port.post({ id: msg.id, type: 'done', result }, ownedBuffers(result));
  } catch (err) {
    port.post({ id: msg.id, type: 'error', ...serializeError(err) });
  }
});
