/**
 * Work on the request thread takes turns. With the SQLite store a search runs start to finish without yielding
 * (better-sqlite3 is synchronous), so when 32 requests arrive in one poll of the sockets, Node used to run all 32
 * back to back before it read a socket again: `/health`, or any short call, waited behind every one of them
 * (hundreds of milliseconds under load), and a document being stored slice by slice got one slice in between
 * every search. Here each piece of work waits in one first-come queue, and one starts per turn of the event loop
 * (setImmediate), so sockets are read between any two and requests and background work share the thread in
 * arrival order. Work that then waits on the network (PostgreSQL, a model) keeps running side by side: the
 * queue orders starts, it does not cap concurrency.
 *
 * Requests are admitted against a bound (a full queue refuses them: back-pressure, not a backlog in memory);
 * background work is bounded where it is created (the task runner's slots), so it always gets its turn.
 */
export class WorkQueue {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** `limit`: pieces of work that may wait before a request is refused (background work counts, and is never refused). */
  constructor(readonly limit: number) {}

  /** Pieces of work waiting for their turn. */
  get length() {
    return this.waiting.length;
  }

  /** `start` runs on a later turn, after everything queued before it; false (and never run) when the queue is full. */
  admit(start: () => void): boolean {
    if (this.waiting.length >= this.limit) return false;
    this.push(start);
    return true;
  }

  /** Background work's turn: resolves once everything queued before it has started. */
  turn(): Promise<void> {
    return new Promise((resolve) => this.push(resolve));
  }

  private push(start: () => void) {
    this.waiting.push(start);
    this.schedule();
  }

  private schedule() {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // An immediate queued from an immediate runs on the next turn, after the poll phase has read the sockets.
    setImmediate(() => {
      this.scheduled = false;
      const start = this.waiting.shift()!;
      this.schedule();
      start();
    });
  }
}
