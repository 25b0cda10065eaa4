/**
 * Search latency, write throughput and memory of memos-lite.
 *
 *   npm run bench:latency [-- --scales 1000,10000,100000 --kb 100000 --out results.json] [--backend postgres]
 *
 * For each scale, one user gets that many fast-mode memories, written through the engine's own /add/message path
 * in this process (20-message calls; refinement is skipped so the count is exact and the fixture builds in
 * seconds). Then:
 *   - inside the server: /search/memory's engine function called directly, one query at a time;
 *   - over HTTP: the built server started on that data directory, loaded by autocannon with 1 and with 32
 *     connections (client and server share this machine's cores);
 *   - the server's resident memory after that load.
 * The same for a user with no memories of their own searching a knowledge base of `--kb` chunks.
 * Last, /add/message throughput: a fresh server, autocannon with 16 connections posting two-message turns
 * (async_mode default: the call returns once the messages and fast memories are committed), refinement running
 * in the same process as it does in production.
 * Queries are LoCoMo questions, with the default search parameters (9 facts, preferences on, relativity 0.45).
 *
 * `--in-server-only` stops after the in-process searches (no HTTP load, refine cost or /add/message runs): the quick
 * loop for a search change. `--server-dist <dir>` loads the engine for those from another build of server/ (say, the
 * commit before a change, built with `tsc -p server/tsconfig.json --outDir <dir>` next to a node_modules link), so
 * two builds can be measured alternately on this machine in the same period.
 *
 * `--backend postgres` runs all of it twice in one run, on SQLite and then on PostgreSQL (a throwaway cluster on
 * this machine, bench/lib/postgres.ts), prints the PostgreSQL/SQLite ratios, and adds one replica against two on
 * one database at 32 connections.
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import path from 'node:path';
import { loadCorpus, type Corpus } from './lib/corpus';
import pg from 'pg';
import os from 'node:os';
import { createDatabase, startCluster, stopCluster, type Cluster } from './lib/postgres';
import { cpuSeconds, freshDataDir, REPO, rssMb, startServer, type BenchServer } from './lib/server';
import { ms, percentile, table } from './lib/stats';

/* eslint-disable @typescript-eslint/no-require-imports */
const distFlag = process.argv.indexOf('--server-dist');
const DIST = distFlag >= 0 ? path.resolve(process.argv[distFlag + 1]) : path.join(REPO, 'server', 'dist');
const dist = (p: string) => require(path.join(DIST, p));
const { loadConfig } = dist('config.js');
const { openStore } = dist('store/open.js');
const { ensureBootstrap } = dist('server.js');
const { addMessage } = dist('engine/write.js');
const { TurnCache } = dist('engine/turn-cache.js');
const { WorkQueue } = dist('engine/work-queue.js');
const { searchMemory } = dist('engine/recall.js');
const { buildMemory } = dist('engine/records.js');
const schemas = dist('api/schemas.js');
const { makeRefineHandler, ruleExtractor } = dist('engine/refine.js');

const API = '/api/openmem/v1';
const USER = 'bench-user';
const KB_USER = 'kb-reader';
const SEED_BATCH = 20;
const QUERIES = 400;

interface Row {
  label: string;
  memories: number;
  server: { p50: number; p95: number; p99: number };
  /** One refine task of a two-message call (extraction and de-duplication, without its commit), and next to it the read the de-duplication used to make (the user's newest 2,000 memories). */
  refine?: { p50: number; p95: number; oldRead: { p50: number; p95: number } };
  c1: { p50: number; p95: number; rps: number };
  c32: { p50: number; p95: number; rps: number };
  rssMb: number;
}

function args() {
  const a = process.argv.slice(2);
  const get = (n: string) => (a.indexOf(`--${n}`) >= 0 ? a[a.indexOf(`--${n}`) + 1] : undefined);
  return {
    scales: (get('scales') ?? '1000,10000,100000').split(',').map(Number),
    kb: Number(get('kb') ?? 100_000),
    out: get('out'),
    c1Seconds: Number(get('c1-seconds') ?? 5),
    c32Seconds: Number(get('c32-seconds') ?? 10),
    backend: get('backend') ?? 'sqlite',
    inServerOnly: a.includes('--in-server-only'),
  };
}

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child: () => silent };

