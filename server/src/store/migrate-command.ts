/**
 * `memos-lite migrate`: brings a PostgreSQL database's schema up to date, and with `--from-sqlite` copies a
 * SQLite data directory into it (everything: keys, projects, memories with their history, messages, knowledge
 * bases with their files, tasks, vectors, profiles, usage). The copy is resumable: rows already in PostgreSQL
 * are skipped (tables with growing ids resume after the last one copied), so running it again after an
 * interruption finishes the job. It ends by comparing row counts table by table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PgDb, numberPlaceholders, type Queryable } from './postgres/connection';
import { indexEntry } from './postgres/memory-index';
import { SqliteStore } from './sqlite/sqlite-store';

type Row = Record<string, any>;

interface TableCopy {
  table: string;
  /** Columns copied as they are (JSON text goes into JSONB through a cast). */
  columns: string[];
  /** A growing integer key: the copy resumes after the largest one already in PostgreSQL. */
  seq?: string;
  /** Column -> SQL cast of its parameter. */
  casts?: Record<string, string>;
  /** Extra columns PostgreSQL has and SQLite derives elsewhere. */
  extra?: (r: Row) => Record<string, unknown>;
  /** Rows per transaction. */
  chunk?: number;
}

const JSONB = '::jsonb';

function tables(pgvector: boolean): TableCopy[] {
  return [
    { table: 'projects', columns: ['id', 'name', 'create_time'] },
    { table: 'api_keys', columns: ['id', 'project_id', 'key_hash', 'prefix', 'label', 'create_time', 'revoked_time', 'read_only'], casts: { read_only: '::int::boolean' } },
    { table: 'knowledgebases', columns: ['id', 'name', 'description', 'create_time', 'project_id'] },
    { table: 'project_knowledgebases', columns: ['project_id', 'knowledgebase_id'] },
    {
      table: 'knowledgebase_files',
      columns: ['id', 'knowledgebase_id', 'project_id', 'type', 'name', 'ext', 'size_bytes', 'status', 'error', 'source_url', 'task_id', 'chunk_count', 'create_time', 'update_time'],
    },
    { table: 'knowledgebase_file_content', columns: ['file_id', 'content'], chunk: 20 },
    { table: 'knowledgebase_file_parts', columns: ['file_id', 'part', 'create_time', 'content'], chunk: 20 },
    { table: 'tasks', columns: ['id', 'project_id', 'kind', 'payload', 'status', 'error', 'attempts', 'create_time', 'update_time'], casts: { payload: JSONB } },
    {
      table: 'messages',
      seq: 'id',
      columns: ['id', 'project_id', 'user_id', 'conversation_id', 'role', 'content', 'raw', 'chat_time', 'event_time', 'create_time', 'agent_id', 'app_id', 'task_id'],
      casts: { raw: JSONB },
    },
    {
      table: 'memories',
      seq: 'seq',
      columns: [
        'seq', 'id', 'project_id', 'scope', 'user_id', 'knowledgebase_id', 'kind', 'subtype', 'key', 'value', 'data', 'search_text', 'tags', 'info', 'agent_id', 'app_id',
        'conversation_id', 'status', 'confidence', 'priority', 'event_time', 'create_time', 'update_time', 'state_key', 'superseded_by', 'sources', 'task_id',
      ],
      casts: { data: JSONB, tags: JSONB, info: JSONB, sources: JSONB, tsv: '::tsvector' },
      extra: (r) => {
        const e = indexEntry(r.search_text);
        return { tsv: e.tsv, token_count: e.tokens };
      },
    },
    {
      table: 'memory_vectors',
      seq: 'seq',
      columns: ['seq', 'model'],
      casts: { vector: pgvector ? '::vector' : '::real[]' },
      extra: (r) => {
        const b = r.vector as Buffer;
        const v = Array.from(new Float32Array(new Uint8Array(b).buffer));
        return { dims: v.length, vector: pgvector ? '[' + v.join(',') + ']' : v };
      },
      chunk: 200,
    },
    { table: 'profile_templates', columns: ['id', 'name', 'metadata', 'create_time'], casts: { metadata: JSONB } },
    { table: 'profiles', columns: ['id', 'project_id', 'subject', 'template_id', 'metadata', 'create_time', 'update_time'], casts: { metadata: JSONB } },
    {
      table: 'usage_daily',
      columns: ['project_id', 'day', 'operation', 'requests', 'errors', 'latency', 'llm_calls', 'llm_prompt_tokens', 'llm_completion_tokens', 'embedding_calls', 'embedding_tokens'],
      casts: { latency: JSONB },
    },
  ];
}

/** SQLite tables that are not data of their own: the schema version and the full-text index (rebuilt from memories). */
const NOT_COPIED = new Set(['meta', 'sqlite_sequence']);
const notCopied = (name: string) => NOT_COPIED.has(name) || name.startsWith('memories_fts') || name === 'memories_vocab' || name.startsWith('sqlite_');

