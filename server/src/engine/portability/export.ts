/**
 * Export: streams a project (or one user of it) into the JSON Lines format of format.ts. Rows arrive a page at
 * a time from the store's snapshot and each page waits for the sink to drain, so memory stays flat however
 * large the project is.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ProjectRecord } from '../../store/types';
import type { Portability, PortableTable } from '../../store/portability';
import { FORMAT, FORMAT_VERSION, serverVersion, type ExportHeader } from './format';

export interface ExportOptions {
  project: ProjectRecord;
  userId?: string;
  withVectors: boolean;
  /** Called with the total once known, then with the rows written so far. */
  progress?: { start(total: number): void; update(done: number): void };
}

export async function exportData(p: Portability, out: Writable, o: ExportOptions): Promise<Partial<Record<PortableTable, number>>> {
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let counts: Partial<Record<PortableTable, number>> = {};
  let done = 0;
  await p.exportRows(
    { projectId: o.project.id, userId: o.userId, withVectors: o.withVectors },
    {
      async counts(c) {
        counts = c;
        const header: ExportHeader = {
          type: 'header',
          format: FORMAT,
          format_version: FORMAT_VERSION,
          server_version: serverVersion(),
          created_time: Date.now(),
          project: { id: o.project.id, name: o.project.name },
          user_id: o.userId ?? null,
          with_vectors: o.withVectors,
          counts: c,
        };
        o.progress?.start(Object.values(c).reduce((a, b) => a + (b ?? 0), 0));
        await write(JSON.stringify(header) + '\n');
      },
      async rows(table, rows) {
        await write(rows.map((row) => JSON.stringify({ type: 'row', table, row })).join('\n') + '\n');
        done += rows.length;
        o.progress?.update(done);
      },
    },
  );
  await write(JSON.stringify({ type: 'end', counts }) + '\n');
  return counts;
}
