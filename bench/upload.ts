/**
 * One large upload on an otherwise idle server: what it costs the server's memory and its other requests.
 *
 *   npm run bench:upload [-- --doc-mb 20 --runs 1]
 *
 * A fresh built server (a few refined writes so that it has warmed up), then a `--doc-mb` Markdown document
 * uploaded to a knowledge base as base64 JSON and processed until `completed`, while /health is pinged every
 * 20 ms from a thread of its own. Reported per run: the upload request's time, the time to completed, /health max,
 * the serving process's RSS before, at its peak and 10 s after (worker processes apart), the workers' peak, and
 * glibc's malloc heap before and after (where native memory the server freed stays resident).
 */
import { numberFlag } from './lib/args';
import { markdownDocument } from './lib/documents';
import { startHealthPinger } from './lib/health-pinger';
import { client, mallocHeapMb, rssMb, startServer, workersRssMb } from './lib/server';
import { ms, table } from './lib/stats';

const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function once(docMb: number) {
  const server = await startServer({ env: { MEMOS_LOG_LEVEL: 'error' } });
  try {
    const call = client(server);
    const pid = server.proc.pid!;
    const kb = (await call('/create/knowledgebase', { knowledgebase_name: 'handbook' })).id as string;
    for (let i = 0; i < 50; i++) await call('/add/message', { user_id: `u${i % 5}`, conversation_id: `c${i % 5}`, messages: [{ role: 'user', content: `I live in city ${i} and I like hiking.` }] });
    const body = Buffer.from(JSON.stringify({ knowledgebase_id: kb, file: [{ content: Buffer.from(markdownDocument(docMb)).toString('base64'), name: 'handbook.md' }] }));
    await sleep(3000);
    const before = { rss: rssMb(pid), heap: mallocHeapMb(pid) };
    let peak = before.rss;
    let workersPeak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
      workersPeak = Math.max(workersPeak, workersRssMb(pid));
    }, 250);
    const pinger = await startHealthPinger(server.origin + '/health', 20);
    const t = performance.now();
    const [file] = await call('/add/knowledgebase-file', body);
    const uploadMs = performance.now() - t;
    for (;;) {
      const d = await call('/get/knowledgebase-file', { file_ids: [file.id] });
      if (d.file_detail_list[0].status !== 'running') break;
      await sleep(200);
    }
    const completedMs = performance.now() - t;
    const pings = await pinger.stop();
    // The document worker ends 5 s after its last job.
    await sleep(10_000);
    clearInterval(sampler);
    return {
      uploadMs,
      completedMs,
      healthMax: Math.max(...pings.map((p) => p.ms)),
      failedPings: pings.filter((p) => !p.ok).length,
      before,
      peak,
      after: { rss: rssMb(pid), heap: mallocHeapMb(pid) },
      workersPeak,
    };
  } finally {
    await server.stop();
  }
}

async function main() {
  const docMb = numberFlag('doc-mb', 20);
  const runs = numberFlag('runs', 1);
  const rows: Array<Array<string | number>> = [];
  for (let i = 0; i < runs; i++) {
    const r = await once(docMb);
    rows.push([
      i + 1,
      ms(r.uploadMs),
      ms(r.completedMs),
      ms(r.healthMax),
      r.failedPings,
      `${r.before.rss.toFixed(0)} / ${r.peak.toFixed(0)} / ${r.after.rss.toFixed(0)}`,
      (r.after.rss - r.before.rss).toFixed(0),
      r.workersPeak.toFixed(0),
      `${r.before.heap.toFixed(0)} / ${r.after.heap.toFixed(0)}`,
    ]);
  }
  console.log(`${docMb} MB Markdown upload on an idle server\n`);
  console.log(
    table(['run', 'upload ms', 'completed ms', '/health max ms', 'failed pings', 'RSS before / peak / after MB', 'after - before MB', 'workers peak MB', 'malloc heap before / after MB'], rows),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
