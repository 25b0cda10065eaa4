/**
 * Export, import, erase and retention on the SQLite file (see ../portability.ts for the contract).
 *
 * Erasing is made final on disk by four things together: `secure_delete` (what the deletes free is zeroed),
 * an FTS5 `optimize` (a contentless index keeps deleted terms in its segments until they are merged), VACUUM
 * (old copies of updated rows linger in pages' free space) and a TRUNCATE checkpoint (the write-ahead log
 * still holds the old page images).
 */
import type { DatabaseHandle } from './driver';
import type { EraseCounts, ExportSelection, ExportVisitor, Portability, PortableRow, PortableTable } from '../portability';
import { splitFileParts } from '../file-parts';
import { PORTABLE_TABLES, SHAPES, selection, userTasks, type SelectionDialect } from '../portability';

type Row = Record<string, any>;

const PAGE = 500;
const DIALECT: SelectionDialect = { project: '@project', user: '@user', payloadUser: "json_extract(payload, '$.userId')" };


/** A stored row in the portable form. */
function toPortable(table: PortableTable, r: Row): PortableRow {
  const shape = SHAPES[table];
  const out: PortableRow = {};
  for (const c of shape.columns) out[c] = r[c] ?? null;
  for (const c of shape.json ?? []) out[c] = r[c] == null ? null : JSON.parse(r[c]);
  for (const c of shape.bool ?? []) out[c] = !!r[c];
  if (table === 'knowledgebase_files') out.content = r.content == null ? null : (r.content as Buffer).toString('base64');
  if (table === 'memory_vectors') out.vector = (r.vector as Buffer).toString('base64');
  return out;
}

/** A portable row as statement parameters for the table's columns. */
function toParams(table: PortableTable, row: PortableRow): unknown[] {
  const shape = SHAPES[table];
  return shape.columns.map((c) => {
    const v = row[c] ?? null;
    if (shape.json?.includes(c)) return v === null ? null : JSON.stringify(v);
    if (shape.bool?.includes(c)) return v ? 1 : 0;
    return v;
  });
}

export class SqlitePortability implements Portability {
  constructor(private readonly db: DatabaseHandle) {}

