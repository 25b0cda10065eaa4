/**
 * Composition root: store, task runner, engine context and HTTP app. `startServer` is what the CLI and the
 * tests call.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config';
import { openStore } from './store/open';
import type { Store } from './store/types';
import { TaskRunner, type TaskHandler } from './engine/tasks';
import { UsageRecorder, type ModelUsage } from './engine/usage';
import { TurnCache } from './engine/turn-cache';
import type { EngineContext } from './engine/context';
import { WorkQueue } from './engine/work-queue';
import { makeRefineHandler, ruleExtractor } from './engine/refine';
import { makeFeedbackHandler } from './engine/feedback';
import { KB_FILE_TASK, makeKnowledgebaseFileHandler } from './engine/kb-ingest';
import { createLanguageModel } from './providers/llm';
import { createEmbedder } from './providers/embeddings';
import { VectorIndexer } from './engine/vector-index';
import { startRetention } from './engine/portability/retention';
import { startPeriodic } from './engine/periodic';
import { sweepOrphanParts } from './engine/knowledgebase';
import { makeLlmExtractor } from './providers/llm-extractor';
import { makeLlmFeedbackAnalyzer } from './providers/llm-feedback';
import { allEndpoints, buildApp, mountApi } from './http/app';
import { generateKey, hashKey, keyPrefix } from './http/keys';

export interface RunningServer {
  app: FastifyInstance;
  ctx: EngineContext;
  /** e.g. http://127.0.0.1:8000 */
  origin: string;
  /** origin + API prefix: what a MemOS client's base URL is set to. */
  baseUrl: string;
  /** The key created at first start (or the bootstrap key), when this start created or knows it. */
  initialKey?: string;
  close(): Promise<void>;
}

const INITIAL_KEY_FILE = 'initial-api-key';

/** First start: create the default project and its first key; keep that key readable for the owner only. */
export async function ensureBootstrap(store: Store, config: Config): Promise<string | undefined> {
  const { project, created } = await store.ensureDefaultProject();
  const keyFile = path.join(config.dataDir, INITIAL_KEY_FILE);
  if (config.bootstrapKey) {
    const existing = await store.findKeyByHash(hashKey(config.bootstrapKey));
    if (!existing) await store.createKey(project.id, hashKey(config.bootstrapKey), keyPrefix(config.bootstrapKey), 'bootstrap');
    else if (existing.revokedTime) return undefined;
    return config.bootstrapKey;
  }
  if (created) {
    const key = generateKey();
    await store.createKey(project.id, hashKey(key), keyPrefix(key), 'initial');
    fs.writeFileSync(keyFile, key + '\n', { mode: 0o600 });
    return key;
  }
  if (fs.existsSync(keyFile)) {
    const key = fs.readFileSync(keyFile, 'utf8').trim();
    const rec = await store.findKeyByHash(hashKey(key));
    if (rec && !rec.revokedTime) return key;
  }
  return undefined;
}

export interface StartOptions {
  /** Log lines go here instead of stdout. */
  logStream?: NodeJS.WritableStream;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const app = buildApp({ config, logStream: options.logStream });
  const store = await openStore(config);
  const initialKey = await ensureBootstrap(store, config);
  const queue = new WorkQueue(config.maxQueuedRequests);
  const tasks = new TaskRunner(store, app.log, config.workerConcurrency, config.taskStartDelayMs, config.taskQueueMax, { leaseMs: config.taskLeaseMs, pollMs: config.taskPollMs }, queue);
  const usage = new UsageRecorder(store, app.log);
  const ctx: EngineContext = { store, config, log: app.log, tasks, queue, turns: new TurnCache(), extractor: ruleExtractor, usage };
  // Model calls a task makes are counted against its project, as "task:<kind>".
  const counted = (kind: string, handler: TaskHandler): TaskHandler => (task) => usage.within(task.projectId, `task:${kind}`, () => handler(task));
  tasks.register('refine', counted('refine', makeRefineHandler(ctx, () => ctx.extractor)));
  tasks.register('feedback', counted('feedback', makeFeedbackHandler(ctx, () => ctx.extractor)));
  tasks.register(KB_FILE_TASK, counted(KB_FILE_TASK, makeKnowledgebaseFileHandler(ctx)));
  // A configured model upgrades chat, fine-mode extraction and feedback analysis; each keeps its offline path.
  const onUsage = (u: ModelUsage) => usage.model(u);
  const llm = createLanguageModel(config, app.log, onUsage);
  if (llm) {
    ctx.llm = llm;
    ctx.extractor = makeLlmExtractor(llm, ruleExtractor, app.log);
    ctx.feedbackAnalyzer = makeLlmFeedbackAnalyzer(llm, app.log);
    app.log.info({ endpoint: config.llmBaseUrl, models: llm.models }, 'language model configured');
  }
  // A configured embedding model adds vector recall; memories get their vectors in the background.
  const embedder = createEmbedder(config, app.log, onUsage);
  const vectors = embedder ? new VectorIndexer(store, embedder, app.log) : undefined;
  if (embedder) {
    ctx.embedder = embedder;
    app.log.info({ model: embedder.model }, 'embedding model configured: hybrid recall');
  }
  mountApi(app, ctx, allEndpoints());

  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await tasks.resume();
  vectors?.start();
  usage.start();
  const retention = config.messageRetentionDays ? startRetention(store, config.messageRetentionDays, app.log) : undefined;
  const orphanSweep = startPeriodic('upload parts sweep', 3_600_000, async () => {
    const n = await sweepOrphanParts(ctx);
    if (n) app.log.info({ parts: n }, 'parts of uploads that were never committed removed');
  }, app.log);

  let closed = false;
  return {
    app,
    ctx,
    origin,
    baseUrl: origin + config.apiPrefix,
    initialKey,
    async close() {
      if (closed) return;
      closed = true;
      // The database is closed whatever fails before it: a store left open keeps its write-ahead log behind.
      try {
        await app.close();
        await tasks.stop();
        await vectors?.stop();
        await usage.stop();
        await retention?.stop();
        await orphanSweep.stop();
      } finally {
        await store.close();
      }
    },
  };
}
