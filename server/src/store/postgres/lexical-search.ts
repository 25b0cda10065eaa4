/**
 * Lexical recall over the full-text index: candidates ranked by bm25 (as FTS5 ranks them on SQLite, so both
 * backends hand the engine the same candidates), and the term statistics the engine ranks with.
 */
import type { LexicalHit, LexicalQuery, RecallScope } from '../types';
import pg from 'pg';
import { all, one, transaction, type Queryable } from './connection';
import { scopeToSql } from './filter-sql';
import { memoriesBySeq } from './memories';
import { indexTokens, matchToQuery } from './memory-index';

/** FTS5's bm25 constants. */
const K1 = 1.2;
const B = 0.75;

/**
 * Per-process cache of index statistics (document frequencies, average length), re-read once the index has
 * grown by a few percent: IDF hardly moves in between. Only a cache: every value is derived from the database,
 * so processes sharing it agree to within that drift.
 */
export class TermStatsCache {
  /** term -> [document frequency, document count when it was read] */
  readonly df = new Map<string, [number, number]>();
  avgTokens: [number, number] | undefined;
}

/**
 * Runs a full-text query with sequential scans ruled out. Each of these queries reads a few terms' postings, which
 * the GIN index gives directly; the planner, misled by the cost of matching a tsvector it cannot estimate (or by
 * statistics not yet gathered on a fresh table), would otherwise match every row's tsvector, once per term.
 */
function indexOnly<T>(db: Queryable, fn: (c: Queryable) => Promise<T>): Promise<T> {
  return db instanceof pg.Pool ? transaction(db, fn, 'SET LOCAL enable_seqscan = off') : fn(db);
}

const fresh = (docCount: number, at: number) => docCount - at <= Math.max(100, at * 0.03);

/** Row ids only grow, so the highest is a cheap upper bound of the document count (IDF needs no more). */
async function docCountOf(db: Queryable): Promise<number> {
  return ((await one(db, 'SELECT COALESCE(MAX(seq), 0) AS n FROM memories'))?.n as number) ?? 0;
}

export async function termStats(db: Queryable, cache: TermStatsCache, terms: string[]): Promise<{ docCount: number; df: Map<string, number> }> {
  const docCount = await docCountOf(db);
  if (cache.df.size > 100_000) cache.df.clear();
  const df = new Map<string, number>();
  const missing: Array<{ term: string; tsquery: string }> = [];
  for (const t of terms) {
    const hit = cache.df.get(t);
    if (hit && fresh(docCount, hit[1])) df.set(t, hit[0]);
    else {
      // As FTS5's vocabulary on SQLite: a term is counted only when it is one indexed word exactly as given
      // (a phrase, or a word the index would fold differently, counts 0 there, and so here).
      const words = indexTokens(t);
      if (words.length === 1 && words[0] === t) missing.push({ term: t, tsquery: matchToQuery(`"${t.replace(/"/g, '""')}"`)!.tsquery });
      else df.set(t, 0);
    }
  }
  if (missing.length) {
    // One round trip for all of them. Each count is its own uncorrelated subquery with its own parameter, so each
    // is planned as a scan of that term's postings in the GIN index.
    const row = (await indexOnly(db, (c) => one(c, 'SELECT ' + missing.map((_, i) => `(SELECT COUNT(*) FROM memories WHERE tsv @@ ?::tsquery) AS n${i}`).join(', '), missing.map((m) => m.tsquery))))!;
    for (let i = 0; i < missing.length; i++) {
      const { term } = missing[i];
      const n = Number(row[`n${i}`]);
      // An unseen word is never remembered as unseen: the next memory may bring it, and recall skips terms at 0.
      if (n > 0) cache.df.set(term, [n, docCount]);
      else cache.df.delete(term);
      df.set(term, n);
    }
  }
  return { docCount, df };
}

async function averageTokens(db: Queryable, cache: TermStatsCache, docCount: number): Promise<number> {
  if (cache.avgTokens && fresh(docCount, cache.avgTokens[1])) return cache.avgTokens[0];
  const avg = Number((await one(db, 'SELECT COALESCE(AVG(token_count), 1) AS a FROM memories'))?.a ?? 1) || 1;
  cache.avgTokens = [avg, docCount];
  return avg;
}

/**
 * The best `limit` in-scope memories by bm25 over the matching rows: the GIN index finds the rows, the scope
 * narrows them, and each is scored from its own term frequencies (the positions in its tsvector) and length.
 */
export async function lexicalSearch(db: Queryable, cache: TermStatsCache, scope: RecallScope, query: LexicalQuery): Promise<LexicalHit[]> {
  if (!query.match) return [];
  const parsed = matchToQuery(query.match);
  if (!parsed) return [];
  const { docCount, df } = await termStats(db, cache, parsed.words);
  const avg = await averageTokens(db, cache, docCount);
  const idf = parsed.words.map((w) => {
    const n = df.get(w) ?? 0;
    const v = Math.log((docCount - n + 0.5) / (n + 0.5));
    return v > 0 ? v : 1e-6;
  });
  const where = scopeToSql(scope, query.kinds);
  const ranked = await indexOnly(db, (c) =>
    all(
    c,
    `WITH q(word, idf) AS (SELECT * FROM unnest(?::text[], ?::float8[]))
     SELECT m.seq, SUM(q.idf * (u.tf * ${K1 + 1}) / (u.tf + ${K1} * (${1 - B} + ${B} * m.token_count / ?::float8))) AS score
     FROM memories m
     CROSS JOIN LATERAL (SELECT lexeme, array_length(positions, 1) AS tf FROM unnest(m.tsv)) u
     JOIN q ON q.word = u.lexeme
     WHERE m.tsv @@ ?::tsquery AND ${where.sql}
     GROUP BY m.seq ORDER BY score DESC, m.seq DESC LIMIT ?`,
    [parsed.words, idf, avg, parsed.tsquery, ...where.params, query.limit],
    ),
  );
  // Whole rows (large: index text, sources) are read for the winners only.
  const rows = await memoriesBySeq(
    db,
    ranked.map((r) => r.seq as number),
  );
  return ranked.filter((r) => rows.has(r.seq)).map((r) => ({ memory: rows.get(r.seq)!, score: Number(r.score) }));
}
