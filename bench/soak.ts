/**
 * Soak: does heavy work stall anybody? One built server on loopback, a preloaded store, then three phases of the
 * same length, side by side in one run:
 *
 *   npm run bench:soak [-- --seconds 20 --clients 32 --doc-mb 20 --out results.json]
 *
 *   idle       `--clients` closed-loop clients searching;
 *   mixed      the same clients, 70% searches and 30% /add/message writes (each write states a unique fact);
 *   ingesting  the same searches while a `--doc-mb` Markdown document is uploaded to a knowledge base and
 *              processed (parsed, chunked, indexed), until it is `completed` (at least `--seconds`).
 *
 * Throughout, /health is called every 50 ms from a thread of its own (so the load generator's own pauses do not
 * count) and the server's RSS is read every second.
 * Afterwards every acknowledged write is checked: its unique fact must be found by /search/memory. Reported: search
 * p50/p95/p99 and /health max per phase, add p95, errors, lost writes, RSS over time, and the targets (mixed and
 * ingesting search p99 at most 2x idle, /health max under 100 ms, 0 errors, 0 lost).
 */
import fs from 'node:fs';
import { numberFlag, rng, stringFlag } from './lib/args';
import { rssMb, workersRssMb, startServer, waitForTasks, client as benchClient, type BenchServer } from './lib/server';
import { ms, percentile, table } from './lib/stats';
import { startHealthPinger } from './lib/health-pinger';
import { markdownDocument } from './lib/documents';

const args = () => ({
  seconds: numberFlag('seconds', 20),
  clients: numberFlag('clients', 32),
  docMb: numberFlag('doc-mb', 20),
  users: numberFlag('users', 16),
  preload: numberFlag('preload', 200),
  out: stringFlag('out'),
});

const CITIES = ['Shanghai', 'Berlin', 'Lisbon', 'Osaka', 'Toronto', 'Nairobi', 'Lima', 'Oslo', 'Hanoi', 'Denver'];
const FOODS = ['ramen', 'tacos', 'dumplings', 'paella', 'sushi', 'curry', 'pho', 'risotto', 'falafel', 'kimchi'];
const HOBBIES = ['climbing', 'chess', 'pottery', 'cycling', 'baking', 'sailing', 'painting', 'running', 'birding', 'knitting'];
const PETS = ['cat', 'dog', 'parrot', 'rabbit', 'turtle', 'hamster'];

function sentence(r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  switch (Math.floor(r() * 4)) {
    case 0:
      return `I moved to ${pick(CITIES)} last year and I love the food there.`;
    case 1:
      return `My favourite dish is ${pick(FOODS)}, I eat it every week.`;
    case 2:
      return `On weekends I go ${pick(HOBBIES)} with my friends.`;
    default:
      return `I have a ${pick(PETS)} named ${pick(['Mochi', 'Rex', 'Luna', 'Kiwi', 'Bao', 'Pip'])}.`;
  }
}

const QUERIES = [
  'where did the user move to',
  'what is my favourite dish',
  'what do I do on weekends',
  'what pet do I have',
  'which city do I live in',
  'what food do I like',
  'hobbies with friends',
  'what is the name of my pet',
];

interface Sample {
  phase: string;
  kind: 'search' | 'add' | 'health';
  ms: number;
  ok: boolean;
}

