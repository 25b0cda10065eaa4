/** Opens the configured backend: PostgreSQL when a database URL is set (replicas), else the SQLite file in the data directory. */
import fs from 'node:fs';
import type { Portability } from './portability';
import { PostgresPortability } from './postgres/portability';
import { PostgresStore } from './postgres/postgres-store';
import { SqlitePortability } from './sqlite/portability';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './types';

export interface StoreLocation {
  dataDir: string;
  databaseUrl?: string;
  dbPoolSize?: number;
}

export async function openStore(o: StoreLocation): Promise<Store> {
  if (o.databaseUrl) {
    // The data directory still holds this process's own files (the first key, written once).
    fs.mkdirSync(o.dataDir, { recursive: true });
    return PostgresStore.open({ connectionString: o.databaseUrl, poolSize: o.dbPoolSize });
  }
  return new SqliteStore(o.dataDir);
}

/** What the store is, for the start banner (never the password). */
export function describeStore(o: StoreLocation): string {
  if (!o.databaseUrl) return o.dataDir;
  try {
    const u = new URL(o.databaseUrl);
    return `postgresql ${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname}`;
  } catch {
    return 'postgresql';
  }
}

/** The store's portability side; both backends provide one. */
export function portabilityOf(store: Store): Portability {
  if (store instanceof SqliteStore) return new SqlitePortability(store.db);
  if (store instanceof PostgresStore) return new PostgresPortability(store.conn);
  throw new Error('this store does not support export, import or erase');
}