export interface CopyResult {
  table: string;
  sqlite: number;
  postgres: number;
  copied: number;
}

/** Copies one SQLite data directory into PostgreSQL; returns per-table counts. Throws when a count differs at the end. */
export async function copySqliteToPostgres(dataDir: string, pg: PgDb, log: (line: string) => void = () => undefined): Promise<CopyResult[]> {
  if (!fs.existsSync(path.join(dataDir, 'memos.db'))) throw new Error(`no memos-lite SQLite database in ${dataDir} (expected ${path.join(dataDir, 'memos.db')})`);
  const sqlite = new SqliteStore(dataDir);
  try {
    const db = sqlite.db;
    const col = await pg.pool.query("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'memory_vectors'::regclass AND attname = 'vector'");
    const specs = tables(col.rows[0]?.t === 'vector');
    const known = new Set(specs.map((s) => s.table));
    const present = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Row[]).map((r) => r.name as string).filter((n) => !notCopied(n));
    const unknown = present.filter((n) => !known.has(n));
    // A table this copy does not know would be left behind silently: refuse instead.
    if (unknown.length) throw new Error(`the SQLite database has tables this version cannot copy: ${unknown.join(', ')}`);
    const results: CopyResult[] = [];
    for (const spec of specs) {
      if (!present.includes(spec.table)) continue;
      const copied = await copyTable(db, pg, spec);
      const sqliteCount = (db.prepare(`SELECT COUNT(*) AS n FROM ${spec.table}`).get() as Row).n as number;
      const pgCount = Number((await pg.pool.query(`SELECT COUNT(*) AS n FROM ${spec.table}`)).rows[0].n);
      results.push({ table: spec.table, sqlite: sqliteCount, postgres: pgCount, copied });
      log(`${spec.table.padEnd(28)} sqlite ${String(sqliteCount).padStart(9)}  postgresql ${String(pgCount).padStart(9)}  (copied now ${copied})`);
    }
    const wrong = results.filter((r) => r.sqlite !== r.postgres);
    if (wrong.length) throw new Error(`counts differ after the copy: ${wrong.map((w) => `${w.table} sqlite ${w.sqlite} vs postgresql ${w.postgres}`).join('; ')}`);
    return results;
  } finally {
    await sqlite.close();
  }
}

async function copyTable(db: SqliteStore['db'], pg: PgDb, spec: TableCopy): Promise<number> {
  const chunk = spec.chunk ?? 500;
  let after = -Infinity;
  if (spec.seq) after = Number((await pg.pool.query(`SELECT COALESCE(MAX(${spec.seq}), -1) AS n FROM ${spec.table}`)).rows[0].n);
  // Tables without a growing key are read in rowid order; rows already copied are skipped by their key.
  const order = spec.seq ?? 'rowid';
  const select = db.prepare(`SELECT rowid AS _rowid, * FROM ${spec.table} WHERE ${order} > ? ORDER BY ${order} LIMIT ?`);
  let cursor = spec.seq ? after : -1;
  let copied = 0;
  for (;;) {
    const rows = select.all(cursor, chunk) as Row[];
    if (rows.length === 0) break;
    await pg.tx(async (c) => {
      for (const r of rows) copied += await insertRow(c, spec, r);
    });
    cursor = rows[rows.length - 1][spec.seq ?? '_rowid'];
  }
  if (spec.seq && spec.table !== 'memory_vectors')
    await pg.pool.query(`SELECT setval(pg_get_serial_sequence('${spec.table}', '${spec.seq}'), GREATEST((SELECT COALESCE(MAX(${spec.seq}), 0) FROM ${spec.table}), 1))`);
  return copied;
}

async function insertRow(c: Queryable, spec: TableCopy, r: Row): Promise<number> {
  const values: Record<string, unknown> = {};
  for (const k of spec.columns) values[k] = r[k] ?? null;
  Object.assign(values, spec.extra?.(r));
  const cols = Object.keys(values);
  const sql = `INSERT INTO ${spec.table}(${cols.join(', ')}) VALUES (${cols.map((k) => '?' + (spec.casts?.[k] ?? '')).join(', ')}) ON CONFLICT DO NOTHING`;
  const res = await c.query(numberPlaceholders(sql), Object.values(values));
  return res.rowCount ?? 0;
}

export async function runMigrate(o: { databaseUrl: string; fromSqlite?: string }, out: (line: string) => void) {
  const pg = await PgDb.open({ connectionString: o.databaseUrl, poolSize: 2 }, { migrate: false });
  try {
    const applied = await pg.migrate();
    out(applied.length ? `schema: applied steps ${applied.join(', ')}` : 'schema: up to date');
    if (o.fromSqlite) {
      await copySqliteToPostgres(o.fromSqlite, pg, out);
      out('copy complete: every table has the same number of rows on both sides');
    }
  } finally {
    await pg.close();
  }
}
