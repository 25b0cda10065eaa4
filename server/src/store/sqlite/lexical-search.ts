/** Lexical recall over the full-text index: candidates with FTS5's bm25, and the term statistics the engine ranks with. */
import type { LexicalHit, LexicalQuery, RecallScope } from '../types';
import { placeholders, type Row, type SqliteDb } from './connection';
import { scopeToSql } from './filter-sql';
import { memoriesBySeq } from './memories';

/**
 * The best `limit` in-scope memories by FTS5's bm25. FTS5 first ranks on its own (no join while it scores every
 * match), over-fetching, and the scope is checked on those rows only. That is exact whenever enough of them are
 * in scope (every in-scope row outside them ranks lower); when the index is shared with many other users and
 * too few are, the ranking is redone inside the scope.
 */
export function lexicalSearch(db: SqliteDb, scope: RecallScope, query: LexicalQuery): LexicalHit[] {
  if (!query.match) return [];
  const where = scopeToSql(scope, query.kinds);
  const over = query.limit * 2;
  let ranked = db
    .q(
      `SELECT m.seq, t.score FROM (SELECT rowid AS seq, -bm25(memories_fts) AS score FROM memories_fts WHERE memories_fts MATCH ? ORDER BY bm25(memories_fts) LIMIT ?) t
       CROSS JOIN memories m ON m.seq = t.seq WHERE ${where.sql} ORDER BY t.score DESC`,
    )
    .all(query.match, over, ...where.params) as Array<{ seq: number; score: number }>;
  if (ranked.length < query.limit) {
    const matched = (db.q('SELECT COUNT(*) AS n FROM (SELECT 1 FROM memories_fts WHERE memories_fts MATCH ? LIMIT ?)').get(query.match, over) as Row).n as number;
    if (matched >= over)
      ranked = db
        .q(
          `SELECT m.seq, -bm25(memories_fts) AS score FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
           WHERE memories_fts MATCH ? AND ${where.sql} ORDER BY bm25(memories_fts) LIMIT ?`,
        )
        .all(query.match, ...where.params, query.limit) as Array<{ seq: number; score: number }>;
  }
  // Whole rows (large: index text, sources) are read for the winners only.
  ranked = ranked.slice(0, query.limit);
  const rows = memoriesBySeq(
    db,
    ranked.map((r) => r.seq),
  );
  return ranked.filter((r) => rows.has(r.seq)).map((r) => ({ memory: rows.get(r.seq)!, score: r.score }));
}

/** term -> [document frequency, document count when it was read]; see termStats. A per-process cache of the index. */
export type TermStatsCache = Map<string, [number, number]>;

/**
 * Words found in no memory, per cache, remembered only while nothing has been written: a related word from
 * WordNet is usually in no memory, and looking each up again costs a vocabulary seek per search. `writes` is this
 * connection's change count with the file's data version: every write to the index goes through the store's one
 * connection (a memory indexed, re-indexed under the same row id, or deleted, an import), and data_version moves
 * when any other connection commits, so the next search after any write looks every unseen word up again.
 */
const unseenOf = new WeakMap<TermStatsCache, { writes: string; words: Set<string> }>();

/** Vocabulary lookups per statement; lists are padded to a power of two, so few statement texts are cached. */
const VOCAB_BATCH = 64;

export function termStats(db: SqliteDb, cache: TermStatsCache, terms: string[]): { docCount: number; df: Map<string, number> } {
  // Row ids only grow, so the sequence is a cheap upper bound of the document count (IDF needs no more).
  const state = db.q("SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'memories') AS seq, total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version").get() as Row;
  const docCount = (state.seq as number | null) ?? 0;
  const writes = `${state.changes}:${state.version}`;
  // Frequencies are re-read once the index has grown by a few percent: IDF hardly moves in between, and the
  // vocabulary lookups would otherwise cost as much as the search itself.
  const fresh = (at: number) => docCount - at <= Math.max(100, at * 0.03);
  if (cache.size > 100_000) cache.clear();
  let unseen = unseenOf.get(cache);
  if (!unseen || unseen.writes !== writes || unseen.words.size > 100_000) unseenOf.set(cache, (unseen = { writes, words: new Set() }));
  const df = new Map<string, number>();
  const wanted = new Set<string>();
  for (const t of terms) {
    const hit = cache.get(t);
    if (hit && fresh(hit[1])) df.set(t, hit[0]);
    else if (unseen.words.has(t)) df.set(t, 0);
    else wanted.add(t);
  }
  const missing = [...wanted];
  for (let i = 0; i < missing.length; i += VOCAB_BATCH) {
    const batch = missing.slice(i, i + VOCAB_BATCH);
    let size = 1;
    while (size < batch.length) size *= 2;
    const padded = [...batch, ...Array<string>(size - batch.length).fill(batch[0])];
    const found = new Map(
      (db.q(`SELECT term, doc FROM memories_vocab WHERE term IN (${placeholders(size)})`).all(...padded) as Row[]).map((r) => [r.term as string, r.doc as number]),
    );
    for (const t of batch) {
      const n = found.get(t) ?? 0;
      if (n > 0) cache.set(t, [n, docCount]);
      else {
        cache.delete(t);
        unseen.words.add(t);
      }
      df.set(t, n);
    }
  }
  return { docCount, df };
}