async function post(s: BenchServer, pathName: string, body: unknown): Promise<{ ok: boolean; data: any; ms: number }> {
  const t = performance.now();
  try {
    const res = await fetch(s.baseUrl + pathName, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${s.apiKey}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const env = (await res.json()) as { code: number; data: any };
    return { ok: env.code === 0, data: env.data, ms: performance.now() - t };
  } catch {
    return { ok: false, data: undefined, ms: performance.now() - t };
  }
}

async function main() {
  const o = args();
  const server = await startServer({ env: { MEMOS_LOG_LEVEL: 'error' } });
  const call = benchClient(server);
  const samples: Sample[] = [];
  const rss: Array<{ t: number; phase: string; mb: number; workersMb: number }> = [];
  let phase = 'preload';
  const t0 = Date.now();
  const rssTimer = setInterval(() => rss.push({ t: (Date.now() - t0) / 1000, phase, mb: rssMb(server.proc.pid!), workersMb: workersRssMb(server.proc.pid!) }), 1000);
  try {
    // Preload: `--preload` turns per user, refined before the phases start.
    const r = rng(1);
    const tasks: string[] = [];
    for (let u = 0; u < o.users; u++) {
      for (let i = 0; i < o.preload; i += 20) {
        const messages = Array.from({ length: 20 }, (_, k) => ({ role: k % 2 ? 'assistant' : 'user', content: k % 2 ? 'Noted.' : sentence(r) }));
        const d = await call('/add/message', { user_id: `soak-user-${u}`, conversation_id: `pre-${u}-${i}`, messages });
        tasks.push(d.task_id);
      }
    }
    await waitForTasks(call, tasks);
    const kb = (await call('/create/knowledgebase', { knowledgebase_name: 'soak handbook' })).id as string;

    // /health from a thread of its own (health-pinger.ts), every 50 ms, all run long; phases assigned by time.
    const pinger = await startHealthPinger(server.origin + '/health', 50);
    const phaseStarts: Array<{ at: number; phase: string }> = [{ at: 0, phase }];
    const enter = (name: string) => {
      phase = name;
      phaseStarts.push({ at: Date.now(), phase: name });
    };

    const acknowledged: Array<{ user: string; token: string }> = [];
    let seq = 0;
    const runClients = async (name: string, addShare: number, until: () => boolean) => {
      enter(name);
      await Promise.all(
        Array.from({ length: o.clients }, async (_, c) => {
          const cr = rng(100 + c);
          const user = `soak-user-${c % o.users}`;
          while (!until()) {
            if (cr() < addShare) {
              const token = `zq${(seq++).toString(36)}x${c}`;
              const res = await post(server, '/add/message', {
                user_id: user,
                conversation_id: `soak-${c}`,
                messages: [{ role: 'user', content: `My locker code is ${token}, please remember it.` }],
              });
              samples.push({ phase: name, kind: 'add', ms: res.ms, ok: res.ok });
              if (res.ok) acknowledged.push({ user, token });
            } else {
              const res = await post(server, '/search/memory', { user_id: user, query: QUERIES[Math.floor(cr() * QUERIES.length)] });
              samples.push({ phase: name, kind: 'search', ms: res.ms, ok: res.ok });
            }
          }
        }),
      );
    };
    const timed = (s: number) => {
      const end = Date.now() + s * 1000;
      return () => Date.now() >= end;
    };

    await runClients('idle', 0, timed(o.seconds));
    await runClients('mixed', 0.3, timed(o.seconds));
    // Let the writes of the mixed phase be refined, so the ingesting phase measures the document alone.
    enter('settle');
    await new Promise((res) => setTimeout(res, 3000));
    const rssBefore = rssMb(server.proc.pid!);

    const uploadBody = Buffer.from(JSON.stringify({ knowledgebase_id: kb, file: [{ content: Buffer.from(markdownDocument(o.docMb)).toString('base64'), name: 'handbook.md' }] }));
    let ingestDone = false;
    let ingestMs = NaN;
    let fileStatus = 'unknown';
    const ingest = (async () => {
      const t = Date.now();
      const up = await call('/add/knowledgebase-file', uploadBody);
      const id = up[0].id as string;
      for (;;) {
        const d = await call('/get/knowledgebase-file', { file_ids: [id] });
        fileStatus = d.file_detail_list[0].status;
        if (!/running|processing/i.test(fileStatus)) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      ingestMs = Date.now() - t;
      ingestDone = true;
    })();
    const minEnd = timed(o.seconds);
    await runClients('ingesting', 0, () => ingestDone && minEnd());
    await ingest;
    enter('after');
    // The document worker ends after a few idle seconds and hands its memory back.
    await new Promise((res) => setTimeout(res, 8000));
    const rssAfter = rssMb(server.proc.pid!);
    for (const p of await pinger.stop()) samples.push({ phase: phaseStarts.findLast((s) => s.at <= p.at)!.phase, kind: 'health', ms: p.ms, ok: p.ok });

    // Every acknowledged write must be found.
    let lost = 0;
    await call('/get/status', { task_id: tasks[0] });
    const queue = [...acknowledged];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let w = queue.shift(); w; w = queue.shift()) {
          const d = await call('/search/memory', { user_id: w.user, query: `locker code ${w.token}`, relativity: 0 });
          const found = [...(d.memory_detail_list ?? [])].some((m: { memory_value?: string }) => (m.memory_value ?? '').includes(w.token));
          if (!found) lost++;
        }
      }),
    );

    const stat = (p: string, kind: Sample['kind']) => samples.filter((s) => s.phase === p && s.kind === kind);
    const lat = (xs: Sample[], q: number) => percentile(xs.map((s) => s.ms), q);
    const rows = ['idle', 'mixed', 'ingesting'].map((p) => {
      const s = stat(p, 'search');
      const h = stat(p, 'health');
      const a = stat(p, 'add');
      const errors = [...s, ...h, ...a].filter((x) => !x.ok).length;
      const phaseRss = rss.filter((x) => x.phase === p).map((x) => x.mb);
      return {
        phase: p,
        searches: s.length,
        p50: lat(s, 50),
        p95: lat(s, 95),
        p99: lat(s, 99),
        healthMax: Math.max(...h.map((x) => x.ms)),
        healthP99: lat(h, 99),
        adds: a.length,
        addP95: lat(a, 95),
        errors,
        rssMax: Math.max(...phaseRss),
      };
    });
    const idle = rows[0];
    console.log(
      table(
        ['phase', 'searches', 'search p50 ms', 'p95 ms', 'p99 ms', 'p99 / idle', '/health max ms', '/health p99 ms', 'adds', 'add p95 ms', 'errors', 'RSS max MB'],
        rows.map((x) => [x.phase, x.searches, ms(x.p50), ms(x.p95), ms(x.p99), (x.p99 / idle.p99).toFixed(2), ms(x.healthMax), ms(x.healthP99), x.adds, x.adds ? ms(x.addP95) : '-', x.errors, x.rssMax.toFixed(0)]),
      ),
    );
    const errors = rows.reduce((n, x) => n + x.errors, 0);
    const healthMax = Math.max(...rows.map((x) => x.healthMax));
    const summary = {
      clients: o.clients,
      seconds: o.seconds,
      docMb: o.docMb,
      document: { status: fileStatus, processingMs: ingestMs },
      acknowledgedWrites: acknowledged.length,
      lost,
      errors,
      rssBeforeUploadMb: Math.round(rssBefore),
      rssAfterUploadMb: Math.round(rssAfter),
      rssPeakMb: Math.round(Math.max(...rss.map((x) => x.mb))),
      // The server and its worker processes together (document parsing runs in one of them).
      rssPeakWithWorkersMb: Math.round(Math.max(...rss.map((x) => x.mb + x.workersMb))),
      targets: {
        mixedP99WithinTwiceIdle: rows[1].p99 <= 2 * idle.p99,
        ingestingP99WithinTwiceIdle: rows[2].p99 <= 2 * idle.p99,
        healthMaxUnder100ms: healthMax < 100,
        noErrors: errors === 0,
        noneLost: lost === 0,
        rssBackWithin50Mb: rssAfter - rssBefore <= 50,
      },
    };
    console.log(
      `\ndocument: ${o.docMb} MB Markdown, ${fileStatus} in ${(ingestMs / 1000).toFixed(1)} s; writes acknowledged ${acknowledged.length}, lost ${lost}; ` +
        `RSS ${summary.rssBeforeUploadMb} MB before the upload, peak ${summary.rssPeakMb} MB (${summary.rssPeakWithWorkersMb} MB with its worker processes), ${summary.rssAfterUploadMb} MB after`,
    );
    console.log('RSS over time (s: MB): ' + rss.filter((_, i) => i % 5 === 0).map((x) => `${x.t.toFixed(0)}:${x.mb.toFixed(0)}${x.workersMb ? `+${x.workersMb.toFixed(0)}` : ''}`).join(' '));
    console.log('targets: ' + JSON.stringify(summary.targets));
    if (o.out) fs.writeFileSync(o.out, JSON.stringify({ ...summary, phases: rows, rss }, null, 2));
  } finally {
    clearInterval(rssTimer);
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