/** The engine on a data directory, without HTTP: what "inside the server" measures. */
/** Where the data lives: the SQLite file in the data directory, or a PostgreSQL database. */
interface Backend {
  name: 'sqlite' | 'postgresql';
  /** A fresh database for a run that needs one (the write throughput); undefined on SQLite. */
  fresh(): string | undefined;
  url: string | undefined;
}

const serverEnv = (url: string | undefined): Record<string, string> => (url ? { MEMOS_DATABASE_URL: url } : {});

async function openEngine(dataDir: string, apiKey: string, databaseUrl?: string) {
  const config = loadConfig({ dataDir, bootstrapKey: apiKey, logLevel: 'silent', databaseUrl }, {});
  const store = await openStore(config);
  await ensureBootstrap(store, config);
  const projectId: string = (await store.listProjects())[0].id;
  const tasks = { admit() {}, enqueue() {}, waitFor: async () => ({ status: 'completed', error: null }) };
  const ctx = { store, config, log: silent, tasks, queue: new WorkQueue(1_000), turns: new TurnCache(), extractor: async () => ({ facts: [], preferences: [], tools: [] }) };
  return { ctx, store, caller: { projectId }, projectId };
}
type Engine = Awaited<ReturnType<typeof openEngine>>;

async function seedMemories(e: Engine, corpus: Corpus, from: number, to: number) {
  const start = Date.UTC(2023, 0, 1);
  for (let i = from; i < to; i += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, to - i);
    const messages = Array.from({ length: n }, (_, j) => ({
      role: (i + j) % 2 ? 'assistant' : 'user',
      content: corpus.turn(i + j),
      chat_time: new Date(start + (i + j) * 600_000).toISOString(),
    }));
    await addMessage(e.ctx, e.caller, schemas.addMessage.parse({ user_id: USER, conversation_id: `conv-${Math.floor(i / 200)}`, messages }));
  }
  // The fixture is fast memories only: nothing is left for a server start to refine.
  const done = "UPDATE tasks SET status = 'completed' WHERE status = 'running'";
  if (e.store.db) e.store.db.prepare(done).run();
  else await e.store.conn.pool.query(done);
}

async function seedKnowledgebase(e: Engine, corpus: Corpus, chunks: number): Promise<string> {
  const kbId = 'kb-bench';
  const now = Date.now();
  await e.store.createKnowledgebase({ id: kbId, name: 'bench', description: 'latency benchmark', projectId: e.projectId, createTime: now }, e.projectId, 100);
  for (let i = 0; i < chunks; i += 1000) {
    const memories = [];
    for (let j = i; j < Math.min(chunks, i + 1000); j++) {
      // About 500 characters, like the document chunker's pieces.
      const text = [0, 1, 2, 3].map((k) => corpus.turn(j * 4 + k + 1_000_000)).join(' ').slice(0, 500);
      memories.push(
        buildMemory({
          projectId: e.projectId,
          scope: 'knowledgebase',
          knowledgebaseId: kbId,
          kind: 'fact',
          subtype: 'LongTermMemory',
          key: `bench.md > section ${Math.floor(j / 20)}`,
          value: text,
          conversationId: 'default_session',
          eventTime: now,
          tags: ['knowledgebase'],
          data: { knowledgebase_id: kbId, file_id: 'file-bench', file_name: 'bench.md', chunk_index: j },
          sources: [{ type: 'knowledgebase', knowledgebase_id: kbId, file_id: 'file-bench', file_name: 'bench.md', chunk_index: j }],
        }),
      );
    }
    await e.store.commit({ memories });
  }
  return kbId;
}

async function inProcess(e: Engine, corpus: Corpus, body: (q: string) => Record<string, unknown>) {
  const lat: number[] = [];
  for (let i = 0; i < QUERIES + 50; i++) {
    const req = schemas.searchMemory.parse(body(corpus.query(i)));
    const t0 = performance.now();
    await searchMemory(e.ctx, e.caller, req);
    if (i >= 50) lat.push(performance.now() - t0); // the first 50 warm caches and the JIT
  }
  return { p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99) };
}

