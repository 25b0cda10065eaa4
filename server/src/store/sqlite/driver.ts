/**
 * The SQLite driver. better-sqlite3 13 is a Node-API module (prebuilt, ABI-stable) and is the only line that
 * is safe on Node 24.19+, where 12.x aborts when the garbage collector finalizes a statement. It requires
 * Node 22, so on Node 20 the 12.x line (installed as the optional `better-sqlite3-legacy`) is used instead:
 * the Node 24 regression does not exist there.
 */
import type BetterSqlite3 from 'better-sqlite3';

const major = Number(process.versions.node.split('.')[0]);

const MODULE = major >= 22 ? 'better-sqlite3' : 'better-sqlite3-legacy';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database: typeof BetterSqlite3 = require(MODULE);

/** Where the driver in use was loaded from, for a worker thread that opens a connection of its own. */
export const DRIVER_PATH = require.resolve(MODULE);

export default Database;
export type { Database as DatabaseHandle, Statement } from 'better-sqlite3';
