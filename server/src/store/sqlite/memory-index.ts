/**
 * The full-text index entries (FTS5, contentless): one per memory row, keyed by its `seq`, holding the text the
 * engine already normalised and segmented. Kept in step with the rows by memories.ts.
 */
import type { SqliteDb } from './connection';

export function indexText(db: SqliteDb, seq: number, searchText: string) {
  db.q('INSERT INTO memories_fts(rowid, text) VALUES (?, ?)').run(seq, searchText);
}

export function unindexText(db: SqliteDb, seq: number) {
  db.q('DELETE FROM memories_fts WHERE rowid = ?').run(seq);
}
