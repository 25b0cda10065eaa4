/**
 * Usage figures for the console: requests per endpoint per day with latency percentiles, and the language-model
 * and embedding calls and tokens each operation caused (as the provider reported them).
 *
 * Requests are counted in memory and written to the store every few seconds in one batch, so recording costs a
 * request nothing measurable. Latencies go into logarithmic buckets (each 20% wider than the last): a day's
 * p50/p95 is then exact to within a bucket, and a day of traffic is a few dozen numbers whatever its size.
 * Model calls are attributed to the operation running when they were made (an endpoint, or a background task
 * kind) through AsyncLocalStorage, so providers need not know who called them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Store, UsageDelta } from '../store/types';

const BUCKET_GROWTH = 1.2;
const FLUSH_MS = 2000;

/** Bucket of a latency in ms: 0 holds everything up to 1 ms, bucket i everything up to 1.2^i ms. */
export const latencyBucket = (ms: number) => (ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(BUCKET_GROWTH)));
const bucketUpper = (i: number) => Math.pow(BUCKET_GROWTH, i);

/** The q-quantile (0-1) of a bucketed distribution, as the upper bound of the bucket holding it. */
export function percentile(buckets: Record<string, number>, q: number): number | null {
  const entries = Object.entries(buckets)
    .map(([k, n]) => [Number(k), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [i, n] of entries) {
    seen += n;
    if (seen >= q * total) return Math.round(bucketUpper(i) * 10) / 10;
  }
  return Math.round(bucketUpper(entries[entries.length - 1][0]) * 10) / 10;
}

interface Running {
  projectId: string | null;
  operation: string;
}

export interface ModelUsage {
  kind: 'llm' | 'embedding';
  promptTokens: number;
  completionTokens: number;
}

/** The UTC day of a time, as usage rows are keyed. */
export const day = (t: number) => new Date(t).toISOString().slice(0, 10);

export class UsageRecorder {
  private readonly als = new AsyncLocalStorage<Running>();
  private pending = new Map<string, UsageDelta>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Runs fn as `operation` of `projectId`: model calls made inside are counted against it. */
  within<T>(projectId: string | null, operation: string, fn: () => T): T {
    return this.als.run({ projectId, operation }, fn);
  }

  request(projectId: string, operation: string, ms: number, ok: boolean, now = Date.now()) {
    const d = this.delta(projectId, operation, now);
    d.requests++;
    if (!ok) d.errors++;
    const b = latencyBucket(ms);
    d.latency[b] = (d.latency[b] ?? 0) + 1;
  }

  /** Called by the providers after every model call with the tokens the provider reported. */
  model(u: ModelUsage, now = Date.now()) {
    const r = this.als.getStore();
    if (!r?.projectId) return;
    const d = this.delta(r.projectId, r.operation, now);
    if (u.kind === 'llm') {
      d.llmCalls++;
      d.llmPromptTokens += u.promptTokens;
      d.llmCompletionTokens += u.completionTokens;
    } else {
      d.embeddingCalls++;
      d.embeddingTokens += u.promptTokens;
    }
  }

  private delta(projectId: string, operation: string, now: number): UsageDelta {
    const k = `${projectId}\n${day(now)}\n${operation}`;
    let d = this.pending.get(k);
    if (!d) {
      d = { projectId, day: day(now), operation, requests: 0, errors: 0, latency: {}, llmCalls: 0, llmPromptTokens: 0, llmCompletionTokens: 0, embeddingCalls: 0, embeddingTokens: 0 };
      this.pending.set(k, d);
    }
    return d;
  }

  start() {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Writes what was counted since the last flush; a failed write is logged and its counts dropped, never retried forever. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const rows = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.store.recordUsage(rows);
      } catch (err) {
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'usage figures could not be saved');
      }
    });
    return this.flushing;
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
