/**
 * One open SQLite database: the handle, a cache of prepared statements and the schema upgrade. Every aggregate
 * file of the SQLite store works through this object, so they share one connection and one statement cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database, { type DatabaseHandle, type Statement } from './driver';
import { MIGRATIONS } from './schema';

import type { Row } from '../rows';

export type { Row };

export const json = (v: unknown) => JSON.stringify(v ?? null);

/** `?, ?, ?` for an IN list of n values. */
export const placeholders = (n: number) => Array(n).fill('?').join(',');

export class SqliteDb {
  readonly handle: DatabaseHandle;
  private readonly stmt = new Map<string, Statement>();

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.handle = new Database(path.join(dataDir, 'memos.db'));
    this.handle.pragma('journal_mode = WAL');
    this.handle.pragma('synchronous = NORMAL');
    this.handle.pragma('busy_timeout = 5000');
    this.handle.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** Applies the numbered steps of schema.ts not yet recorded in `meta.schema_version`, each in its own transaction. */
  private migrate() {
    const db = this.handle;
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as Row | undefined;
    let version = row ? Number(row.value) : 0;
    while (version < MIGRATIONS.length) {
      const sql = version === 0 ? MIGRATIONS[0].replace('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);', '') : MIGRATIONS[version];
      db.transaction(() => {
        db.exec(sql);
        version++;
        db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(version));
      })();
    }
  }

  /** Prepared statements are cached by their SQL text: use for SQL whose text has a bounded number of forms. */
  q(sql: string): Statement {
    let s = this.stmt.get(sql);
    if (!s) {
      s = this.handle.prepare(sql);
      this.stmt.set(sql, s);
    }
    return s;
  }

  /** A statement whose text varies with its input (IN lists of any length): prepared once, not cached. */
  once(sql: string): Statement {
    return this.handle.prepare(sql);
  }

  /** Runs fn in a transaction (a savepoint when already inside one). */
  tx<T>(fn: () => T): T {
    return this.handle.transaction(fn)();
  }

  close() {
    this.handle.close();
  }
}
