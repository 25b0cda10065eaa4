/**
 * The embedded default Store: one SQLite file in WAL mode through better-sqlite3. Every write batch is one
 * transaction (synchronous=NORMAL in WAL is durable across process crashes), so a crash never leaves a
 * half-written memory, message or task behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database, { type DatabaseHandle, type Statement } from './driver';
import type {
  ApiKeyRecord,
  KnowledgebaseFileRecord,
  KnowledgebaseFileType,
  KnowledgebaseRecord,
  LexicalHit,
  LexicalQuery,
  ListPage,
  MemoryKind,
  MemoryRecord,
  MessageRecord,
  ProjectRecord,
  RecallScope,
  Store,
  TaskRecord,
  TaskStatus,
  WriteBatch,
} from '../types';
import type { FilterNode } from '../../engine/filter';
import { both } from '../../engine/filter';
import { MIGRATIONS } from './schema';
import { filterToSql, type SqlPart } from './filter-sql';

type Row = Record<string, any>;

const json = (v: unknown) => JSON.stringify(v ?? null);

function toMemory(r: Row): MemoryRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    scope: r.scope,
    userId: r.user_id,
    knowledgebaseId: r.knowledgebase_id,
    kind: r.kind,
    subtype: r.subtype,
    key: r.key,
    value: r.value,
    data: r.data ? JSON.parse(r.data) : null,
    searchText: r.search_text,
    tags: JSON.parse(r.tags),
    info: JSON.parse(r.info),
    agentId: r.agent_id,
    appId: r.app_id,
    conversationId: r.conversation_id,
    status: r.status,
    confidence: r.confidence,
    priority: r.priority,
    eventTime: r.event_time,
    createTime: r.create_time,
    updateTime: r.update_time,
    stateKey: r.state_key,
    supersededBy: r.superseded_by,
    sources: JSON.parse(r.sources),
    taskId: r.task_id,
  };
}

function toMessage(r: Row): MessageRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    userId: r.user_id,
    conversationId: r.conversation_id,
    role: r.role,
    content: r.content,
    raw: JSON.parse(r.raw),
    chatTime: r.chat_time,
    eventTime: r.event_time,
    createTime: r.create_time,
    agentId: r.agent_id,
    appId: r.app_id,
    taskId: r.task_id,
  };
}

function toTask(r: Row): TaskRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    kind: r.kind,
    payload: JSON.parse(r.payload),
    status: r.status,
    error: r.error,
    attempts: r.attempts,
    createTime: r.create_time,
    updateTime: r.update_time,
  };
}

const toKnowledgebase = (r: Row): KnowledgebaseRecord => ({
  id: r.id,
  name: r.name,
  description: r.description,
  projectId: r.project_id,
  createTime: r.create_time,
});

/** Selected with FILE_SELECT: a file whose task failed for good reads as failed, with the task's error. */
const toFile = (r: Row): KnowledgebaseFileRecord => ({
  id: r.id,
  knowledgebaseId: r.knowledgebase_id,
  projectId: r.project_id,
  type: r.type,
  name: r.name,
  ext: r.ext,
  sizeBytes: r.size_bytes,
  status: r.status === 'running' && r.task_status === 'failed' ? 'failed' : r.status,
  error: r.error ?? (r.task_status === 'failed' ? r.task_error : null),
  sourceUrl: r.source_url,
  taskId: r.task_id,
  chunkCount: r.chunk_count,
  createTime: r.create_time,
  updateTime: r.update_time,
});

const FILE_SELECT = 'SELECT f.*, t.status AS task_status, t.error AS task_error FROM knowledgebase_files f LEFT JOIN tasks t ON t.id = f.task_id';

/** Memories made from the given files (matches the memories_by_file index). */
const FILE_MEMORIES = (n: number) => `knowledgebase_id IS NOT NULL AND json_extract(data, '$.file_id') IN (${Array(n).fill('?').join(',')})`;

const toKey = (r: Row): ApiKeyRecord => ({
  id: r.id,
  projectId: r.project_id,
  prefix: r.prefix,
  label: r.label,
  createTime: r.create_time,
  revokedTime: r.revoked_time,
});

