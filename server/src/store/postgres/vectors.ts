/**
 * Embedding vectors, one per memory and model, unit length (only used with an embedding model). With pgvector
 * the column is `vector`: the database computes the cosine distance and, per dimension in use, an HNSW index
 * serves the nearest-neighbour search. Without it the column is REAL[] and the comparison is exact, in SQL.
 */
import type { MemoryKind, MemoryRecord, RecallScope } from '../types';
import { all, one, run, type PgDb, type Queryable } from './connection';
import { scopeToSql } from './filter-sql';
import { MEMORY_COLUMNS, memoriesBySeq } from './memories';
import { toMemory } from './rows';

export interface VectorSupport {
  pgvector: boolean;
  /** pgvector 0.8+: an HNSW scan keeps going until enough rows pass the scope's WHERE. */
  iterativeScan: boolean;
  /** Dimensions whose index this process has made sure of. */
  indexed: Set<number>;
}

export async function vectorSupport(db: PgDb): Promise<VectorSupport> {
  const col = await one(db.pool, "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'memory_vectors'::regclass AND attname = 'vector'");
  const pgvector = col?.t === 'vector';
  let iterativeScan = false;
  if (pgvector)
    iterativeScan = await db
      .tx(async (c) => {
        await c.query("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
        return true;
      })
      .catch(() => false);
  return { pgvector, iterativeScan, indexed: new Set() };
}

/** Memories that have no vector from `model` yet, newest first. */
export async function memoriesWithoutVector(db: Queryable, model: string, limit: number): Promise<MemoryRecord[]> {
  const rows = await all(db, `SELECT ${MEMORY_COLUMNS} FROM memories m LEFT JOIN memory_vectors v ON v.seq = m.seq AND v.model = ? WHERE v.seq IS NULL ORDER BY m.seq DESC LIMIT ?`, [model, limit]);
  return rows.map(toMemory);
}

const literal = (v: Float32Array) => '[' + Array.from(v).join(',') + ']';

/** An HNSW index over the vectors of one dimension (an index needs a fixed one); made once, by whichever process first needs it. */
async function ensureIndex(db: PgDb, support: VectorSupport, dims: number) {
  if (!support.pgvector || support.indexed.has(dims) || !Number.isInteger(dims) || dims < 1 || dims > 2000) return;
  await db.tx(async (c) => {
    await run(c, 'SELECT pg_advisory_xact_lock(?)', [0x76656374]);
    await c.query(`CREATE INDEX IF NOT EXISTS memory_vectors_hnsw_${dims} ON memory_vectors USING hnsw ((vector::vector(${dims})) vector_cosine_ops) WHERE dims = ${dims}`);
  });
  support.indexed.add(dims);
}

export async function putVectors(db: PgDb, support: VectorSupport, model: string, items: Array<{ id: string; vector: Float32Array }>) {
  if (items.length === 0) return;
  await db.tx(async (c) => {
    for (const it of items)
      await run(
        c,
        `INSERT INTO memory_vectors(seq, model, dims, vector) SELECT seq, ?, ?, ?${support.pgvector ? '::vector' : '::real[]'} FROM memories WHERE id = ?
         ON CONFLICT (seq) DO UPDATE SET model = excluded.model, dims = excluded.dims, vector = excluded.vector`,
        [model, it.vector.length, support.pgvector ? literal(it.vector) : Array.from(it.vector), it.id],
      );
  });
  for (const dims of new Set(items.map((i) => i.vector.length))) await ensureIndex(db, support, dims);
}

export async function vectorSearch(db: PgDb, support: VectorSupport, scope: RecallScope, kinds: MemoryKind[], model: string, query: Float32Array, limit: number) {
  const where = scopeToSql(scope, kinds);
  const dims = query.length;
  let best: Array<{ seq: number; similarity: number }>;
  if (support.pgvector) {
    // Written against the per-dimension index expression so the planner can use it; unit vectors: 1 - distance = cosine.
    const cast = `::vector(${Math.max(1, Math.min(16000, Math.floor(dims)))})`;
    best = await db.tx(async (c) => {
      if (support.iterativeScan) await c.query("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
      const rows = await all(
        c,
        `SELECT v.seq, 1 - ((v.vector${cast}) <=> ?${cast}) AS similarity FROM memory_vectors v JOIN memories m ON m.seq = v.seq
         WHERE v.model = ? AND v.dims = ${dims} AND ${where.sql} ORDER BY (v.vector${cast}) <=> ?${cast} LIMIT ?`,
        [literal(query), model, ...where.params, literal(query), limit],
      );
      return rows.map((r) => ({ seq: r.seq as number, similarity: Number(r.similarity) }));
    });
  } else {
    const rows = await all(
      db.pool,
      `SELECT v.seq, (SELECT SUM(a * b) FROM unnest(v.vector, ?::real[]) AS t(a, b)) AS similarity FROM memory_vectors v JOIN memories m ON m.seq = v.seq
       WHERE v.model = ? AND v.dims = ? AND ${where.sql} ORDER BY similarity DESC LIMIT ?`,
      [Array.from(query), model, dims, ...where.params, limit],
    );
    best = rows.map((r) => ({ seq: r.seq as number, similarity: Number(r.similarity) }));
  }
  if (best.length === 0) return [];
  const byId = await memoriesBySeq(
    db.pool,
    best.map((b) => b.seq),
  );
  return best.filter((b) => byId.has(b.seq)).map((b) => ({ memory: byId.get(b.seq)!, similarity: b.similarity }));
}
