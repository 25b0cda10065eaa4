/**
 * PostgreSQL schema, applied in numbered steps recorded in `schema_migrations` (connection.ts runs them under an
 * advisory lock). New steps are appended; an applied step is never edited. Tables and columns mirror the SQLite
 * schema (sqlite/schema.ts); the differences are PostgreSQL's own types: JSONB, BYTEA, a tsvector for the
 * full-text index (memory-index.ts builds it) and, when the extension is there, pgvector.
 */
export const MIGRATIONS: string[] = [
  // 1: everything the SQLite schema's first three steps hold.
  `
  CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, create_time BIGINT NOT NULL);
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    create_time BIGINT NOT NULL,
    revoked_time BIGINT
  );
  CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    raw JSONB NOT NULL,
    chat_time TEXT,
    event_time BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    agent_id TEXT,
    app_id TEXT,
    task_id TEXT
  );
  CREATE INDEX messages_by_conversation_time ON messages(project_id, user_id, conversation_id, event_time, id);
  CREATE TABLE memories (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    project_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    user_id TEXT,
    knowledgebase_id TEXT,
    kind TEXT NOT NULL,
    subtype TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    data JSONB,
    search_text TEXT NOT NULL,
    -- The index form of search_text (memory-index.ts) and its length in tokens (for bm25).
    tsv TSVECTOR NOT NULL,
    token_count INTEGER NOT NULL,
    tags JSONB NOT NULL DEFAULT '[]',
    info JSONB NOT NULL DEFAULT '{}',
    agent_id TEXT,
    app_id TEXT,
    conversation_id TEXT NOT NULL,
    status TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    priority DOUBLE PRECISION NOT NULL DEFAULT 0,
    event_time BIGINT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    state_key TEXT,
    superseded_by TEXT,
    sources JSONB NOT NULL DEFAULT '[]',
    task_id TEXT
  );
  CREATE INDEX memories_by_user ON memories(project_id, user_id, kind, status, event_time);
  CREATE INDEX memories_by_state ON memories(project_id, user_id, state_key) WHERE state_key IS NOT NULL;
  CREATE INDEX memories_by_kb ON memories(knowledgebase_id, kind, status) WHERE knowledgebase_id IS NOT NULL;
  CREATE INDEX memories_public ON memories(project_id, kind, status) WHERE scope = 'public';
  CREATE INDEX memories_by_file ON memories((data->>'file_id')) WHERE knowledgebase_id IS NOT NULL;
  CREATE INDEX memories_fts ON memories USING GIN (tsv);
  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload JSONB NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL
  );
  CREATE INDEX tasks_pending ON tasks(create_time) WHERE status = 'running';
  CREATE TABLE knowledgebases (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    create_time BIGINT NOT NULL,
    project_id TEXT
  );
  CREATE TABLE project_knowledgebases (
    project_id TEXT NOT NULL,
    knowledgebase_id TEXT NOT NULL,
    PRIMARY KEY (project_id, knowledgebase_id)
  );
  CREATE INDEX project_knowledgebases_by_kb ON project_knowledgebases(knowledgebase_id);
  CREATE TABLE knowledgebase_files (
    seq BIGSERIAL UNIQUE,
    id TEXT PRIMARY KEY,
    knowledgebase_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    ext TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    source_url TEXT,
    task_id TEXT,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL
  );
  CREATE INDEX knowledgebase_files_by_kb ON knowledgebase_files(knowledgebase_id, type, create_time);
  CREATE TABLE knowledgebase_file_content (file_id TEXT PRIMARY KEY, content BYTEA NOT NULL);
  `,
  // 2: embedding vectors, one per memory, unit length. pgvector's type when the extension can be created (then
  // the distance is computed by the database and an index can serve it), else a plain REAL[] compared exactly.
  // A vector goes with its memory, and goes stale (is dropped, to be remade) when the text changes.
  `
  DO $$
  BEGIN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pgvector is not available (%): vectors are stored as REAL[] and compared exactly', SQLERRM;
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
      CREATE TABLE memory_vectors (seq BIGINT PRIMARY KEY REFERENCES memories(seq) ON DELETE CASCADE, model TEXT NOT NULL, dims INTEGER NOT NULL, vector vector NOT NULL);
    ELSE
      CREATE TABLE memory_vectors (seq BIGINT PRIMARY KEY REFERENCES memories(seq) ON DELETE CASCADE, model TEXT NOT NULL, dims INTEGER NOT NULL, vector REAL[] NOT NULL);
    END IF;
  END
  $$;
  CREATE INDEX memory_vectors_by_model ON memory_vectors(model, dims);
  CREATE FUNCTION memory_vectors_stale() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM memory_vectors WHERE seq = OLD.seq;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER memory_vectors_on_edit AFTER UPDATE OF value ON memories FOR EACH ROW WHEN (OLD.value IS DISTINCT FROM NEW.value) EXECUTE FUNCTION memory_vectors_stale();
  `,
  // 3: task leases. Any number of processes share the task table: a process claims a task (FOR UPDATE SKIP
  // LOCKED) for a while and renews the claim while it works; a claim that runs out (its process died) lets
  // another process take the task over.
  `
  ALTER TABLE tasks ADD COLUMN lease_owner TEXT;
  ALTER TABLE tasks ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
  CREATE INDEX tasks_claimable ON tasks(lease_until, create_time) WHERE status = 'running';
  `,
  // 4: profile templates and profiles; the console's read-only keys, usage figures per project, day and
  // operation, and indexes for its reads (sqlite/schema.ts steps 5 and 6).
  `
  CREATE TABLE profile_templates (id TEXT PRIMARY KEY, name TEXT NOT NULL, metadata JSONB NOT NULL, create_time BIGINT NOT NULL);
  CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    template_id TEXT NOT NULL,
    metadata JSONB NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    UNIQUE (project_id, subject, template_id)
  );
  CREATE INDEX profiles_by_template ON profiles(template_id);
  ALTER TABLE api_keys ADD COLUMN read_only BOOLEAN NOT NULL DEFAULT FALSE;
  CREATE TABLE usage_daily (
    project_id TEXT NOT NULL,
    day TEXT NOT NULL,
    operation TEXT NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    errors BIGINT NOT NULL DEFAULT 0,
    latency JSONB NOT NULL DEFAULT '{}',
    llm_calls BIGINT NOT NULL DEFAULT 0,
    llm_prompt_tokens BIGINT NOT NULL DEFAULT 0,
    llm_completion_tokens BIGINT NOT NULL DEFAULT 0,
    embedding_calls BIGINT NOT NULL DEFAULT 0,
    embedding_tokens BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, day, operation)
  );
  CREATE INDEX memories_by_superseded ON memories(superseded_by) WHERE superseded_by IS NOT NULL;
  CREATE INDEX memories_by_task ON memories(task_id) WHERE task_id IS NOT NULL;
  CREATE INDEX tasks_by_project ON tasks(project_id, kind, create_time);
  `,
  // Value signatures (store/signature.ts, SQLite's step of the same name): refinement looks its new memories up
  // instead of reading the user's memories; older rows are signed on the user's next lookup.
  `
  ALTER TABLE memories ADD COLUMN value_sig TEXT;
  CREATE INDEX memories_by_value_sig ON memories(project_id, user_id, value_sig);
  `,
  // Profile trees keep their fields in the order the template gives them (listings, profile_value lines): json keeps
  // the text as written, where jsonb reorders keys. PostgreSQL only; SQLite stores the text already.
  `
  ALTER TABLE profile_templates ALTER COLUMN metadata TYPE JSON USING metadata::json;
  ALTER TABLE profiles ALTER COLUMN metadata TYPE JSON USING metadata::json;
  `,
  // 7: a knowledge-base file's original in parts of about 1 MB, written and read one at a time (SQLite's step of
  // the same table). Parts are written before their file's row is committed; the index finds by time what an
  // upload that died in between left behind. Files stored before this step keep their bytes whole in
  // knowledgebase_file_content.
  `
  CREATE TABLE knowledgebase_file_parts (
    file_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    create_time BIGINT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (file_id, part)
  );
  CREATE INDEX knowledgebase_file_parts_by_time ON knowledgebase_file_parts(create_time, file_id);
  `,
];
