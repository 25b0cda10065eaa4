/**
 * What export, import, erase and retention need from a backend, apart from the request-path Store: whole-table
 * walks inside one consistent snapshot, idempotent inserts that keep ids and times, and deletes that leave
 * nothing recoverable behind. sqlite/portability.ts and postgres/portability.ts implement it.
 *
 * Rows travel in a portable form: the tables' own column names, JSON columns as JSON values, booleans as
 * booleans, bytes as base64, and no backend-internal keys (row sequences are assigned again on import; a vector
 * names its memory by id).
 */

/** The tables an export carries, in the order an import must write them (a vector after its memory). */
export const PORTABLE_TABLES = [
  'projects',
  'api_keys',
  'knowledgebases',
  'project_knowledgebases',
  'knowledgebase_files',
  'profile_templates',
  'profiles',
  'memories',
  'memory_vectors',
  'messages',
  'tasks',
  'usage_daily',
] as const;
export type PortableTable = (typeof PORTABLE_TABLES)[number];

export type PortableRow = Record<string, unknown>;

/** Columns of each table as exported (backend-internal ones such as row sequences and task leases are left out). */
export interface TableShape {
  columns: string[];
  /** Columns holding JSON (text in SQLite, JSONB in PostgreSQL). */
  json?: string[];
  /** Columns holding a flag (0/1 in SQLite). */
  bool?: string[];
  /** Columns that identify a row already present, for idempotent imports. */
  key: string[];
}

export const SHAPES: Record<PortableTable, TableShape> = {
  projects: { columns: ['id', 'name', 'create_time'], key: ['id'] },
  api_keys: { columns: ['id', 'project_id', 'key_hash', 'prefix', 'label', 'create_time', 'revoked_time', 'read_only'], bool: ['read_only'], key: ['id'] },
  knowledgebases: { columns: ['id', 'name', 'description', 'create_time', 'project_id'], key: ['id'] },
  project_knowledgebases: { columns: ['project_id', 'knowledgebase_id'], key: ['project_id', 'knowledgebase_id'] },
  // `content`: the original file, base64, whole (from knowledgebase_file_content, or its parts joined in order);
  // an import stores it in parts (splitFileParts).
  knowledgebase_files: {
    columns: ['id', 'knowledgebase_id', 'project_id', 'type', 'name', 'ext', 'size_bytes', 'status', 'error', 'source_url', 'task_id', 'chunk_count', 'create_time', 'update_time'],
    key: ['id'],
  },
  profile_templates: { columns: ['id', 'name', 'metadata', 'create_time'], json: ['metadata'], key: ['id'] },
  profiles: { columns: ['id', 'project_id', 'subject', 'template_id', 'metadata', 'create_time', 'update_time'], json: ['metadata'], key: ['project_id', 'subject', 'template_id'] },
  memories: {
    columns: [
      'id', 'project_id', 'scope', 'user_id', 'knowledgebase_id', 'kind', 'subtype', 'key', 'value', 'data', 'search_text', 'tags', 'info', 'agent_id', 'app_id',
      'conversation_id', 'status', 'confidence', 'priority', 'event_time', 'create_time', 'update_time', 'state_key', 'superseded_by', 'sources', 'task_id',
    ],
    json: ['data', 'tags', 'info', 'sources'],
    key: ['id'],
  },
  // `vector`: float32 little-endian, base64.
  memory_vectors: { columns: ['memory_id', 'model', 'vector'], key: ['memory_id'] },
  messages: {
    columns: ['project_id', 'user_id', 'conversation_id', 'role', 'content', 'raw', 'chat_time', 'event_time', 'create_time', 'agent_id', 'app_id', 'task_id'],
    json: ['raw'],
    // Message row ids are local to a database; a message is the same message when all of these match.
    key: ['project_id', 'user_id', 'conversation_id', 'event_time', 'role', 'content'],
  },
  tasks: { columns: ['id', 'project_id', 'kind', 'payload', 'status', 'error', 'attempts', 'create_time', 'update_time'], json: ['payload'], key: ['id'] },
  usage_daily: {
    columns: ['project_id', 'day', 'operation', 'requests', 'errors', 'latency', 'llm_calls', 'llm_prompt_tokens', 'llm_completion_tokens', 'embedding_calls', 'embedding_tokens'],
    json: ['latency'],
    key: ['project_id', 'day', 'operation'],
  },
};

