/**
 * Export, import, erase and retention on PostgreSQL (see ../portability.ts; mirrors sqlite/portability.ts).
 *
 * An erase deletes the rows in one transaction and then VACUUMs the tables, which removes the dead row
 * versions from the tables and indexes so their space is reused. What PostgreSQL does not promise: the freed
 * bytes are not zeroed until overwritten, and the write-ahead log (and any WAL archive or base backup taken
 * before) keeps the old rows until it is recycled. Where that matters, rotate WAL archives and backups too.
 */
import type { PgDb, Queryable, Row } from './connection';
import { insertMemory } from './memories';
import type { EraseCounts, ExportSelection, ExportVisitor, Portability, PortableRow, PortableTable } from '../portability';
import { splitFileParts } from '../file-parts';
import { PORTABLE_TABLES, SHAPES, selection, userTasks, type SelectionDialect } from '../portability';
import type { MemoryRecord } from '../types';

const PAGE = 500;
const DIALECT: SelectionDialect = { project: '$1', user: '$2', payloadUser: "payload->>'userId'" };


/** pgvector returns '[0.1,0.2]', REAL[] an array: either way, float32 little-endian in base64. */
function vectorBase64(v: unknown): string {
  const values = typeof v === 'string' ? (JSON.parse(v) as number[]) : (v as number[]);
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

function toPortable(table: PortableTable, r: Row): PortableRow {
  const shape = SHAPES[table];
  const out: PortableRow = {};
  // node-postgres already parses JSONB and booleans.
  for (const c of shape.columns) out[c] = r[c] ?? null;
  if (table === 'knowledgebase_files') out.content = r.content == null ? null : (r.content as Buffer).toString('base64');
  if (table === 'memory_vectors') out.vector = vectorBase64(r.vector);
  return out;
}

const toMemory = (r: PortableRow): MemoryRecord => ({
  id: r.id as string,
  projectId: r.project_id as string,
  scope: r.scope as MemoryRecord['scope'],
  userId: (r.user_id as string) ?? null,
  knowledgebaseId: (r.knowledgebase_id as string) ?? null,
  kind: r.kind as MemoryRecord['kind'],
  subtype: r.subtype as string,
  key: r.key as string,
  value: r.value as string,
  data: (r.data as Record<string, unknown>) ?? null,
  searchText: r.search_text as string,
  tags: (r.tags as string[]) ?? [],
  info: (r.info as Record<string, unknown>) ?? {},
  agentId: (r.agent_id as string) ?? null,
  appId: (r.app_id as string) ?? null,
  conversationId: r.conversation_id as string,
  status: r.status as MemoryRecord['status'],
  confidence: r.confidence as number,
  priority: r.priority as number,
  eventTime: r.event_time as number,
  createTime: r.create_time as number,
  updateTime: r.update_time as number,
  stateKey: (r.state_key as string) ?? null,
  supersededBy: (r.superseded_by as string) ?? null,
  sources: (r.sources as Array<Record<string, unknown>>) ?? [],
  taskId: (r.task_id as string) ?? null,
});

export class PostgresPortability implements Portability {
  private pgvector?: boolean;

  constructor(private readonly db: PgDb) {}

  async exportRows(sel: ExportSelection, visit: ExportVisitor) {
    const params = [sel.projectId, sel.userId ?? null];
    // One REPEATABLE READ snapshot for the counts and every page; a cursor keeps memory flat.
    await this.db.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const wheres = PORTABLE_TABLES.map((t) => [t, selection(t, sel, DIALECT)] as const).filter((x): x is [PortableTable, string] => x[1] !== null);
      const used = (where: string) => (where.includes('$2') ? params : params.slice(0, 1));
      const counts: Partial<Record<PortableTable, number>> = {};
      for (const [t, where] of wheres) counts[t] = Number((await c.query(`SELECT COUNT(*) AS n FROM ${t} WHERE ${where}`, used(where))).rows[0].n);
      await visit.counts(counts);
      for (const [t, where] of wheres) {
        const sql =
          t === 'knowledgebase_files'
            ? // A file stored in parts travels whole, as one stored whole does: the export format is the same. The
              // selection applies to the files alone: its subquery's own knowledgebase_id must not become the file's.
              `SELECT f.*, COALESCE(fc.content, (SELECT string_agg(p.content, ''::bytea ORDER BY p.part) FROM knowledgebase_file_parts p WHERE p.file_id = f.id)) AS content
               FROM (SELECT * FROM knowledgebase_files WHERE ${where}) f LEFT JOIN knowledgebase_file_content fc ON fc.file_id = f.id ORDER BY f.id`
            : t === 'memory_vectors'
              ? `SELECT m.id AS memory_id, v.model, v.vector FROM memory_vectors v JOIN memories m ON m.seq = v.seq WHERE v.${where} ORDER BY v.seq`
              : `SELECT * FROM ${t} WHERE ${where} ORDER BY ${t === 'memories' ? 'seq' : t === 'messages' ? 'id' : SHAPES[t].key.join(', ')}`;
        await c.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, used(where));
        for (;;) {
          const { rows } = await c.query(`FETCH ${PAGE} FROM export_rows`);
          if (rows.length) await visit.rows(t, rows.map((r: Row) => toPortable(t, r)));
          if (rows.length < PAGE) break;
        }
        await c.query('CLOSE export_rows');
      }
    });
  }

  private async vectorType(c: Queryable): Promise<string> {
    if (this.pgvector === undefined) {
      const r = await c.query("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'memory_vectors'::regclass AND attname = 'vector'");
      this.pgvector = r.rows[0]?.t === 'vector';
    }
    return this.pgvector ? '::vector' : '::real[]';
  }

  async importRows(table: PortableTable, projectId: string, rows: PortableRow[]) {
    const shape = SHAPES[table];
    const cols = shape.columns;
    const now = Date.now();
    return this.db.tx(async (c) => {
      const vectorCast = table === 'memory_vectors' ? await this.vectorType(c) : '';
      const existsSql =
        table === 'memory_vectors'
          ? 'SELECT 1 FROM memory_vectors v JOIN memories m ON m.seq = v.seq WHERE m.id = $1'
          : `SELECT 1 FROM ${table} WHERE ${shape.key.map((k, i) => `${k} = $${i + 1}`).join(' AND ')}`;
      const exists = async (r: PortableRow) => (await c.query(existsSql, shape.key.map((k) => r[k] ?? null))).rows.length > 0;
      let inserted = 0;
      let present = 0;
      for (const original of rows) {
        const r = 'project_id' in original ? { ...original, project_id: projectId } : table === 'projects' ? { ...original, id: projectId } : original;
        if (!(await exists(r))) {
          if (table === 'memories') {
            await insertMemory(c, toMemory(r));
            inserted++;
          } else if (table === 'memory_vectors') {
            const v = Array.from(new Float32Array(new Uint8Array(Buffer.from(String(r.vector), 'base64')).buffer));
            const res = await c.query(
              `INSERT INTO memory_vectors(seq, model, dims, vector) SELECT seq, $1, $2, $3${vectorCast} FROM memories WHERE id = $4 ON CONFLICT DO NOTHING`,
              [r.model, v.length, vectorCast === '::vector' ? '[' + v.join(',') + ']' : v, r.memory_id],
            );
            inserted += res.rowCount ?? 0;
          } else {
            const values = cols.map((col) => {
              const v = r[col] ?? null;
              return shape.json?.includes(col) && v !== null ? JSON.stringify(v) : v;
            });
            const casts = cols.map((col, i) => `$${i + 1}${shape.json?.includes(col) ? '::jsonb' : ''}`);
            const res = await c.query(`INSERT INTO ${table}(${cols.join(', ')}) VALUES (${casts.join(', ')}) ON CONFLICT DO NOTHING`, values);
            inserted += res.rowCount ?? 0;
            if (res.rowCount && table === 'knowledgebase_files' && r.content != null) {
              const parts = splitFileParts(Buffer.from(String(r.content), 'base64'));
              for (let part = 0; part < parts.length; part++)
                await c.query('INSERT INTO knowledgebase_file_parts(file_id, part, create_time, content) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [r.id, part, now, parts[part]]);
            }
          }
        }
        if (await exists(r)) present++;
      }
      return { inserted, present };
    });
  }

  async eraseUser(projectId: string, userId: string): Promise<EraseCounts> {
    return this.db.tx(async (c) => {
      const p = [projectId, userId];
      const taskIds = (await c.query(userTasks(DIALECT), p)).rows.map((r: Row) => r.id as string);
      const seqs = (await c.query('SELECT seq FROM memories WHERE (project_id = $1 AND user_id = $2) OR task_id = ANY($3::text[])', [...p, taskIds])).rows.map(
        (r: Row) => r.seq,
      );
      const vectors = Number((await c.query('SELECT COUNT(*) AS n FROM memory_vectors WHERE seq = ANY($1::bigint[])', [seqs])).rows[0].n);
      // Vectors go with their memories (ON DELETE CASCADE); the tsvector is a column of the memory row.
      const memories = (await c.query('DELETE FROM memories WHERE seq = ANY($1::bigint[])', [seqs])).rowCount ?? 0;
      const messages = (await c.query('DELETE FROM messages WHERE project_id = $1 AND user_id = $2', p)).rowCount ?? 0;
      const profiles = (await c.query('DELETE FROM profiles WHERE project_id = $1 AND subject = $2', p)).rowCount ?? 0;
      const tasks = (await c.query('DELETE FROM tasks WHERE id = ANY($1::text[])', [taskIds])).rowCount ?? 0;
      return { memories, vectors, messages, profiles, tasks };
    });
  }

  async purgeDeleted() {
    // Not in a transaction: VACUUM cannot run inside one.
    await this.db.pool.query('VACUUM memories, memory_vectors, messages, profiles, tasks');
  }

  async deleteMessagesBefore(time: number) {
    let total = 0;
    for (;;) {
      const n = (await this.db.pool.query('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE create_time < $1 LIMIT 5000)', [time])).rowCount ?? 0;
      total += n;
      if (n < 5000) return total;
    }
  }
}
