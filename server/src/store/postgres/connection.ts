/**
 * One PostgreSQL database through a node-postgres pool, shared by every aggregate file of the PostgreSQL store.
 * SQL is written with `?` placeholders as in the SQLite files next door (so the two read side by side) and
 * numbered ($1, $2, ...) here. Schema steps run at open under an advisory lock, so replicas starting together
 * upgrade the database once.
 */
import pg from 'pg';
import { MIGRATIONS } from './schema';

import type { Row } from '../rows';

export type { Row };

/** A pool or a client inside a transaction: what an aggregate function runs its SQL on. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

export const json = (v: unknown) => JSON.stringify(v ?? null);

/** `?, ?, ?` for an IN list of n values. */
export const placeholders = (n: number) => Array(n).fill('?').join(',');

/** `?` -> `$n`. Our SQL never holds a literal `?` (values are always parameters; jsonb's `?` operator is not used). */
const numbered = new Map<string, string>();
export function numberPlaceholders(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let i = 0;
    out = sql.replace(/\?/g, () => '$' + ++i);
    if (numbered.size > 5000) numbered.clear();
    numbered.set(sql, out);
  }
  return out;
}

export async function all(db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await db.query(numberPlaceholders(sql), params)).rows;
}

export async function one(db: Queryable, sql: string, params: unknown[] = []): Promise<Row | undefined> {
  return (await db.query(numberPlaceholders(sql), params)).rows[0];
}

/** Runs a statement; returns the number of rows it touched. */
export async function run(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(numberPlaceholders(sql), params)).rowCount ?? 0;
}

/** Epoch-ms columns are BIGINT: read them as numbers (they stay far below 2^53), as SQLite returns them. */
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: any) {
    if (oid === INT8) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Key of the advisory lock taken while the schema is upgraded (any constant; "memos" in ASCII). */
const MIGRATION_LOCK = 0x6d656d6f73;

export interface PgOptions {
  /** postgres://user:pass@host:port/db */
  connectionString?: string;
  /** Most connections this process opens. */
  poolSize?: number;
  /** Any other node-postgres pool settings (an in-process PostgreSQL in tests passes its own connection here). */
  pool?: pg.PoolConfig;
}

/** fn in one transaction on a connection of the pool (after `setup`, e.g. SET LOCAL); rolled back when it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (c: Queryable) => Promise<T>, setup?: string): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (setup) await client.query(setup);
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export class PgDb {
  readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  static async open(opts: PgOptions, { migrate = true } = {}): Promise<PgDb> {
    const pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.poolSize ?? 10, ...opts.pool, types });
    // An idle connection the server dropped must not take the process down.
    pool.on('error', () => undefined);
    const db = new PgDb(pool);
    try {
      if (migrate) await db.migrate();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return db;
  }

  /** The schema version the database is at (0 = empty). */
  async schemaVersion(): Promise<number> {
    const exists = await one(this.pool, "SELECT to_regclass('schema_migrations') IS NOT NULL AS ok");
    if (!exists?.ok) return 0;
    return Number((await one(this.pool, 'SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations'))?.v ?? 0);
  }

  /**
   * Applies the numbered steps of schema.ts not yet recorded in `schema_migrations`, each in its own
   * transaction, while holding a session advisory lock: a second replica starting meanwhile waits, then finds
   * nothing left to do. Returns the steps this call applied.
   */
  async migrate(upTo = MIGRATIONS.length): Promise<number[]> {
    const client = await this.pool.connect();
    const applied: number[] = [];
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_time BIGINT NOT NULL)');
      const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
      for (let v = 1; v <= upTo; v++) {
        if (done.has(v)) continue;
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[v - 1]);
          await client.query('INSERT INTO schema_migrations(version, applied_time) VALUES ($1, $2)', [v, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`PostgreSQL schema step ${v} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        applied.push(v);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
    return applied;
  }

  /** Runs fn in one transaction on one connection; rolled back when it throws. */
  tx<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn);
  }

  async close() {
    await this.pool.end();
  }
}
