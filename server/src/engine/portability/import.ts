/**
 * Import: reads an export file line by line and writes its rows in batches, each batch one transaction. Rows
 * already present are skipped, so importing twice changes nothing and a run killed half-way is finished by
 * running it again. At the end every table's rows are counted against the header: rows read, and rows now
 * present in the database.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { PORTABLE_TABLES, type Portability, type PortableRow, type PortableTable } from '../../store/portability';
import type { Store } from '../../store/types';
import { FORMAT, FORMAT_VERSION, type ExportHeader } from './format';

const BATCH = 500;

export class ImportError extends Error {}

export interface ImportResult {
  projectId: string;
  /** Per table: rows in the file, rows written now (the rest were there already). */
  tables: Array<{ table: PortableTable; rows: number; inserted: number }>;
}

export interface ImportOptions {
  /** Import into this project (by name, created when missing) instead of the exported project's id. */
  projectName?: string;
  progress?: { start(total: number): void; update(done: number): void };
}

function parseHeader(line: string | undefined): ExportHeader {
  let h: ExportHeader;
  try {
    h = JSON.parse(line ?? '');
  } catch {
    throw new ImportError('not a memos-lite export: the first line is not JSON');
  }
  if (h?.type !== 'header' || h.format !== FORMAT) throw new ImportError('not a memos-lite export: the first line is not its header');
  if (!Number.isInteger(h.format_version) || h.format_version > FORMAT_VERSION)
    throw new ImportError(
      `this file is export format version ${h.format_version} (written by memos-lite ${h.server_version}); this memos-lite reads versions up to ${FORMAT_VERSION}: upgrade memos-lite to import it`,
    );
  return h;
}

export async function importData(store: Store, p: Portability, file: string, o: ImportOptions = {}): Promise<ImportResult> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  try {
    const header = parseHeader((await it.next()).value);
    const projectId = o.projectName ? (await store.projectByName(o.projectName)).id : header.project.id;
    const read = new Map<PortableTable, number>();
    const inserted = new Map<PortableTable, number>();
    let total = 0;
    o.progress?.start(Object.values(header.counts).reduce((a, b) => a + (b ?? 0), 0));
    let batch: PortableRow[] = [];
    let batchTable: PortableTable | undefined;
    const flush = async () => {
      if (!batchTable || batch.length === 0) return;
      // Into another project by name: the project exists already, its own row stays as it is.
      const rows = batchTable === 'projects' && o.projectName ? [] : batch;
      const r = rows.length ? await p.importRows(batchTable, projectId, rows) : { inserted: 0, present: 0 };
      if (r.present !== rows.length) throw new ImportError(`${batchTable}: ${rows.length - r.present} of ${rows.length} rows could not be written`);
      inserted.set(batchTable, (inserted.get(batchTable) ?? 0) + r.inserted);
      total += batch.length;
      o.progress?.update(total);
      batch = [];
    };
    let end: { counts: Record<string, number> } | undefined;
    let lineNo = 1;
    for (let next = await it.next(); !next.done; next = await it.next()) {
      lineNo++;
      if (!next.value.trim()) continue;
      let rec: { type: string; table?: PortableTable; row?: PortableRow; counts?: Record<string, number> };
      try {
        rec = JSON.parse(next.value);
      } catch {
        throw new ImportError(`line ${lineNo} is not JSON (a damaged file?)`);
      }
      if (rec.type === 'end') {
        end = rec as typeof end;
        break;
      }
      if (rec.type !== 'row' || !rec.table || !PORTABLE_TABLES.includes(rec.table) || typeof rec.row !== 'object' || rec.row === null)
        throw new ImportError(`line ${lineNo} is not a row of a known table`);
      if (rec.table !== batchTable || batch.length >= BATCH) {
        await flush();
        batchTable = rec.table;
      }
      batch.push(rec.row);
      read.set(rec.table, (read.get(rec.table) ?? 0) + 1);
    }
    await flush();
    if (!end) throw new ImportError('the file ends before its end line: it is incomplete (was the export interrupted?)');
    const wrong = PORTABLE_TABLES.filter((t) => (header.counts[t] ?? 0) !== (read.get(t) ?? 0));
    if (wrong.length) throw new ImportError(`row counts differ from the header: ${wrong.map((t) => `${t} ${read.get(t) ?? 0} of ${header.counts[t] ?? 0}`).join(', ')}`);
    return {
      projectId,
      tables: PORTABLE_TABLES.filter((t) => read.has(t)).map((t) => ({ table: t, rows: read.get(t)!, inserted: inserted.get(t) ?? 0 })),
    };
  } finally {
    lines.close();
  }
}