/**
 * What refinement costs per call as the user's memories grow: the refine task of a two-message call run on the
 * engine (rule extraction, the signature lookup, the state lookup; its commit is left out), and in the same loop
 * the read de-duplication made before signatures (the user's newest 2,000 memories), for a side-by-side ratio.
 */
async function refineCost(e: Engine, corpus: Corpus) {
  const handler = makeRefineHandler(e.ctx, () => ruleExtractor);
  const lat: number[] = [];
  const old: number[] = [];
  for (let i = 0; i < 250; i++) {
    const time = Date.UTC(2025, 0, 1) + i * 60_000;
    // A statement the rule extractor turns into a fact, so every call has something to de-duplicate.
    const said = [`I started ${corpus.turn(5_000_000 + i).split(' ').slice(-1)[0]} classes this spring.`, corpus.turn(5_000_000 + i)];
    const messages = [0, 1].map((j) => ({ index: j, role: j ? 'assistant' : 'user', text: said[j], time, chatTime: new Date(time).toISOString() }));
    const payload = { userId: USER, conversationId: `refine-${i}`, agentId: null, appId: null, tags: [], info: {}, allowPublic: false, allowKnowledgebaseIds: [], messages, fastIds: {} };
    const t0 = performance.now();
    await handler({ id: `bench-refine-${i}`, projectId: e.projectId, kind: 'refine', payload });
    const t1 = performance.now();
    await e.store.findUserMemories(e.projectId, USER, { kinds: ['fact', 'preference', 'tool'], limit: 2000 });
    const t2 = performance.now();
    if (i >= 50) {
      lat.push(t1 - t0);
      old.push(t2 - t1);
    }
  }
  return { p50: percentile(lat, 50), p95: percentile(lat, 95), oldRead: { p50: percentile(old, 50), p95: percentile(old, 95) } };
}

