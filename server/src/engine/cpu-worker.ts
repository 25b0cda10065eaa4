/**
 * Entry point of the workers started by job-worker.ts, threads or child processes: hands the messages it
 * receives to a JobHost (job-host.ts), which runs the jobs of cpu-jobs.ts. It never opens the database; the main
 * thread stores what it hands back through the Store, so SQLite and PostgreSQL behave the same.
 */
import { parentPort } from 'node:worker_threads';
import { JobHost, type ToJob } from './job-host';

// A child process ends with its parent: when the channel closes there is nobody left to answer.
if (!parentPort) process.once('disconnect', () => process.exit(0));
const host = new JobHost(parentPort ? (m, t) => parentPort!.postMessage(m, t) : (m) => process.send!(m));
if (parentPort) parentPort.on('message', (m: ToJob) => host.receive(m));
else process.on('message', (m) => host.receive(m as ToJob));
