/**
 * Backup and restore of the SQLite file through SQLite's online backup API. The copy is taken in a single
 * backup step, which is one read transaction: a consistent snapshot of everything committed when it began,
 * while the server keeps writing (WAL readers do not block writers). Copying in several smaller steps would
 * restart from the beginning whenever the server wrote in between, and might never finish under load.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from './driver';
import { MIGRATIONS } from './schema';
import { SqliteDb } from './connection';

const DB_FILE = 'memos.db';
/** More pages than any database has: the whole copy in one step. */
const ALL_PAGES = 2 ** 30;

export class BackupError extends Error {}

export async function backupSqlite(dataDir: string, file: string): Promise<{ pages: number; bytes: number; ms: number }> {
  const source = path.join(dataDir, DB_FILE);
  if (!fs.existsSync(source)) throw new BackupError(`no memos-lite database in ${dataDir} (expected ${source})`);
  if (fs.existsSync(file)) throw new BackupError(`${file} exists already; choose a new file name`);
  const started = performance.now();
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    let pages = 0;
    await db.backup(file, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return ALL_PAGES;
      },
    });
    return { pages, bytes: fs.statSync(file).size, ms: Math.round(performance.now() - started) };
  } finally {
    db.close();
  }
}

/** Checks that a file is a memos-lite database this version can open; returns its schema version. */
function checkBackup(file: string): number {
  let db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    const ok = db.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw new BackupError(`${file} is damaged: ${ok}`);
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    if (!row) throw new BackupError(`${file} is not a memos-lite database`);
    const version = Number(row.value);
    if (version > MIGRATIONS.length) throw new BackupError(`${file} comes from a newer memos-lite (schema ${version}; this one knows ${MIGRATIONS.length}): upgrade memos-lite to restore it`);
    return version;
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not a memos-lite database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** Restores a backup into a data directory that holds no database yet, and brings its schema up to date. */
export async function restoreSqlite(file: string, dataDir: string): Promise<void> {
  if (!fs.existsSync(file)) throw new BackupError(`no such file: ${file}`);
  const target = path.join(dataDir, DB_FILE);
  if (fs.existsSync(target) || fs.existsSync(target + '-wal')) throw new BackupError(`${dataDir} already holds a database; restore into an empty data directory`);
  checkBackup(file);
  fs.mkdirSync(dataDir, { recursive: true });
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await src.backup(target, { progress: () => ALL_PAGES });
  } finally {
    src.close();
  }
  // Opening applies the schema steps the backup predates.
  new SqliteDb(dataDir).close();
}
