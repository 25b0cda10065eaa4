/** Errors a store raises that its callers act on (whatever the backend). */

/** A task's output arrived after its lease was lost (another worker took the task over): nothing was written. */
export class LeaseLostError extends Error {
  constructor(taskId: string) {
    super(`task ${taskId} is no longer held by this worker; its output was not written`);
    this.name = 'LeaseLostError';
  }
}