  async exportRows(sel: ExportSelection, visit: ExportVisitor) {
    const params = { project: sel.projectId, user: sel.userId ?? null };
    // One read transaction: the counts and every page see the same snapshot while writers carry on (WAL).
    this.db.exec('BEGIN');
    try {
      const wheres = PORTABLE_TABLES.map((t) => [t, selection(t, sel, DIALECT)] as const).filter((x): x is [PortableTable, string] => x[1] !== null);
      const counts: Partial<Record<PortableTable, number>> = {};
      for (const [t, where] of wheres) counts[t] = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE ${where}`).get(params) as Row).n;
      await visit.counts(counts);
      const partsOf = this.db.prepare('SELECT content FROM knowledgebase_file_parts WHERE file_id = ? ORDER BY part');
      for (const [t, where] of wheres) {
        const sql =
          t === 'knowledgebase_files'
            ? // The selection applies to the files alone: its subquery's own knowledgebase_id must not become the file's.
              `SELECT f.*, c.content FROM (SELECT rowid AS _r, * FROM knowledgebase_files NOT INDEXED WHERE rowid > @after AND (${where}) ORDER BY rowid LIMIT ${PAGE}) f
               LEFT JOIN knowledgebase_file_content c ON c.file_id = f.id ORDER BY f._r`
            : t === 'memory_vectors'
              ? `SELECT v.seq AS _r, m.id AS memory_id, v.model, v.vector FROM memory_vectors v NOT INDEXED JOIN memories m ON m.seq = v.seq WHERE v.seq > @after AND v.${where} ORDER BY v.seq LIMIT ${PAGE}`
              : `SELECT rowid AS _r, * FROM ${t} NOT INDEXED WHERE rowid > @after AND (${where}) ORDER BY rowid LIMIT ${PAGE}`;
        // NOT INDEXED: each page walks the table from the last row id on. With an index on the selection's columns
        // the planner would collect and sort every match for every page (quadratic time, memory growing with the
        // project) instead.
        const page = this.db.prepare(sql);
        let after = -1;
        for (;;) {
          const rows = page.all({ ...params, after }) as Row[];
          if (rows.length === 0) break;
          after = rows[rows.length - 1]._r;
          // A file stored in parts travels whole, as one stored whole does: the export format is the same.
          if (t === 'knowledgebase_files')
            for (const r of rows) {
              if (r.content != null) continue;
              const parts = partsOf.all(r.id) as Row[];
              if (parts.length) r.content = Buffer.concat(parts.map((p) => p.content as Buffer));
            }
          await visit.rows(t, rows.map((r) => toPortable(t, r)));
          if (rows.length < PAGE) break;
        }
      }
    } finally {
      this.db.exec('COMMIT');
    }
  }

  async importRows(table: PortableTable, projectId: string, rows: PortableRow[]) {
    const shape = SHAPES[table];
    const db = this.db;
    const cols = shape.columns;
    const exists = db.prepare(
      table === 'memory_vectors'
        ? 'SELECT 1 FROM memory_vectors v JOIN memories m ON m.seq = v.seq WHERE m.id = ?'
        : `SELECT 1 FROM ${table} WHERE ${shape.key.map((k) => `${k} = ?`).join(' AND ')}`,
    );
    const keyOf = (r: PortableRow) => shape.key.map((k) => r[k] ?? null);
    const insert =
      table === 'memory_vectors'
        ? db.prepare('INSERT OR IGNORE INTO memory_vectors(seq, model, vector) SELECT seq, ?, ? FROM memories WHERE id = ?')
        : db.prepare(`INSERT OR IGNORE INTO ${table}(${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    const ftsInsert = db.prepare('INSERT INTO memories_fts(rowid, text) VALUES (?, ?)');
    const partInsert = db.prepare('INSERT OR IGNORE INTO knowledgebase_file_parts(file_id, part, create_time, content) VALUES (?, ?, ?, ?)');
    const now = Date.now();
    return db.transaction(() => {
      let inserted = 0;
      let present = 0;
      for (const original of rows) {
        const r = 'project_id' in original ? { ...original, project_id: projectId } : table === 'projects' ? { ...original, id: projectId } : original;
        if (!exists.get(...keyOf(r))) {
          const res = table === 'memory_vectors' ? insert.run(r.model, Buffer.from(String(r.vector), 'base64'), r.memory_id) : insert.run(...toParams(table, r));
          inserted += res.changes;
          // The full-text row shares the memory's row id; a file's bytes live in their own table, in parts.
          if (res.changes && table === 'memories') ftsInsert.run(res.lastInsertRowid, r.search_text);
          if (res.changes && table === 'knowledgebase_files' && r.content != null)
            splitFileParts(Buffer.from(String(r.content), 'base64')).forEach((bytes, part) => partInsert.run(r.id, part, now, bytes));
        }
        if (exists.get(...keyOf(r))) present++;
      }
      return { inserted, present };
    })();
  }

  async eraseUser(projectId: string, userId: string): Promise<EraseCounts> {
    const db = this.db;
    // Zero what the deletes free, so the words are gone from the file and not merely unlinked.
    db.pragma('secure_delete = ON');
    const p = { project: projectId, user: userId };
    return db.transaction(() => {
      const taskIds = (db.prepare(userTasks(DIALECT)).all(p) as Row[]).map((r) => r.id as string);
      // Their memories of every scope and status, and what their tasks wrote elsewhere (a correction copied into
      // a knowledge base by their feedback names them through its task).
      const mine = `project_id = @project AND user_id = @user`;
      const seqs = db
        .prepare(`SELECT seq FROM memories WHERE ${mine} UNION SELECT seq FROM memories WHERE task_id IN (SELECT value FROM json_each(@tasks))`)
        .all({ ...p, tasks: JSON.stringify(taskIds) }) as Row[];
      const seqList = JSON.stringify(seqs.map((r) => r.seq));
      const vectors = (db.prepare('SELECT COUNT(*) AS n FROM memory_vectors WHERE seq IN (SELECT value FROM json_each(?))').get(seqList) as Row).n as number;
      const ftsDelete = db.prepare('DELETE FROM memories_fts WHERE rowid = ?');
      for (const r of seqs) ftsDelete.run(r.seq);
      // memory_vectors rows go with their memories (trigger).
      const memories = db.prepare('DELETE FROM memories WHERE seq IN (SELECT value FROM json_each(?))').run(seqList).changes;
      const messages = db.prepare('DELETE FROM messages WHERE project_id = @project AND user_id = @user').run(p).changes;
      const profiles = db.prepare('DELETE FROM profiles WHERE project_id = @project AND subject = @user').run(p).changes;
      const tasks = db.prepare('DELETE FROM tasks WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(taskIds)).changes;
      return { memories, vectors, messages, profiles, tasks };
    })();
  }

  async purgeDeleted() {
    const db = this.db;
    db.pragma('secure_delete = ON');
    // Rewrites the full-text index without the deleted rows' terms.
    db.prepare("INSERT INTO memories_fts(memories_fts) VALUES ('optimize')").run();
    // Rebuilds the file: earlier updates (a task's lease, an archived memory) left old copies of rows in the
    // free space of pages, which only a rebuild is sure to drop.
    db.exec('VACUUM');
    // Copies the rebuilt pages into the database file and empties the write-ahead log.
    db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async deleteMessagesBefore(time: number) {
    let total = 0;
    // In slices, so a large first run never holds the write lock for long.
    for (;;) {
      const n = this.db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE create_time < ? LIMIT 5000)').run(time).changes;
      total += n;
      if (n < 5000) return total;
    }
  }
}
