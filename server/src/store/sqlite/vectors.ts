/** Embedding vectors, one per memory and model, float32 little-endian, unit length (only used with an embedding model). */
import type { MemoryKind, MemoryRecord, RecallScope } from '../types';
import type { Row, SqliteDb } from './connection';
import { scopeToSql } from './filter-sql';
import { memoriesBySeq } from './memories';
import { toMemory } from './rows';

/** Memories that have no vector from `model` yet, newest first. */
export function memoriesWithoutVector(db: SqliteDb, model: string, limit: number): MemoryRecord[] {
  const rows = db.q(`SELECT m.* FROM memories m LEFT JOIN memory_vectors v ON v.seq = m.seq AND v.model = ? WHERE v.seq IS NULL ORDER BY m.seq DESC LIMIT ?`).all(model, limit) as Row[];
  return rows.map(toMemory);
}

export function putVectors(db: SqliteDb, model: string, items: Array<{ id: string; vector: Float32Array }>) {
  const put = db.q('INSERT OR REPLACE INTO memory_vectors(seq, model, vector) SELECT seq, ?, ? FROM memories WHERE id = ?');
  db.tx(() => {
    for (const it of items) put.run(model, Buffer.from(it.vector.buffer, it.vector.byteOffset, it.vector.byteLength), it.id);
  });
}

/**
 * Exact search: every in-scope vector is compared with the query. That is a few milliseconds per ten thousand
 * 1,536-dimension vectors, fine for a personal memory store; an approximate index would be the next step.
 */
export function vectorSearch(db: SqliteDb, scope: RecallScope, kinds: MemoryKind[], model: string, query: Float32Array, limit: number) {
  const where = scopeToSql(scope, kinds);
  const rows = db.q(`SELECT v.seq, v.vector FROM memory_vectors v JOIN memories m ON m.seq = v.seq WHERE v.model = ? AND ${where.sql}`).all(model, ...where.params) as Array<{
    seq: number;
    vector: Buffer;
  }>;
  const best: Array<{ seq: number; similarity: number }> = [];
  for (const r of rows) {
    // A view when the bytes are 4-aligned, else a copy (Float32Array cannot view unaligned memory).
    const v = r.vector.byteOffset % 4 === 0 ? new Float32Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength / 4) : new Float32Array(new Uint8Array(r.vector).buffer);
    if (v.length !== query.length) continue;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i] * query[i];
    if (best.length < limit || dot > best[best.length - 1].similarity) {
      best.push({ seq: r.seq, similarity: dot });
      best.sort((a, b) => b.similarity - a.similarity);
      if (best.length > limit) best.pop();
    }
  }
  if (best.length === 0) return [];
  const byId = memoriesBySeq(
    db,
    best.map((b) => b.seq),
  );
  return best.filter((b) => byId.has(b.seq)).map((b) => ({ memory: byId.get(b.seq)!, similarity: b.similarity }));
}
