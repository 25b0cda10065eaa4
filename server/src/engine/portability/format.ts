/**
 * The export file: JSON Lines. The first line is the header (format version, server version, what was
 * selected, how many rows of each table follow), then one line per row in import order, then an end line
 * repeating the counts, so a truncated file is recognised as one.
 *
 *   {"type":"header","format":"memos-lite-export","format_version":1,"server_version":"0.1.0",...}
 *   {"type":"row","table":"memories","row":{"id":"…","value":"…",…}}
 *   {"type":"end","counts":{"memories":1234,…}}
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PortableTable } from '../../store/portability';

export const FORMAT = 'memos-lite-export';
/** Raised when a change would make older servers misread a file; they refuse files newer than they know. */
export const FORMAT_VERSION = 1;

export interface ExportHeader {
  type: 'header';
  format: typeof FORMAT;
  format_version: number;
  server_version: string;
  created_time: number;
  project: { id: string; name: string };
  user_id: string | null;
  with_vectors: boolean;
  counts: Partial<Record<PortableTable, number>>;
}

export const serverVersion = (): string => {
  try {
    // dist/engine/portability/ and src/engine/portability/ both sit three levels below the package.
    return JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
};
