/**
 * Write-ahead-log checkpoints off the request thread. By default SQLite copies the log back into the database file
 * inside whichever commit finds it over 1,000 pages: on the request thread that commit then takes up to 200 ms
 * instead of 10 (a 20 MB document's original, or the slice of its chunks that crosses the threshold), and every
 * request waits. Here the store's connection never checkpoints; a worker thread with a connection of its own does,
 * a few times a second, in PASSIVE mode: it copies what no reader still needs and never waits for, or blocks,
 * readers or writers. When the log is reset it is cut back to JOURNAL_LIMIT, so its file does not stay at its peak.
 *
 * If the thread cannot start or dies, the connection checkpoints for itself again (as before): the log never
 * grows without bound.
 */
import { Worker } from 'node:worker_threads';
import type { SqliteDb } from './connection';
import { DRIVER_PATH } from './driver';

const EVERY_MS = 250;
const JOURNAL_LIMIT = 64 * 1024 * 1024;
/** SQLite's own default threshold, restored when the thread is gone. */
const AUTO_PAGES = 1000;

// Runs in the thread. The driver is loaded from the path the store resolved, so sources and builds work alike.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); }
  parentPort.postMessage('stopped');
});
`;

export class Checkpointer {
  private worker?: Worker;

  constructor(
    private readonly conn: SqliteDb,
    log: (message: string) => void = () => undefined,
  ) {
    const file = conn.handle.name;
    conn.handle.pragma(`journal_size_limit = ${JOURNAL_LIMIT}`);
    try {
      const w = new Worker(THREAD, { eval: true, workerData: { driver: DRIVER_PATH, file, everyMs: EVERY_MS }, name: 'sqlite-checkpoint' });
      w.unref();
      w.once('error', (err) => log(`the checkpoint thread failed (${err.message}); the store checkpoints for itself`));
      w.once('exit', () => {
        if (this.worker !== w) return;
        this.worker = undefined;
        if (conn.handle.open) conn.handle.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
      });
      this.worker = w;
      conn.handle.pragma('wal_autocheckpoint = 0');
    } catch (err) {
      log(`the checkpoint thread could not start (${err instanceof Error ? err.message : String(err)}); the store checkpoints for itself`);
    }
  }

  /** Whether the store's own connection is spared the checkpoints (the thread is running). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the thread after a last checkpoint, before the store's connection closes. */
  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.worker = undefined;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      w.once('message', done).once('exit', done).once('error', done);
      w.postMessage('stop');
    });
    await w.terminate();
    if (this.conn.handle.open) this.conn.handle.pragma(`wal_autocheckpoint = ${AUTO_PAGES}`);
  }
}
