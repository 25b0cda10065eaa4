/**
 * How a running server stops: on SIGINT (Ctrl-C), SIGTERM or SIGHUP, and, when asked, when the process that
 * started it goes away without a word (an `npm start` killed with SIGKILL). Stopping closes the listener, lets
 * requests in flight and running background tasks finish, and closes the database; queued tasks stay `running`
 * in the store and resume at the next start.
 */
import type { FastifyBaseLogger } from 'fastify';

/** Longest a graceful stop may take; after that the process exits and unfinished tasks resume at the next start. */
const STOP_DEADLINE_MS = 15_000;
const PARENT_POLL_MS = 500;
/**
 * The parent as it was when the process started, read when this module loads (before the server listens): a
 * parent killed right after the server announced itself must not be mistaken for the parent, which it would be
 * if it were read only once the stop handlers are set up.
 */
const PARENT_AT_START = process.ppid;

export function stopGracefully(close: () => Promise<void>, log: FastifyBaseLogger, opts: { stopWithParent: boolean }): void {
  let stopping = false;
  // A log line must never keep the process from stopping (stderr may be a pipe whose reader is gone).
  const say = (fn: () => void) => {
    try {
      fn();
    } catch {
      /* nothing to report to */
    }
  };
  const stop = (reason: string) => {
    // Ctrl-C under npm arrives twice (from the terminal and forwarded by npm): one stop, however many signals.
    if (stopping) return;
    stopping = true;
    say(() => log.info({ reason }, 'shutting down'));
    setTimeout(() => {
      say(() => log.warn({ deadlineMs: STOP_DEADLINE_MS }, 'background work still running at the stop deadline; it resumes at the next start'));
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    close().then(
      () => process.exit(0),
      (err) => {
        say(() => log.error({ err }, 'error while shutting down'));
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  if (opts.stopWithParent) {
    // An orphan is adopted by init (or a subreaper), which changes the parent pid; Node has no parent-death signal.
    setInterval(() => {
      if (process.ppid !== PARENT_AT_START) stop('parent process exited');
    }, PARENT_POLL_MS).unref();
  }
}
