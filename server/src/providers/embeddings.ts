/**
 * Text embeddings from any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, DashScope...), through the `openai`
 * package, for hybrid recall. Optional: with MEMOS_EMBEDDING_MODEL unset nothing here is loaded and recall is
 * purely lexical.
 *
 * Calls are batched (texts asked for in the same tick travel in one request, up to MAX_BATCH inputs) and cached
 * (a repeated query or memory text is never sent twice while it is in the cache). Vectors come back normalised to
 * unit length, so cosine similarity is a dot product. Failures throw EmbeddingError; callers fall back to lexical
 * recall and retry later, they never fail a request because of it.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { UsageListener } from './llm';

export interface Embedder {
  readonly model: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export class EmbeddingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

const MAX_BATCH = 64;
const CACHE_ENTRIES = 5_000;
/** Inputs are cut to this many characters: endpoints reject texts beyond their context, and a memory's gist is early. */
const MAX_CHARS = 8_000;
const TIMEOUT_MS = 30_000;

type OpenAIModule = typeof import('openai');

/** An embedder when MEMOS_EMBEDDING_MODEL is set and an endpoint is known (its own, or the language model's). */
export function createEmbedder(config: Config, log: FastifyBaseLogger, onUsage?: UsageListener): Embedder | undefined {
  if (!config.embeddingModel) return undefined;
  const baseURL = config.embeddingBaseUrl ?? config.llmBaseUrl;
  if (!baseURL) {
    log.warn('MEMOS_EMBEDDING_MODEL is set but neither MEMOS_EMBEDDING_BASE_URL nor MEMOS_LLM_BASE_URL is: recall stays lexical');
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('openai') as OpenAIModule;
  // Local servers take no key, but the client insists on one.
  const client = new sdk.OpenAI({ baseURL, apiKey: config.embeddingApiKey ?? config.llmApiKey ?? 'not-needed', timeout: TIMEOUT_MS, maxRetries: 0 });
  return new BatchingEmbedder(config.embeddingModel, async (input) => {
    const res = await client.embeddings.create({ model: config.embeddingModel!, input, encoding_format: 'float' });
    onUsage?.({ kind: 'embedding', promptTokens: res?.usage?.prompt_tokens ?? 0, completionTokens: 0 });
    const data = [...(res?.data ?? [])].sort((a, b) => a.index - b.index);
    if (data.length !== input.length) throw new EmbeddingError(`the endpoint returned ${data.length} vectors for ${input.length} texts`);
    return data.map((d) => d.embedding as number[]);
  });
}

/** Batching, caching and normalisation around a raw "texts in, vectors out" call. */
export class BatchingEmbedder implements Embedder {
  private readonly cache = new Map<string, Float32Array>();
  private queue: Array<{ text: string; resolve: (v: Float32Array) => void; reject: (e: unknown) => void }> = [];

  constructor(
    readonly model: string,
    private readonly call: (input: string[]) => Promise<number[][]>,
  ) {}

  embed(texts: string[]): Promise<Float32Array[]> {
    return Promise.all(
      texts.map((raw) => {
        const text = raw.slice(0, MAX_CHARS) || ' ';
        const hit = this.cache.get(text);
        if (hit) {
          // Map order doubles as recency for the cache's eviction.
          this.cache.delete(text);
          this.cache.set(text, hit);
          return Promise.resolve(hit);
        }
        return new Promise<Float32Array>((resolve, reject) => {
          this.queue.push({ text, resolve, reject });
          if (this.queue.length === 1) setImmediate(() => void this.flush());
        });
      }),
    );
  }

  private async flush() {
    const pending = this.queue;
    this.queue = [];
    // The same text asked for twice in one tick is sent once.
    const byText = new Map<string, typeof pending>();
    for (const p of pending) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
    const texts = [...byText.keys()];
    for (let i = 0; i < texts.length; i += MAX_BATCH) {
      const chunk = texts.slice(i, i + MAX_BATCH);
      try {
        const vectors = await this.call(chunk);
        chunk.forEach((t, j) => {
          const v = unit(vectors[j]);
          this.remember(t, v);
          for (const p of byText.get(t)!) p.resolve(v);
        });
      } catch (err) {
        const e = err instanceof EmbeddingError ? err : new EmbeddingError(`embedding request failed: ${err instanceof Error ? err.message : String(err)}`);
        for (const t of chunk) for (const p of byText.get(t)!) p.reject(e);
      }
    }
  }

  private remember(text: string, v: Float32Array) {
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(text, v);
  }
}

function unit(values: number[] | undefined): Float32Array {
  if (!Array.isArray(values) || values.length === 0) throw new EmbeddingError('the endpoint returned an empty vector');
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
