/**
 * SQLite schema, applied in numbered steps recorded in `meta.schema_version`, so an existing data directory
 * is upgraded in place and never recreated.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, create_time INTEGER NOT NULL);
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    create_time INTEGER NOT NULL,
    revoked_time INTEGER
  );
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    raw TEXT NOT NULL,
    chat_time TEXT,
    event_time INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    agent_id TEXT,
    app_id TEXT,
    task_id TEXT
  );
  CREATE INDEX messages_by_conversation ON messages(project_id, user_id, conversation_id, id);
  CREATE TABLE memories (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    user_id TEXT,
    knowledgebase_id TEXT,
    kind TEXT NOT NULL,
    subtype TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    data TEXT,
    search_text TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    info TEXT NOT NULL DEFAULT '{}',
    agent_id TEXT,
    app_id TEXT,
    conversation_id TEXT NOT NULL,
    status TEXT NOT NULL,
    confidence REAL NOT NULL,
    priority REAL NOT NULL DEFAULT 0,
    event_time INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    state_key TEXT,
    superseded_by TEXT,
    sources TEXT NOT NULL DEFAULT '[]',
    task_id TEXT
  );
  CREATE INDEX memories_by_user ON memories(project_id, user_id, kind, status, event_time);
  CREATE INDEX memories_by_state ON memories(project_id, user_id, state_key) WHERE state_key IS NOT NULL;
  CREATE INDEX memories_by_kb ON memories(knowledgebase_id, kind, status) WHERE knowledgebase_id IS NOT NULL;
  CREATE INDEX memories_public ON memories(project_id, kind, status) WHERE scope = 'public';
  CREATE VIRTUAL TABLE memories_fts USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE memories_vocab USING fts5vocab(memories_fts, row);
  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
  );
  CREATE INDEX tasks_pending ON tasks(create_time) WHERE status = 'running';
  CREATE TABLE knowledgebases (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    create_time INTEGER NOT NULL
  );
  CREATE TABLE project_knowledgebases (
    project_id TEXT NOT NULL,
    knowledgebase_id TEXT NOT NULL,
    PRIMARY KEY (project_id, knowledgebase_id)
  );
  `,
  // Knowledge-base files: metadata, original bytes (kept apart so listings stay cheap), and a way to find the
  // memories made from a file when it is deleted.
  `
  ALTER TABLE knowledgebases ADD COLUMN project_id TEXT;
  CREATE INDEX project_knowledgebases_by_kb ON project_knowledgebases(knowledgebase_id);
  CREATE TABLE knowledgebase_files (
    id TEXT PRIMARY KEY,
    knowledgebase_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    ext TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    source_url TEXT,
    task_id TEXT,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
  );
  CREATE INDEX knowledgebase_files_by_kb ON knowledgebase_files(knowledgebase_id, type, create_time);
  CREATE TABLE knowledgebase_file_content (file_id TEXT PRIMARY KEY, content BLOB NOT NULL);
  CREATE INDEX memories_by_file ON memories(json_extract(data, '$.file_id')) WHERE knowledgebase_id IS NOT NULL;
  `,
  // A conversation's latest messages in time order (/get/message, and the context of each new turn) without
  // sorting the whole conversation on every write.
  `
  CREATE INDEX messages_by_conversation_time ON messages(project_id, user_id, conversation_id, event_time, id);
  `,
  // Embedding vectors (only written when an embedding model is configured), one per memory, float32 little-endian,
  // unit length. A vector goes with its memory, and goes stale (is dropped, to be remade) when the text changes.
  `
  CREATE TABLE memory_vectors (seq INTEGER PRIMARY KEY, model TEXT NOT NULL, vector BLOB NOT NULL);
  CREATE TRIGGER memory_vectors_on_delete AFTER DELETE ON memories BEGIN DELETE FROM memory_vectors WHERE seq = old.seq; END;
  CREATE TRIGGER memory_vectors_on_edit AFTER UPDATE OF value ON memories BEGIN DELETE FROM memory_vectors WHERE seq = old.seq; END;
  `,
  // Profile templates (the server's catalogue) and the profiles bound from them, one per project, subject and template.
  `
  CREATE TABLE profile_templates (id TEXT PRIMARY KEY, name TEXT NOT NULL, metadata TEXT NOT NULL, create_time INTEGER NOT NULL);
  CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    template_id TEXT NOT NULL,
    metadata TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    UNIQUE (project_id, subject, template_id)
  );
  CREATE INDEX profiles_by_template ON profiles(template_id);
  `,
  // The console: read-only API keys; usage figures per project, day and operation (latencies as a histogram of
  // 20%-wide buckets); and indexes for its reads (versions along superseded_by, a task's memories, task lists).
  `
  ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE usage_daily (
    project_id TEXT NOT NULL,
    day TEXT NOT NULL,
    operation TEXT NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    latency TEXT NOT NULL DEFAULT '{}',
    llm_calls INTEGER NOT NULL DEFAULT 0,
    llm_prompt_tokens INTEGER NOT NULL DEFAULT 0,
    llm_completion_tokens INTEGER NOT NULL DEFAULT 0,
    embedding_calls INTEGER NOT NULL DEFAULT 0,
    embedding_tokens INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, day, operation)
  );
  CREATE INDEX memories_by_superseded ON memories(superseded_by) WHERE superseded_by IS NOT NULL;
  CREATE INDEX memories_by_task ON memories(task_id) WHERE task_id IS NOT NULL;
  CREATE INDEX tasks_by_project ON tasks(project_id, kind, create_time);
  `,
  // Task leases: the worker that claims a task holds it for a while and renews the claim as it works; a claim that
  // runs out lets the task be taken over (postgres/schema.ts step 3 has the same columns for replicas).
  `
  ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
  ALTER TABLE tasks ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
  `,
  // Value signatures (store/signature.ts): refinement looks its new memories up instead of reading the user's
  // memories. Rows from before this step are signed on the user's next lookup (memories.ts signedValues).
  `
  ALTER TABLE memories ADD COLUMN value_sig TEXT;
  CREATE INDEX memories_by_value_sig ON memories(project_id, user_id, value_sig);
  `,
  // A knowledge-base file's original in parts of about 1 MB, written and read one at a time so no single statement
  // holds the request thread for a whole upload. Parts are written before their file's row is committed; what an
  // upload that died in between left behind is found by time with no file row (the sweep). create_time comes
  // before content so that reading it never walks a part's overflow pages, and the index covers the sweep's scan.
  // Files stored before this step keep their bytes whole in knowledgebase_file_content.
  `
  CREATE TABLE knowledgebase_file_parts (
    file_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (file_id, part)
  );
  CREATE INDEX knowledgebase_file_parts_by_time ON knowledgebase_file_parts(create_time, file_id, part);
  `,
];