export interface ExportSelection {
  projectId: string;
  /** Only this user's records (memories, messages, profile, unfinished tasks); no project-wide ones. */
  userId?: string;
  withVectors: boolean;
}

/** How a backend writes the selection's parameters and reads a task payload's user. */
export interface SelectionDialect {
  project: string;
  user: string;
  /** SQL of the `userId` field of a task row's JSON payload. */
  payloadUser: string;
}

/** Which rows of a table an export selects (null: none), as a WHERE clause over the table's own columns. */
export function selection(table: PortableTable, sel: ExportSelection, d: SelectionDialect): string | null {
  const user = sel.userId !== undefined;
  const linked = `SELECT knowledgebase_id FROM project_knowledgebases WHERE project_id = ${d.project}`;
  switch (table) {
    case 'projects':
      return `id = ${d.project}`;
    case 'api_keys':
    case 'project_knowledgebases':
    case 'usage_daily':
      return user ? null : `project_id = ${d.project}`;
    case 'knowledgebases':
      return user ? null : `id IN (${linked})`;
    case 'knowledgebase_files':
      return user ? null : `knowledgebase_id IN (${linked})`;
    case 'profiles':
      return user ? `project_id = ${d.project} AND subject = ${d.user}` : `project_id = ${d.project}`;
    case 'profile_templates':
      return `id IN (SELECT template_id FROM profiles WHERE ${selection('profiles', sel, d)})`;
    case 'memories':
      return user
        ? `project_id = ${d.project} AND scope IN ('user', 'public') AND user_id = ${d.user}`
        : `(project_id = ${d.project} AND scope IN ('user', 'public')) OR (scope = 'knowledgebase' AND knowledgebase_id IN (${linked}))`;
    case 'memory_vectors':
      return sel.withVectors ? `seq IN (SELECT seq FROM memories WHERE ${selection('memories', sel, d)})` : null;
    case 'messages':
      return user ? `project_id = ${d.project} AND user_id = ${d.user}` : `project_id = ${d.project}`;
    case 'tasks':
      return user ? `status = 'running' AND id IN (${userTasks(d)})` : `status = 'running' AND project_id = ${d.project}`;
  }
}

/** The user's tasks: their payload names them (refine and feedback tasks carry `userId`). */
export const userTasks = (d: SelectionDialect) => `SELECT id FROM tasks WHERE project_id = ${d.project} AND ${d.payloadUser} = ${d.user}`;

export interface ExportVisitor {
  /** Called once, first, with the number of rows each table will deliver. */
  counts(counts: Partial<Record<PortableTable, number>>): Promise<void>;
  /** A page of rows, in import order; awaited before the next page is read (the sink's back-pressure). */
  rows(table: PortableTable, rows: PortableRow[]): Promise<void>;
}

/** What an erase removed, by kind (never the content). */
export interface EraseCounts {
  memories: number;
  vectors: number;
  messages: number;
  profiles: number;
  tasks: number;
}

export interface Portability {
  /** Walks every selected row inside one snapshot: concurrent writes are either wholly in it or not at all. */
  exportRows(sel: ExportSelection, visit: ExportVisitor): Promise<void>;
  /**
   * Writes the rows that are not there yet (by their ids; messages by their content and time), in one
   * transaction, with `projectId` as their project. Returns how many were written and how many of the given
   * rows are present afterwards (all of them, unless something refused them).
   */
  importRows(table: PortableTable, projectId: string, rows: PortableRow[]): Promise<{ inserted: number; present: number }>;
  /** Deletes everything stored about one user of a project, in one transaction. */
  eraseUser(projectId: string, userId: string): Promise<EraseCounts>;
  /** Makes deleted content unrecoverable from the database files where the backend can (see each backend). */
  purgeDeleted(): Promise<void>;
  /** Drops raw messages written before `time` (epoch ms); memories stay. */
  deleteMessagesBefore(time: number): Promise<number>;
}
