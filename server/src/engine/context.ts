import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { Store } from '../store/types';
import type { TaskRunner } from './tasks';
import type { Extractor, FeedbackAnalyzer } from './ports';
import type { LanguageModel } from '../providers/llm';
import type { Embedder } from '../providers/embeddings';
import type { UsageRecorder } from './usage';
import type { TurnCache } from './turn-cache';
import type { WorkQueue } from './work-queue';

/** What every engine operation needs. Built once at start (see server.ts). */
export interface EngineContext {
  store: Store;
  config: Config;
  log: FastifyBaseLogger;
  tasks: TaskRunner;
  /** Turns on the request thread, shared by requests and background work (work-queue.ts). */
  queue: WorkQueue;
  /** The last turns of recently active conversations (the write path's context for a new turn). */
  turns: TurnCache;
  /** Active extractor: rules offline, a language model when configured. */
  extractor: Extractor;
  /** The configured language model (chat), if any. */
  llm?: LanguageModel;
  /** Model-based feedback analysis when a model is configured; the rules decide otherwise. */
  feedbackAnalyzer?: FeedbackAnalyzer;
  /** Embedding model for hybrid recall (MEMOS_EMBEDDING_MODEL); recall is lexical without it. */
  embedder?: Embedder;
  /** Usage figures for the console (engine/usage.ts); absent in tools that run the engine without a server. */
  usage?: UsageRecorder;
}

/** The caller's identity, resolved from the API key. */
export interface Caller {
  projectId: string;
  /** A read-only key: only reads are allowed (http/read-only.ts). */
  readOnly?: boolean;
}
