/**
 * Keeps memories' embedding vectors up to date in the background, when an embedding model is configured. Writes
 * never wait for it: a new memory is searchable lexically at once and by meaning as soon as its vector is stored.
 * When the endpoint fails, the indexer backs off and tries again; what it missed meanwhile is found again (every
 * memory without a vector is), so an outage costs latency, never vectors.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Embedder } from '../providers/embeddings';
import type { MemoryRecord, Store } from '../store/types';

const BATCH = 64;
const POLL_MS = 300;
const MAX_BACKOFF_MS = 60_000;

/** What a memory's vector is made from: what was said (not the transcript prefix), or the refined text. */
export function embeddingText(m: MemoryRecord): string {
  if (m.tags.includes('mode:fast') && typeof m.sources[0]?.content === 'string') return m.sources[0].content as string;
  return m.key && !m.value.includes(m.key) ? `${m.key}: ${m.value}` : m.value;
}

export class VectorIndexer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private backoffMs = 0;
  /** Memory count at the end of the last complete pass: nothing new, nothing to look for. */
  private doneAt = -1;

  constructor(
    private readonly store: Store,
    private readonly embedder: Embedder,
    private readonly log: FastifyBaseLogger,
  ) {}

  start() {
    this.schedule(0);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => (this.running = undefined));
    }, ms);
    this.timer.unref();
  }

  private async pass() {
    try {
      const { docCount } = await this.store.termStats([]);
      if (docCount !== this.doneAt) {
        for (;;) {
          if (this.stopped) return;
          const batch = await this.store.memoriesWithoutVector(this.embedder.model, BATCH);
          if (batch.length === 0) break;
          const vectors = await this.embedder.embed(batch.map(embeddingText));
          await this.store.putVectors(
            this.embedder.model,
            batch.map((m, i) => ({ id: m.id, vector: vectors[i] })),
          );
        }
        this.doneAt = docCount;
      }
      if (this.backoffMs) this.log.info({ model: this.embedder.model }, 'embedding endpoint reachable again; vectors caught up');
      this.backoffMs = 0;
      this.schedule(POLL_MS);
    } catch (err) {
      if (!this.backoffMs) this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'embedding failed; recall stays lexical for new memories until the endpoint answers');
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1_000, this.backoffMs * 2));
      this.schedule(this.backoffMs);
    }
  }
}