function load(server: BenchServer, connections: number, seconds: number, pathName: string, body: (i: number) => unknown) {
  return new Promise<{ p50: number; p95: number; rps: number; total: number }>((resolve, reject) => {
    let n = 0;
    const lat: number[] = [];
    const instance = autocannon(
      {
        url: server.baseUrl.replace(API, ''),
        connections,
        duration: seconds,
        // A loaded machine (the tests of others, a PostgreSQL server) can hold a search for seconds: wait for it.
        timeout: 60,
        requests: [
          {
            method: 'POST',
            path: API + pathName,
            headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
            setupRequest: (req) => ({ ...req, body: JSON.stringify(body(n++)) }),
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        if (r.non2xx || r.errors || r.timeouts) return reject(new Error(`load run had ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`));
        resolve({ p50: percentile(lat, 50), p95: percentile(lat, 95), rps: r.requests.total / seconds, total: r.requests.total });
      },
    );
    instance.on('response', (_c, _status, _bytes, responseTime) => lat.push(responseTime));
  });
}

/** One search over plain fetch first: the load runs must measure answers, not error envelopes. */
async function checkSearch(server: BenchServer, body: unknown) {
  const r = await fetch(server.baseUrl + '/search/memory', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
    body: JSON.stringify(body),
  });
  const env = (await r.json()) as { code: number; message: string; data: { memory_detail_list: unknown[] } };
  if (env.code !== 0) throw new Error(`search failed: ${env.code} ${env.message}`);
  return env.data.memory_detail_list.length;
}

async function measure(label: string, memories: number, e: Engine, dataDir: string, apiKey: string, corpus: Corpus, o: ReturnType<typeof args>, body: (q: string) => Record<string, unknown>, withRefine = false, url?: string): Promise<Row> {
  const server = await inProcess(e, corpus, body);
  if (o.inServerOnly) {
    await e.store.close();
    const none = { p50: NaN, p95: NaN, rps: NaN };
    console.error(`${label}: server p50 ${ms(server.p50)} p95 ${ms(server.p95)} p99 ${ms(server.p99)} ms`);
    return { label, memories, server, c1: none, c32: none, rssMb: NaN };
  }
  const refine = withRefine ? await refineCost(e, corpus) : undefined;
  await e.store.close();
  const s = await startServer({ dataDir, apiKey, env: serverEnv(url) });
  try {
    await checkSearch(s, body(corpus.query(0)));
    const c1 = await load(s, 1, o.c1Seconds, '/search/memory', (i) => body(corpus.query(i)));
    const c32 = await load(s, 32, o.c32Seconds, '/search/memory', (i) => body(corpus.query(i + 7)));
    const row = { label, memories, server, refine, c1, c32, rssMb: rssMb(s.proc.pid!) };
    console.error(`${label}: server p95 ${ms(server.p95)} ms, http c1 p95 ${ms(c1.p95)} ms, c32 p95 ${ms(c32.p95)} ms (${c32.rps.toFixed(0)} req/s), rss ${row.rssMb.toFixed(0)} MB`);
    return row;
  } finally {
    await s.stop();
  }
}

async function throughput(corpus: Corpus, seconds: number, perCall: number, backend: Backend) {
  const dataDir = freshDataDir();
  const url = backend.fresh();
  const s = await startServer({ dataDir, env: serverEnv(url) });
  try {
    const t0 = Date.now();
    const cpu0 = cpuSeconds(s.proc.pid!);
    const r = await load(s, 16, seconds, '/add/message', (i) => ({
      user_id: `writer-${i % 50}`,
      conversation_id: `thread-${i % 500}`,
      messages: Array.from({ length: perCall }, (_, j) => ({
        role: j % 2 ? 'assistant' : 'user',
        content: corpus.turn(perCall * i + j),
        chat_time: new Date(Date.UTC(2024, 0, 1) + i * 60_000 + j * 5_000).toISOString(),
      })),
    }));
    // How long the in-process refinement takes to catch up with the burst (read-only look at the task table).
    const running = "SELECT COUNT(*) AS n FROM tasks WHERE status = 'running'";
    let pending: () => Promise<number>;
    let closeDb: () => Promise<void>;
    if (url) {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      pending = async () => Number((await pool.query(running)).rows[0].n);
      closeDb = () => pool.end();
    } else {
      const Database = dist('store/sqlite/driver.js').default;
      const db = new Database(path.join(dataDir, 'memos.db'), { readonly: true });
      pending = async () => (db.prepare(running).get() as { n: number }).n;
      closeDb = async () => db.close();
    }
    const burstEnd = Date.now();
    const backlog = await pending();
    while ((await pending()) > 0 && Date.now() - burstEnd < 300_000) await new Promise((res) => setTimeout(res, 250));
    const drainS = (Date.now() - burstEnd) / 1000;
    await closeDb();
    // The server's CPU for accepting and refining every message, per message: steadier than the rates on a shared machine.
    const cpuMsPerMsg = ((cpuSeconds(s.proc.pid!) - cpu0) * 1000) / (perCall * r.total);
    const out = { perCall, msgsPerS: (perCall * r.total) / seconds, p95: r.p95, requests: r.total, backlog, drainS, sustained: (perCall * r.total) / ((Date.now() - t0) / 1000), cpuMsPerMsg, rssMb: rssMb(s.proc.pid!) };
    console.error(`add/message x${perCall}: ${out.msgsPerS.toFixed(0)} messages/s accepted, refinement backlog ${backlog} tasks drained in ${drainS.toFixed(1)} s, server CPU ${cpuMsPerMsg.toFixed(3)} ms per message`);
    return out;
  } finally {
    await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Result {
  backend: Backend['name'];
  rows: Row[];
  adds: Awaited<ReturnType<typeof throughput>>[];
}

/** Every measurement on one backend. */
async function runBackend(backend: Backend, corpus: Corpus, o: ReturnType<typeof args>): Promise<Result> {
  const dataDir = freshDataDir();
  const apiKey = 'mpg-bench-' + Math.random().toString(36).slice(2, 14);
  const rows: Row[] = [];
  const userQuery = (q: string) => ({ user_id: USER, query: q });
  const url = backend.url;
  try {
    let have = 0;
    for (const n of o.scales) {
      const e = await openEngine(dataDir, apiKey, url);
      const t0 = Date.now();
      await seedMemories(e, corpus, have, n);
      console.error(`[${backend.name}] seeded ${n} memories (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      have = n;
      rows.push(await measure(`${n.toLocaleString('en')} memories, one user`, n, e, dataDir, apiKey, corpus, o, userQuery, true, url));
    }
    if (o.kb > 0) {
      const e = await openEngine(dataDir, apiKey, url);
      const t0 = Date.now();
      const kbId = await seedKnowledgebase(e, corpus, o.kb);
      console.error(`[${backend.name}] seeded a knowledge base of ${o.kb} chunks (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      rows.push(await measure(`${o.kb.toLocaleString('en')}-chunk knowledge base`, o.kb, e, dataDir, apiKey, corpus, o, (q) => ({ user_id: KB_USER, query: q, knowledgebase_ids: [kbId] }), false, url));
    }
    if (backend.url) replicaRows.push(...(await replicas(dataDir, apiKey, backend.url, corpus, o, userQuery, have)));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const adds = o.inServerOnly ? [] : [await throughput(corpus, 10, 2, backend), await throughput(corpus, 10, 10, backend)];
  return { backend: backend.name, rows, adds };
}

const replicaRows: Array<{ replicas: number; memories: number; rps: number; p50: number; p95: number }> = [];

/** Searches/s and latency at 32 connections on one database: one replica taking all 32, then two taking 16 each. */
async function replicas(dataDir: string, apiKey: string, url: string, corpus: Corpus, o: ReturnType<typeof args>, body: (q: string) => Record<string, unknown>, memories: number) {
  const out: typeof replicaRows = [];
  for (const count of [1, 2]) {
    const servers: BenchServer[] = [];
    try {
      for (let i = 0; i < count; i++) servers.push(await startServer({ dataDir: i === 0 ? dataDir : freshDataDir(), apiKey, env: serverEnv(url) }));
      for (const s of servers) await checkSearch(s, body(corpus.query(0)));
      const runs = await Promise.all(servers.map((s, i) => load(s, 32 / count, o.c32Seconds, '/search/memory', (j) => body(corpus.query(j * count + i + 11)))));
      const rps = runs.reduce((sum, r) => sum + r.rps, 0);
      // p95 over both replicas' requests, weighted by how many each served.
      const p95 = Math.max(...runs.map((r) => r.p95));
      const p50 = runs.reduce((sum, r) => sum + r.p50 * r.total, 0) / runs.reduce((sum, r) => sum + r.total, 0);
      out.push({ replicas: count, memories, rps, p50, p95 });
      console.error(`[postgresql] ${count} replica(s), c32 total: ${rps.toFixed(0)} searches/s, p95 ${ms(p95)} ms`);
    } finally {
      for (const s of servers) await s.stop();
      for (const s of servers.slice(1)) fs.rmSync(s.dataDir, { recursive: true, force: true });
    }
  }
  return out;
}

function report(r: Result, corpus: Corpus) {
  console.log(`\nmemos-lite latency on ${r.backend} (${corpus.source}; ${QUERIES} queries in process, autocannon over HTTP; Node ${process.version})\n`);
  console.log(
    table(
      ['data', 'in server p50', 'in server p95', 'in server p99', 'HTTP c1 p50', 'HTTP c1 p95', 'HTTP c32 p50', 'HTTP c32 p95', 'c32 req/s', 'server RSS MB'],
      r.rows.map((x) => [x.label, ms(x.server.p50), ms(x.server.p95), ms(x.server.p99), ms(x.c1.p50), ms(x.c1.p95), ms(x.c32.p50), ms(x.c32.p95), x.c32.rps.toFixed(0), x.rssMb.toFixed(0)]),
    ),
  );
  if (!r.adds.length) return; // --in-server-only
  console.log(`\nrefine task of a two-message call, in the engine (200 calls; its commit left out), and the read de-duplication used to make (${r.backend})\n`);
  console.log(
    table(
      ['memories of the user', 'refine p50 ms', 'refine p95 ms', 'old de-duplication read p50 ms', 'old read p95 ms'],
      r.rows.filter((x) => x.refine).map((x) => [x.memories.toLocaleString('en'), ms(x.refine!.p50), ms(x.refine!.p95), ms(x.refine!.oldRead.p50), ms(x.refine!.oldRead.p95)]),
    ),
  );
  console.log(`\n/add/message on ${r.backend}, 16 connections for 10 s (async_mode default; refinement runs in the same process)\n`);
  console.log(
    table(
      ['messages per call', 'accepted messages/s', 'call p95 ms', 'refine backlog at end (tasks)', 'drained after (s)', 'end to end messages/s', 'server CPU ms per message', 'server RSS MB'],
      r.adds.map((a) => [a.perCall, a.msgsPerS.toFixed(0), ms(a.p95), a.backlog, a.drainS.toFixed(1), a.sustained.toFixed(0), a.cpuMsPerMsg.toFixed(3), a.rssMb.toFixed(0)]),
    ),
  );
  const big = r.rows.filter((x) => !x.label.includes('knowledge')).pop()!;
  const kb = r.rows.find((x) => x.label.includes('knowledge'));
  const add = r.adds[0];
  console.log(
    `latency[${r.backend}] p95_ms@${big.memories}: server ${ms(big.server.p95)} http_c32 ${ms(big.c32.p95)}` +
      (kb ? ` kb@${kb.memories}: server ${ms(kb.server.p95)} http_c32 ${ms(kb.c32.p95)}` : '') +
      ` add_msgs_per_s: ${add.msgsPerS.toFixed(0)} rss_mb@${big.memories}: ${big.rssMb.toFixed(0)}`,
  );
}

async function main() {
  const o = args();
  const corpus = loadCorpus();
  const results: Result[] = [];
  results.push(await runBackend({ name: 'sqlite', url: undefined, fresh: () => undefined }, corpus, o));
  let cluster: Cluster | undefined;
  if (o.backend === 'postgres' || o.backend === 'postgresql') {
    // Durable settings (fsync on), as a production server runs.
    cluster = await startCluster({ durable: true });
    let n = 0;
    try {
      results.push(await runBackend({ name: 'postgresql', url: createDatabase(cluster, 'bench'), fresh: () => createDatabase(cluster!, `bench_writes_${n++}`) }, corpus, o));
    } finally {
      stopCluster(cluster);
    }
  } else if (o.backend !== 'sqlite') throw new Error(`--backend must be sqlite or postgres, got ${o.backend}`);
  for (const r of results) report(r, corpus);
  if (results.length === 2) {
    const [lite, pgr] = results;
    console.log(`\nPostgreSQL / SQLite, same run (${os.cpus().length} cores; PostgreSQL server, memos-lite and the load generator share them)\n`);
    console.log(
      table(
        ['data', 'in server p95 ratio', 'HTTP c1 p95 ratio', 'HTTP c32 p95 ratio', 'c32 req/s ratio'],
        lite.rows.map((x, i) => {
          const y = pgr.rows[i];
          return [x.label, (y.server.p95 / x.server.p95).toFixed(2), (y.c1.p95 / x.c1.p95).toFixed(2), (y.c32.p95 / x.c32.p95).toFixed(2), (y.c32.rps / x.c32.rps).toFixed(2)];
        }),
      ),
    );
    console.log(
      table(
        ['/add/message messages per call', 'accepted messages/s ratio', 'call p95 ratio'],
        lite.adds.map((a, i) => [a.perCall, (pgr.adds[i].msgsPerS / a.msgsPerS).toFixed(2), (pgr.adds[i].p95 / a.p95).toFixed(2)]),
      ),
    );
    if (replicaRows.length === 2) {
      console.log(`\nOne replica against two on one PostgreSQL database, 32 connections in all, ${replicaRows[0].memories.toLocaleString('en')} memories (${os.cpus().length} cores)\n`);
      console.log(table(['replicas', 'searches/s', 'p50 ms', 'p95 ms'], replicaRows.map((r) => [r.replicas, r.rps.toFixed(0), ms(r.p50), ms(r.p95)])));
      console.log(`two replicas / one: ${(replicaRows[1].rps / replicaRows[0].rps).toFixed(2)}x searches/s`);
    }
  }
  if (o.out) fs.writeFileSync(o.out, JSON.stringify({ node: process.version, cores: os.cpus().length, results, replicas: replicaRows }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
