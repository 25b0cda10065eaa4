/**
 * Documents are parsed in a child process of the server, not on a thread inside it (job-worker.ts): a process
 * hands its memory back to the system when it ends, a thread's heap stayed with the server (RSS 161 → 523 MB after
 * one 20 MB document, docs/benchmarks.md). The built server is spawned, a document uploaded, and the processes
 * are read from /proc: the document worker is a process of its own while it works and is gone once idle.
 */
import fs from 'node:fs';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const TAG = `worker-process-${process.pid}-${Date.now()}`;
const server = useServer({ spawn: true, env: { MEMOS_TEST_TAG: TAG } });

/** Pids of this server's worker processes of the given name (each inherits the server's environment). */
function workerPids(name: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      if (env.includes(`MEMOS_TEST_TAG=${TAG}`) && env.includes(`MEMOS_WORKER_NAME=${name}`)) pids.push(Number(d));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a document is indexed by a worker process, which ends when idle', async () => {
  const call = client(server);
  const kb = (await call('/create/knowledgebase', { knowledgebase_name: 'handbook' })).body.data.id as string;
  const sections = Array.from({ length: 400 }, (_, i) => `## Section ${i}\n\n${'Employees book travel through the portal and keep receipts. '.repeat(40)}\n`);
  sections[321] = '## Parking\n\nThe visitor car park code is plover-4471.\n';
  const up = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: Buffer.from(sections.join('\n')).toString('base64'), name: 'handbook.md' }] });
  expect(up.body.code).toBe(0);
  const id = up.body.data[0].id as string;

  let seen: number[] = [];
  let status = 'running';
  for (const end = Date.now() + 60_000; /running|processing/.test(status) && Date.now() < end; await sleep(50)) {
    if (!seen.length) seen = workerPids('document');
    status = (await call('/get/knowledgebase-file', { file_ids: [id] })).body.data.file_detail_list[0].status;
  }
  expect(status).toBe('completed');
  // It was a process of its own (a thread would not show in /proc as one), and it is still there, idle.
  if (!seen.length) seen = workerPids('document');
  expect(seen).toHaveLength(1);

  const found = await call('/search/memory', { user_id: 'u1', query: 'visitor car park code', knowledgebase_ids: [kb], relativity: 0 });
  expect(JSON.stringify(found.body.data)).toContain('plover-4471');

  // Ended a few seconds after its last job: its memory is the system's again.
  for (const end = Date.now() + 15_000; workerPids('document').length && Date.now() < end; ) await sleep(250);
  expect(workerPids('document')).toEqual([]);
}, 90_000);