export class SqliteStore implements Store {
  readonly db: DatabaseHandle;
  private readonly stmt = new Map<string, Statement>();

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'memos.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate() {
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as Row | undefined;
    let version = row ? Number(row.value) : 0;
    while (version < MIGRATIONS.length) {
      const sql = version === 0 ? MIGRATIONS[0].replace('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);', '') : MIGRATIONS[version];
      this.db.transaction(() => {
        this.db.exec(sql);
        version++;
        this.db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(version));
      })();
    }
  }

  /** Prepared statements are cached by their SQL text. */
  private q(sql: string): Statement {
    let s = this.stmt.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmt.set(sql, s);
    }
    return s;
  }

  async close() {
    this.db.close();
  }

  // ---- projects and keys

  async ensureDefaultProject() {
    const existing = this.q('SELECT * FROM projects ORDER BY create_time LIMIT 1').get() as Row | undefined;
    if (existing) return { project: { id: existing.id, name: existing.name, createTime: existing.create_time }, created: false };
    const project: ProjectRecord = { id: 'proj-' + randomUUID().replace(/-/g, '').slice(0, 16), name: 'default', createTime: Date.now() };
    this.q('INSERT INTO projects(id, name, create_time) VALUES (?, ?, ?)').run(project.id, project.name, project.createTime);
    return { project, created: true };
  }

  async projectByName(name: string) {
    const r = this.q('SELECT * FROM projects WHERE name = ? ORDER BY create_time LIMIT 1').get(name) as Row | undefined;
    if (r) return { id: r.id, name: r.name, createTime: r.create_time };
    const project: ProjectRecord = { id: 'proj-' + randomUUID().replace(/-/g, '').slice(0, 16), name, createTime: Date.now() };
    this.q('INSERT INTO projects(id, name, create_time) VALUES (?, ?, ?)').run(project.id, project.name, project.createTime);
    return project;
  }

  async listProjects() {
    return (this.q('SELECT * FROM projects ORDER BY create_time').all() as Row[]).map((r) => ({ id: r.id, name: r.name, createTime: r.create_time }));
  }

  async createKey(projectId: string, keyHash: string, prefix: string, label: string) {
    const rec: ApiKeyRecord = { id: 'key-' + randomUUID().slice(0, 8), projectId, prefix, label, createTime: Date.now(), revokedTime: null };
    this.q('INSERT INTO api_keys(id, project_id, key_hash, prefix, label, create_time) VALUES (?, ?, ?, ?, ?, ?)').run(
      rec.id,
      projectId,
      keyHash,
      prefix,
      label,
      rec.createTime,
    );
    return rec;
  }

  async findKeyByHash(keyHash: string) {
    const r = this.q('SELECT * FROM api_keys WHERE key_hash = ?').get(keyHash) as Row | undefined;
    return r ? toKey(r) : undefined;
  }

  async listKeys() {
    return (this.q('SELECT * FROM api_keys ORDER BY create_time').all() as Row[]).map(toKey);
  }

  async revokeKey(idOrPrefix: string) {
    const r = this.q('SELECT * FROM api_keys WHERE id = ? OR prefix = ?').get(idOrPrefix, idOrPrefix) as Row | undefined;
    if (!r) return undefined;
    if (!r.revoked_time) this.q('UPDATE api_keys SET revoked_time = ? WHERE id = ?').run(Date.now(), r.id);
    return toKey({ ...r, revoked_time: r.revoked_time ?? Date.now() });
  }

  // ---- knowledge bases

  async linkedKnowledgebaseIds(projectId: string) {
    return (this.q('SELECT knowledgebase_id FROM project_knowledgebases WHERE project_id = ?').all(projectId) as Row[]).map((r) => r.knowledgebase_id as string);
  }

  private readonly createKbTx = (kb: KnowledgebaseRecord, projectId: string, maxLinked: number) =>
    this.db.transaction(() => {
      const n = (this.q('SELECT COUNT(*) AS n FROM project_knowledgebases WHERE project_id = ?').get(projectId) as Row).n as number;
      if (n >= maxLinked) return false;
      this.q('INSERT INTO knowledgebases(id, name, description, create_time, project_id) VALUES (?, ?, ?, ?, ?)').run(kb.id, kb.name, kb.description, kb.createTime, kb.projectId);
      this.q('INSERT INTO project_knowledgebases(project_id, knowledgebase_id) VALUES (?, ?)').run(projectId, kb.id);
      return true;
    })();

  async createKnowledgebase(kb: KnowledgebaseRecord, projectId: string, maxLinked: number) {
    return this.createKbTx(kb, projectId, maxLinked);
  }

  async getKnowledgebase(id: string) {
    const r = this.q('SELECT * FROM knowledgebases WHERE id = ?').get(id) as Row | undefined;
    return r ? toKnowledgebase(r) : undefined;
  }

  async unlinkKnowledgebase(projectId: string, knowledgebaseId: string) {
    this.q('DELETE FROM project_knowledgebases WHERE project_id = ? AND knowledgebase_id = ?').run(projectId, knowledgebaseId);
    return (this.q('SELECT COUNT(*) AS n FROM project_knowledgebases WHERE knowledgebase_id = ?').get(knowledgebaseId) as Row).n as number;
  }

  private deleteMemoriesWhere(where: string, params: unknown[]): number {
    const seqs = this.db.prepare(`SELECT seq FROM memories WHERE ${where}`).all(...params) as Row[];
    const del = this.q('DELETE FROM memories_fts WHERE rowid = ?');
    for (const r of seqs) del.run(r.seq);
    this.db.prepare(`DELETE FROM memories WHERE ${where}`).run(...params);
    return seqs.length;
  }

  private readonly purgeKbTx = (id: string) =>
    this.db.transaction(() => {
      this.deleteMemoriesWhere('knowledgebase_id = ?', [id]);
      this.q('DELETE FROM knowledgebase_file_content WHERE file_id IN (SELECT id FROM knowledgebase_files WHERE knowledgebase_id = ?)').run(id);
      this.q('DELETE FROM knowledgebase_files WHERE knowledgebase_id = ?').run(id);
      this.q('DELETE FROM project_knowledgebases WHERE knowledgebase_id = ?').run(id);
      this.q('DELETE FROM knowledgebases WHERE id = ?').run(id);
    })();

  async purgeKnowledgebase(knowledgebaseId: string) {
    this.purgeKbTx(knowledgebaseId);
  }

  async listKnowledgebaseFiles(knowledgebaseId: string, type: KnowledgebaseFileType | undefined, page: number, size: number) {
    const where = type ? 'f.knowledgebase_id = ? AND f.type = ?' : 'f.knowledgebase_id = ?';
    const params = type ? [knowledgebaseId, type] : [knowledgebaseId];
    const total = (this.q(`SELECT COUNT(*) AS n FROM knowledgebase_files f WHERE ${where}`).get(...params) as Row).n as number;
    const rows = this.q(`${FILE_SELECT} WHERE ${where} ORDER BY f.create_time DESC, f.rowid DESC LIMIT ? OFFSET ?`).all(...params, size, (page - 1) * size) as Row[];
    return { items: rows.map(toFile), total };
  }

  async getKnowledgebaseFiles(ids: string[]) {
    if (ids.length === 0) return [];
    return (this.db.prepare(`${FILE_SELECT} WHERE f.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Row[]).map(toFile);
  }

  async getKnowledgebaseFileContent(id: string) {
    const r = this.q('SELECT content FROM knowledgebase_file_content WHERE file_id = ?').get(id) as Row | undefined;
    return r ? (r.content as Buffer) : undefined;
  }

  private readonly deleteFilesTx = (ids: string[]) =>
    this.db.transaction(() => {
      const list = ids.map(() => '?').join(',');
      this.deleteMemoriesWhere(FILE_MEMORIES(ids.length), ids);
      this.db.prepare(`DELETE FROM knowledgebase_file_content WHERE file_id IN (${list})`).run(...ids);
      this.db.prepare(`DELETE FROM knowledgebase_files WHERE id IN (${list})`).run(...ids);
    })();

  async deleteKnowledgebaseFiles(ids: string[]) {
    if (ids.length) this.deleteFilesTx(ids);
  }

  // ---- writes

  private insertMemory(m: MemoryRecord) {
    const info = this.q(
      `INSERT INTO memories(id, project_id, scope, user_id, knowledgebase_id, kind, subtype, key, value, data, search_text, tags, info,
        agent_id, app_id, conversation_id, status, confidence, priority, event_time, create_time, update_time, state_key, superseded_by, sources, task_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.id,
      m.projectId,
      m.scope,
      m.userId,
      m.knowledgebaseId,
      m.kind,
      m.subtype,
      m.key,
      m.value,
      m.data ? json(m.data) : null,
      m.searchText,
      json(m.tags),
      json(m.info),
      m.agentId,
      m.appId,
      m.conversationId,
      m.status,
      m.confidence,
      m.priority,
      m.eventTime,
      m.createTime,
      m.updateTime,
      m.stateKey,
      m.supersededBy,
      json(m.sources),
      m.taskId,
    );
    this.q('INSERT INTO memories_fts(rowid, text) VALUES (?, ?)').run(info.lastInsertRowid, m.searchText);
  }

  private readonly commitTx = (batch: WriteBatch) =>
    this.db.transaction(() => {
      for (const t of [...(batch.newTask ? [batch.newTask] : []), ...(batch.newTasks ?? [])]) {
        this.q('INSERT INTO tasks(id, project_id, kind, payload, status, error, attempts, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          t.id,
          t.projectId,
          t.kind,
          json(t.payload),
          t.status,
          t.error,
          t.attempts,
          t.createTime,
          t.updateTime,
        );
      }
      for (const { file: f, content } of batch.knowledgebaseFiles ?? []) {
        this.q(
          `INSERT INTO knowledgebase_files(id, knowledgebase_id, project_id, type, name, ext, size_bytes, status, error, source_url, task_id, chunk_count, create_time, update_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(f.id, f.knowledgebaseId, f.projectId, f.type, f.name, f.ext, f.sizeBytes, f.status, f.error, f.sourceUrl, f.taskId, f.chunkCount, f.createTime, f.updateTime);
        this.q('INSERT INTO knowledgebase_file_content(file_id, content) VALUES (?, ?)').run(f.id, content);
      }
      let memories = batch.memories ?? [];
      if (batch.fileResult) {
        const r = batch.fileResult;
        const updated = this.q('UPDATE knowledgebase_files SET status = ?, error = ?, chunk_count = ?, update_time = ? WHERE id = ?').run(
          r.status,
          r.error ?? null,
          r.chunkCount ?? 0,
          Date.now(),
          r.id,
        );
        if (updated.changes === 0) memories = [];
      }
      for (const msg of batch.messages ?? []) {
        this.q(
          `INSERT INTO messages(project_id, user_id, conversation_id, role, content, raw, chat_time, event_time, create_time, agent_id, app_id, task_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(msg.projectId, msg.userId, msg.conversationId, msg.role, msg.content, json(msg.raw), msg.chatTime, msg.eventTime, msg.createTime, msg.agentId, msg.appId, msg.taskId);
      }
      for (const m of memories) this.insertMemory(m);
      const now = Date.now();
      for (const a of batch.archive ?? []) {
        this.q("UPDATE memories SET status = 'archived', superseded_by = ?, update_time = ? WHERE id = ?").run(a.supersededBy, now, a.id);
      }
      for (const u of batch.updates ?? []) {
        const r = this.q('SELECT seq FROM memories WHERE id = ?').get(u.id) as Row | undefined;
        if (!r) continue;
        this.q('UPDATE memories SET value = ?, search_text = ?, key = COALESCE(?, key), update_time = ? WHERE id = ?').run(u.value, u.searchText, u.key ?? null, u.updateTime, u.id);
        this.q('DELETE FROM memories_fts WHERE rowid = ?').run(r.seq);
        this.q('INSERT INTO memories_fts(rowid, text) VALUES (?, ?)').run(r.seq, u.searchText);
      }
      for (const p of batch.priorities ?? []) this.q('UPDATE memories SET priority = ? WHERE id = ?').run(p.priority, p.id);
      if (batch.task) {
        this.q('UPDATE tasks SET status = ?, error = ?, update_time = ? WHERE id = ?').run(batch.task.status, batch.task.error ?? null, now, batch.task.id);
      }
    })();

  /**
   * Group commit: batches that arrive while the event loop is busy (concurrent /add/message calls) are written in
   * one transaction, each inside its own savepoint so one failing batch fails alone. A caller's promise settles
   * once its batch is committed, exactly as with a transaction of its own, but the commit (and the full-text
   * index segment it writes) is paid once per group instead of once per call.
   */
  commit(batch: WriteBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingCommits.push({ batch, resolve, reject });
      if (this.pendingCommits.length === 1) setImmediate(() => this.flushCommits());
    });
  }

  private pendingCommits: Array<{ batch: WriteBatch; resolve: () => void; reject: (err: unknown) => void }> = [];

  private flushCommits() {
    const group = this.pendingCommits.splice(0);
    let outcomes: unknown[];
    try {
      // commitTx opens a nested transaction, which better-sqlite3 runs as a savepoint.
      outcomes = this.db.transaction(() =>
        group.map((g) => {
          try {
            this.commitTx(g.batch);
            return undefined;
          } catch (err) {
            return err ?? new Error('commit failed');
          }
        }),
      )();
    } catch (err) {
      outcomes = group.map(() => err);
    }
    group.forEach((g, i) => (outcomes[i] === undefined ? g.resolve() : g.reject(outcomes[i])));
  }

  // ---- reads

  async getMessages(projectId: string, userId: string, conversationId: string, limit: number) {
    const rows = this.q(
      'SELECT * FROM messages WHERE project_id = ? AND user_id = ? AND conversation_id = ? ORDER BY event_time DESC, id DESC LIMIT ?',
    ).all(projectId, userId, conversationId, limit) as Row[];
    return rows.reverse().map(toMessage);
  }

  async getMemoriesByIds(ids: string[]) {
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`SELECT * FROM memories WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Row[];
    return rows.map(toMemory);
  }

  async findUserMemories(projectId: string, userId: string, opts: { stateKeys?: string[]; kinds?: MemoryKind[]; limit?: number; textLike?: string }) {
    const where = ["m.project_id = ?", "m.user_id = ?", "m.status = 'activated'"];
    const params: unknown[] = [projectId, userId];
    if (opts.stateKeys?.length) {
      where.push(`m.state_key IN (${opts.stateKeys.map(() => '?').join(',')})`);
      params.push(...opts.stateKeys);
    }
    if (opts.kinds?.length) {
      where.push(`m.kind IN (${opts.kinds.map(() => '?').join(',')})`);
      params.push(...opts.kinds);
    }
    if (opts.textLike) {
      where.push("m.value LIKE ? ESCAPE '\\'");
      params.push('%' + opts.textLike.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
    }
    const sql = `SELECT m.* FROM memories m WHERE ${where.join(' AND ')} ORDER BY m.event_time DESC LIMIT ?`;
    return (this.q(sql).all(...params, opts.limit ?? 1000) as Row[]).map(toMemory);
  }

  /** The WHERE clause for "memories this recall may see". */
  private scopeSql(scope: RecallScope, kinds: MemoryKind[]): SqlPart {
    const globalFilter = scope.globalFilter;
    const sources: SqlPart[] = [];
    const withFilter = (base: string, params: unknown[], f?: FilterNode): SqlPart => {
      const fs = f ? filterToSql(f) : undefined;
      return { sql: fs ? `(${base} AND ${fs.sql})` : `(${base})`, params: fs ? [...params, ...fs.params] : params };
    };
    if (scope.includeUser) sources.push(withFilter("m.scope = 'user' AND m.project_id = ? AND m.user_id = ?", [scope.projectId, scope.userId], both(globalFilter, scope.userFilter)));
    if (scope.includePublic) sources.push(withFilter("m.scope = 'public' AND m.project_id = ?", [scope.projectId], both(globalFilter, scope.publicFilter)));
    if (scope.knowledgebaseIds.length)
      sources.push(
        withFilter(
          `m.scope = 'knowledgebase' AND m.knowledgebase_id IN (${scope.knowledgebaseIds.map(() => '?').join(',')})`,
          scope.knowledgebaseIds,
          both(globalFilter, scope.knowledgebaseFilter),
        ),
      );
    if (sources.length === 0) return { sql: '0', params: [] };
    const status = scope.includeArchived ? "m.status IN ('activated', 'archived')" : "m.status = 'activated'";
    return {
      sql: `(${sources.map((s) => s.sql).join(' OR ')}) AND ${status} AND m.kind IN (${kinds.map(() => '?').join(',')})`,
      params: [...sources.flatMap((s) => s.params), ...kinds],
    };
  }

  /**
   * The best `limit` in-scope memories by FTS5's bm25. FTS5 first ranks on its own (no join while it scores every
   * match), over-fetching, and the scope is checked on those rows only. That is exact whenever enough of them are
   * in scope (every in-scope row outside them ranks lower); when the index is shared with many other users and
   * too few are, the ranking is redone inside the scope.
   */
  async lexicalSearch(scope: RecallScope, query: LexicalQuery): Promise<LexicalHit[]> {
    if (!query.match) return [];
    const where = this.scopeSql(scope, query.kinds);
    const over = query.limit * 2;
    let ranked = this.q(
      `SELECT m.seq, t.score FROM (SELECT rowid AS seq, -bm25(memories_fts) AS score FROM memories_fts WHERE memories_fts MATCH ? ORDER BY bm25(memories_fts) LIMIT ?) t
       CROSS JOIN memories m ON m.seq = t.seq WHERE ${where.sql} ORDER BY t.score DESC`,
    ).all(query.match, over, ...where.params) as Array<{ seq: number; score: number }>;
    if (ranked.length < query.limit) {
      const matched = (this.q('SELECT COUNT(*) AS n FROM (SELECT 1 FROM memories_fts WHERE memories_fts MATCH ? LIMIT ?)').get(query.match, over) as Row).n as number;
      if (matched >= over)
        ranked = this.q(
          `SELECT m.seq, -bm25(memories_fts) AS score FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
           WHERE memories_fts MATCH ? AND ${where.sql} ORDER BY bm25(memories_fts) LIMIT ?`,
        ).all(query.match, ...where.params, query.limit) as Array<{ seq: number; score: number }>;
    }
    // Whole rows (large: index text, sources) are read for the winners only.
    ranked = ranked.slice(0, query.limit);
    const rows = new Map(
      (this.q('SELECT m.* FROM json_each(?) j CROSS JOIN memories m ON m.seq = j.value').all(json(ranked.map((r) => r.seq))) as Row[]).map((r) => [r.seq as number, r]),
    );
    return ranked.filter((r) => rows.has(r.seq)).map((r) => ({ memory: toMemory(rows.get(r.seq)!), score: r.score }));
  }

  async recentMemories(scope: RecallScope, kinds: MemoryKind[], limit: number) {
    const where = this.scopeSql(scope, kinds);
    const rows = this.q(`SELECT m.* FROM memories m WHERE ${where.sql} ORDER BY m.event_time DESC LIMIT ?`).all(...where.params, limit) as Row[];
    return rows.map(toMemory);
  }

  /** term -> [document frequency, document count when it was read]; see termStats. */
  private readonly dfCache = new Map<string, [number, number]>();

  async termStats(terms: string[]) {
    // Row ids only grow, so the sequence is a cheap upper bound of the document count (IDF needs no more).
    const docCount = ((this.q("SELECT seq FROM sqlite_sequence WHERE name = 'memories'").get() as Row | undefined)?.seq as number | undefined) ?? 0;
    // Frequencies are re-read once the index has grown by a few percent: IDF hardly moves in between, and the
    // vocabulary lookups would otherwise cost as much as the search itself.
    const fresh = (at: number) => docCount - at <= Math.max(100, at * 0.03);
    if (this.dfCache.size > 100_000) this.dfCache.clear();
    const df = new Map<string, number>();
    for (const t of terms) {
      const hit = this.dfCache.get(t);
      if (hit && fresh(hit[1])) df.set(t, hit[0]);
      else {
        const n = ((this.q('SELECT doc FROM memories_vocab WHERE term = ?').get(t) as Row | undefined)?.doc as number | undefined) ?? 0;
        // An unseen word is never remembered as unseen: the next memory may bring it, and recall skips terms at 0.
        if (n > 0) this.dfCache.set(t, [n, docCount]);
        else this.dfCache.delete(t);
        df.set(t, n);
      }
    }
    return { docCount, df };
  }

  // ---- embedding vectors

  async memoriesWithoutVector(model: string, limit: number) {
    const rows = this.q(
      `SELECT m.* FROM memories m LEFT JOIN memory_vectors v ON v.seq = m.seq AND v.model = ? WHERE v.seq IS NULL ORDER BY m.seq DESC LIMIT ?`,
    ).all(model, limit) as Row[];
    return rows.map(toMemory);
  }

  async putVectors(model: string, items: Array<{ id: string; vector: Float32Array }>) {
    const put = this.q('INSERT OR REPLACE INTO memory_vectors(seq, model, vector) SELECT seq, ?, ? FROM memories WHERE id = ?');
    this.db.transaction(() => {
      for (const it of items) put.run(model, Buffer.from(it.vector.buffer, it.vector.byteOffset, it.vector.byteLength), it.id);
    })();
  }

  /**
   * Exact search: every in-scope vector is compared with the query. That is a few milliseconds per ten thousand
   * 1,536-dimension vectors, fine for a personal memory store; an approximate index would be the next step.
   */
  async vectorSearch(scope: RecallScope, kinds: MemoryKind[], model: string, query: Float32Array, limit: number) {
    const where = this.scopeSql(scope, kinds);
    const rows = this.q(`SELECT v.seq, v.vector FROM memory_vectors v JOIN memories m ON m.seq = v.seq WHERE v.model = ? AND ${where.sql}`).all(
      model,
      ...where.params,
    ) as Array<{ seq: number; vector: Buffer }>;
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
    const byId = new Map(
      (this.q('SELECT m.* FROM json_each(?) j CROSS JOIN memories m ON m.seq = j.value').all(json(best.map((b) => b.seq))) as Row[]).map((r) => [r.seq as number, r]),
    );
    return best.filter((b) => byId.has(b.seq)).map((b) => ({ memory: toMemory(byId.get(b.seq)!), similarity: b.similarity }));
  }

  async listUserMemories(projectId: string, userId: string, kind: MemoryKind, filter: FilterNode | undefined, page: number, size: number): Promise<ListPage> {
    const f = filter ? filterToSql(filter) : undefined;
    const base = `FROM memories m WHERE m.project_id = ? AND m.user_id = ? AND m.scope IN ('user', 'public') AND m.kind = ? AND m.status = 'activated'${f ? ' AND ' + f.sql : ''}`;
    const params = [projectId, userId, kind, ...(f?.params ?? [])];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${base}`).get(...params) as Row).n as number;
    const rows = this.db.prepare(`SELECT m.* ${base} ORDER BY m.event_time DESC, m.seq DESC LIMIT ? OFFSET ?`).all(...params, size, (page - 1) * size) as Row[];
    return { items: rows.map(toMemory), total };
  }

  // ---- deletes

  private readonly deleteTx = (where: string, params: unknown[]) => this.db.transaction(() => this.deleteMemoriesWhere(where, params))();

  async deleteMemories(projectId: string, ids: string[]) {
    this.deleteTx(`project_id = ? AND id IN (${ids.map(() => '?').join(',')})`, [projectId, ...ids]);
  }

  async deleteUserMemories(projectId: string, userId: string) {
    return this.deleteTx("project_id = ? AND user_id = ? AND scope IN ('user', 'public')", [projectId, userId]);
  }

  // ---- tasks

  async getTask(id: string) {
    const r = this.q('SELECT * FROM tasks WHERE id = ?').get(id) as Row | undefined;
    return r ? toTask(r) : undefined;
  }

  async pendingTasks(limit: number) {
    return (this.q("SELECT * FROM tasks WHERE status = 'running' ORDER BY create_time LIMIT ?").all(limit) as Row[]).map(toTask);
  }

  async markTaskAttempt(id: string) {
    this.q('UPDATE tasks SET attempts = attempts + 1, update_time = ? WHERE id = ?').run(Date.now(), id);
  }

  async finishTask(id: string, status: TaskStatus, error?: string | null) {
    this.q('UPDATE tasks SET status = ?, error = ?, update_time = ? WHERE id = ?').run(status, error ?? null, Date.now(), id);
  }
}
