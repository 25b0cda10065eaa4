/**
 * The storage boundary. The engine talks only to this interface, so a PostgreSQL backend can implement it
 * without touching the engine. Operations are coarse (one call = one atomic unit of work), which is what
 * makes "never a half-written record" hold on any backend.
 */
import type { FilterNode } from './filter';

export type MemoryKind = 'fact' | 'preference' | 'tool' | 'skill';
export type MemoryScope = 'user' | 'public' | 'knowledgebase';
export type MemoryStatus = 'activated' | 'archived';

export interface MemoryRecord {
  id: string;
  projectId: string;
  scope: MemoryScope;
  userId: string | null;
  knowledgebaseId: string | null;
  kind: MemoryKind;
  /** WorkingMemory | LongTermMemory | UserMemory (facts); explicit_preference | implicit_preference; ToolSchemaMemory | ToolTrajectoryMemory; skill type. */
  subtype: string;
  key: string;
  /** Text form of the memory (fact value, preference text, trajectory narrative, skill description). */
  value: string;
  /** Structured value when the category has one (tool schema object, skill object, tool_used_status...). */
  data: Record<string, unknown> | null;
  /** Text fed to the lexical index (already normalised and segmented by the engine). */
  searchText: string;
  tags: string[];
  info: Record<string, unknown>;
  agentId: string | null;
  appId: string | null;
  conversationId: string;
  status: MemoryStatus;
  confidence: number;
  /** Ranking boost for corrections from feedback (0 = normal). */
  priority: number;
  /** When the remembered thing happened or was said (from chat_time), epoch ms. */
  eventTime: number;
  createTime: number;
  updateTime: number;
  /** Mutable-state identity ("residence", "diet:spicy"): a newer memory with the same key supersedes older ones. */
  stateKey: string | null;
  supersededBy: string | null;
  /** Source messages: [{role, content, chat_time, message_id}] */
  sources: Array<Record<string, unknown>>;
  taskId: string | null;
}

export interface MessageRecord {
  id?: number;
  projectId: string;
  userId: string;
  conversationId: string;
  role: string;
  content: string;
  raw: Record<string, unknown>;
  chatTime: string | null;
  eventTime: number;
  createTime: number;
  agentId: string | null;
  appId: string | null;
  taskId: string | null;
}

export type TaskStatus = 'running' | 'completed' | 'failed';

export interface TaskRecord {
  id: string;
  projectId: string;
  kind: string;
  payload: Record<string, unknown>;
  status: TaskStatus;
  error: string | null;
  attempts: number;
  createTime: number;
  updateTime: number;
}

export interface ApiKeyRecord {
  id: string;
  projectId: string;
  prefix: string;
  label: string;
  createTime: number;
  revokedTime: number | null;
  /** May read but not write (the console's viewers, dashboards). */
  readOnly: boolean;
}

export interface ProjectRecord {
  id: string;
  name: string;
  createTime: number;
}

export type KnowledgebaseFileType = 'document' | 'skill';

export interface KnowledgebaseRecord {
  id: string;
  name: string;
  description: string;
  /** The project that created it; links (project_knowledgebases) decide who may use it. */
  projectId: string | null;
  createTime: number;
}

export interface KnowledgebaseFileRecord {
  id: string;
  knowledgebaseId: string;
  /** The uploading project. */
  projectId: string;
  type: KnowledgebaseFileType;
  name: string;
  /** Parser the upload was judged to need: pdf, docx, txt, json, md, xml (documents); md, zip (skills). */
  ext: string;
  sizeBytes: number;
  /** running until processed; failed carries the reason in `error`. */
  status: TaskStatus;
  error: string | null;
  /** The URL it was downloaded from, for URL uploads. */
  sourceUrl: string | null;
  taskId: string | null;
  /** Memories made from it (chunks, or 1 for a skill). */
  chunkCount: number;
  createTime: number;
  updateTime: number;
}

/** Where a recall may look. Each source carries its own optional filter (contract §4.4 source mode). */
export interface RecallScope {
  projectId: string;
  userId: string;
  includeUser: boolean;
  includePublic: boolean;
  knowledgebaseIds: string[];
  /** Global-mode filter: applies to every source. */
  globalFilter?: FilterNode;
  userFilter?: FilterNode;
  publicFilter?: FilterNode;
  knowledgebaseFilter?: FilterNode;
  /** Include archived versions (temporal "before / used to" queries). */
  includeArchived: boolean;
}

export interface LexicalQuery {
  /** FTS match expression built by the engine (OR of normalised terms). Empty = no lexical constraint. */
  match: string;
  kinds: MemoryKind[];
  limit: number;
}

export interface LexicalHit {
  memory: MemoryRecord;
  /** Backend relevance score, larger is better (bm25 negated on SQLite). */
  score: number;
}

/** Everything one /add/message (or feedback) commit writes, applied atomically. */
export interface WriteBatch {
  messages?: MessageRecord[];
  memories?: MemoryRecord[];
  /** Memories to archive: id -> superseding memory id (or null). */
  archive?: Array<{ id: string; supersededBy: string | null }>;
  /** In-place value rewrites (feedback keyword replacement keeps the old text as an archived copy). */
  updates?: Array<{ id: string; value: string; searchText: string; key?: string; updateTime: number }>;
  /** Archived memories made current again (update/memory with status activated). */
  activate?: string[];
  /** Ranking priority changes (feedback corrections up, stale snapshots of superseded states down). */
  priorities?: Array<{ id: string; priority: number }>;
  /**
   * The finished task. With `leaseOwner`, the whole batch is written only while that process still holds the
   * task's lease (see claimTasks); otherwise commit rejects with nothing written, so a task taken over by another
   * process never has its output written twice.
   */
  task?: { id: string; status: TaskStatus; error?: string | null; leaseOwner?: string };
  newTask?: TaskRecord;
  /** More tasks created with the batch (one per uploaded knowledge-base file). */
  newTasks?: TaskRecord[];
  /**
   * Knowledge-base files to add. Without `content`, the file's original was stored beforehand in parts
   * (putKnowledgebaseFilePart) and only its record is written; with it, the bytes are stored whole as before.
   */
  knowledgebaseFiles?: Array<{ file: KnowledgebaseFileRecord; content?: Buffer }>;
  /**
   * Outcome of processing one knowledge-base file. When the file was deleted while it was being processed,
   * the batch's memories are dropped with it rather than left behind without a file.
   */
  /** A file's new status (`running` with a chunk count records progress). When the file was deleted meanwhile, the batch's memories are dropped. */
  fileResult?: { id: string; status: 'running' | 'completed' | 'failed'; error?: string | null; chunkCount?: number };
}

/**
 * A profile template: a named tree of fields (groups up to three levels deep), each leaf
 * `{value, algorithm_updatable}`. Templates are the server's catalogue (created with `memos-lite profiles`);
 * profiles made from them belong to one project and one subject.
 */
export interface ProfileTemplateRecord {
  id: string;
  name: string;
  metadata: Record<string, unknown>;
  createTime: number;
}

/** One subject's profile from one template: the template's tree with the subject's values. */
export interface ProfileRecord {
  id: string;
  projectId: string;
  /** The subject: a user id, or an agent's internal subject id. */
  subject: string;
  templateId: string;
  metadata: Record<string, unknown>;
  createTime: number;
  updateTime: number;
}

/** Which memories a bulk delete removes (user and public scope; knowledge-base memories go with their files). */
export interface MemorySelection {
  userId?: string;
  filter?: FilterNode;
  kinds?: MemoryKind[];
  subtypes?: string[];
}

export interface ListPage {
  items: MemoryRecord[];
  total: number;
}

export interface Store {
  /**
   * Other processes may write the same database (PostgreSQL replicas): what one process remembers of the data
   * (recent conversation turns, say) may be stale and must be read again. False for the embedded SQLite file.
   */
  readonly shared: boolean;
  close(): Promise<void>;

  // projects and keys
  ensureDefaultProject(): Promise<{ project: ProjectRecord; created: boolean }>;
  /** A project by name, created when missing. */
  projectByName(name: string): Promise<ProjectRecord>;
  listProjects(): Promise<ProjectRecord[]>;
  createKey(projectId: string, keyHash: string, prefix: string, label: string, readOnly?: boolean): Promise<ApiKeyRecord>;
  findKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listKeys(): Promise<ApiKeyRecord[]>;
  revokeKey(idOrPrefix: string): Promise<ApiKeyRecord | undefined>;

  // knowledge bases
  linkedKnowledgebaseIds(projectId: string): Promise<string[]>;
  /** Creates a knowledge base linked to the project; false (nothing written) when the project already links `maxLinked`. */
  createKnowledgebase(kb: KnowledgebaseRecord, projectId: string, maxLinked: number): Promise<boolean>;
  getKnowledgebase(id: string): Promise<KnowledgebaseRecord | undefined>;
  /** Removes one project's link; returns how many projects still link the knowledge base. */
  unlinkKnowledgebase(projectId: string, knowledgebaseId: string): Promise<number>;
  /** Deletes a knowledge base for good: its files, their contents and every memory in it. */
  purgeKnowledgebase(knowledgebaseId: string): Promise<void>;
  listKnowledgebaseFiles(knowledgebaseId: string, type: KnowledgebaseFileType | undefined, page: number, size: number): Promise<{ items: KnowledgebaseFileRecord[]; total: number }>;
  /** Files by id; a file whose processing task failed for good reads as failed with the task's error. */
  getKnowledgebaseFiles(ids: string[]): Promise<KnowledgebaseFileRecord[]>;
  /** A file's whole original: its parts joined in order, or the bytes of a file stored whole. */
  getKnowledgebaseFileContent(id: string): Promise<Buffer | undefined>;
  /** Deletes files, their contents and the memories made from them. */
  deleteKnowledgebaseFiles(ids: string[]): Promise<void>;
  /**
   * Stores (or replaces) part `part` (0, 1, 2, ...) of a file's original, before the file's record is committed
   * without `content`. `now` is when it was written: until the record exists, the sweep judges it by that time.
   * An empty file is one empty part 0.
   */
  putKnowledgebaseFilePart(fileId: string, part: number, bytes: Buffer, now: number): Promise<void>;
  /**
   * One part of a file's original; undefined past the last one. A file stored whole (before parts existed, or
   * committed with `content`) reads as a single part 0.
   */
  getKnowledgebaseFilePart(fileId: string, part: number): Promise<Buffer | undefined>;
  /** Removes the parts of these files (an upload refused after some of its parts were written). */
  discardKnowledgebaseFileParts(fileIds: string[]): Promise<void>;
  /**
   * Removes parts written before `olderThan` whose file has no record (an upload that died between writing its
   * parts and committing); returns how many parts it removed. `olderThan` must leave any upload still in flight
   * well clear: a part is only known to be an orphan by its age.
   */
  sweepKnowledgebaseFileParts(olderThan: number): Promise<number>;

  // writes
  commit(batch: WriteBatch): Promise<void>;

  // reads
  getMessages(projectId: string, userId: string, conversationId: string, limit: number): Promise<MessageRecord[]>;
  getMemoriesByIds(ids: string[]): Promise<MemoryRecord[]>;
  /** Activated memories of one user (optionally narrowed) used by extraction/feedback to find what a new fact supersedes. */
  findUserMemories(projectId: string, userId: string, opts: { stateKeys?: string[]; kinds?: MemoryKind[]; limit?: number; textLike?: string }): Promise<MemoryRecord[]>;
  /** Which of these value signatures (store/signature.ts) the user's activated refined memories hold: an indexed lookup. */
  signedValues(projectId: string, userId: string, signatures: string[]): Promise<Set<string>>;
  lexicalSearch(scope: RecallScope, query: LexicalQuery): Promise<LexicalHit[]>;
  /** Most recent memories in scope (no text constraint), for recency candidates. */
  recentMemories(scope: RecallScope, kinds: MemoryKind[], limit: number): Promise<MemoryRecord[]>;
  /** Document frequency statistics for query weighting. */
  termStats(terms: string[]): Promise<{ docCount: number; df: Map<string, number> }>;

  // embedding vectors (only used when an embedding model is configured)
  /** Memories that have no vector from `model` yet, newest first. */
  memoriesWithoutVector(model: string, limit: number): Promise<MemoryRecord[]>;
  /** Stores unit-length vectors by memory id (a memory deleted meanwhile is skipped). */
  putVectors(model: string, items: Array<{ id: string; vector: Float32Array }>): Promise<void>;
  /** The in-scope memories most similar (cosine) to a unit-length query vector. */
  vectorSearch(scope: RecallScope, kinds: MemoryKind[], model: string, query: Float32Array, limit: number): Promise<Array<{ memory: MemoryRecord; similarity: number }>>;
  listUserMemories(projectId: string, userId: string, kind: MemoryKind, filter: FilterNode | undefined, page: number, size: number): Promise<ListPage>;

  // deletes
  deleteMemories(projectId: string, ids: string[]): Promise<void>;
  deleteUserMemories(projectId: string, userId: string): Promise<number>;
  /** Deletes the project's user/public memories matching the selection; returns how many. */
  deleteMemoriesMatching(projectId: string, selection: MemorySelection): Promise<number>;

  // profile templates (server-wide) and profiles (per project and subject)
  putProfileTemplate(template: ProfileTemplateRecord): Promise<void>;
  listProfileTemplates(): Promise<ProfileTemplateRecord[]>;
  getProfileTemplate(id: string): Promise<ProfileTemplateRecord | undefined>;
  /** Removes a template and every profile made from it; false when there was none. */
  deleteProfileTemplate(id: string): Promise<boolean>;
  /** A subject's profiles, oldest first. */
  getProfiles(projectId: string, subject: string): Promise<ProfileRecord[]>;
  /** Inserts or replaces the profile of (project, subject, template). */
  putProfile(profile: ProfileRecord): Promise<void>;
  deleteProfile(projectId: string, subject: string, templateId: string): Promise<boolean>;

  // tasks
  getTask(id: string): Promise<TaskRecord | undefined>;
  /** Tasks left `running` (e.g. by a crash), oldest first: the worker resumes them at start. */
  pendingTasks(limit: number): Promise<TaskRecord[]>;
  /**
   * Claims up to `limit` running tasks that no process holds (never claimed, or whose lease ran out because
   * the process holding it died) for `owner` until now + leaseMs, oldest first, created before `createdBefore`
   * (a start delay). Two processes claiming at once never get the same task.
   */
  claimTasks(owner: string, leaseMs: number, limit: number, createdBefore?: number): Promise<TaskRecord[]>;
  /** Tasks still running (the backlog every process shares). */
  runningTaskCount(): Promise<number>;
  /** Extends the owner's leases; returns the ids it still holds. */
  renewLeases(owner: string, ids: string[], leaseMs: number): Promise<string[]>;
  /** Gives up the owner's leases at once (clean shutdown). */
  releaseLeases(owner: string): Promise<void>;
  markTaskAttempt(id: string): Promise<void>;
  /** With `leaseOwner`, only while that process holds the task; false when nothing was written. */
  finishTask(id: string, status: TaskStatus, error?: string | null, leaseOwner?: string): Promise<boolean>;

  // console reads (users, versions, conversations, task lists, chunks) and usage figures
  /** Users with stored memories, by id (keyset paged after `after`; `search` is a case-insensitive part of the id). */
  listUsers(projectId: string, opts: { search?: string; after?: string; exact?: string; limit: number }): Promise<UserSummary[]>;
  /** One user's memories of every status, newest first. */
  userMemories(projectId: string, userId: string, opts: { kind?: MemoryKind; status?: MemoryStatus; page: number; size: number }): Promise<ListPage>;
  /** Every version of a memory along superseded_by, both ways (the memory itself included). */
  memoryLineage(projectId: string, memoryId: string): Promise<MemoryRecord[]>;
  memoriesOfTasks(projectId: string, taskIds: string[]): Promise<MemoryRecord[]>;
  memoriesSupersededBy(projectId: string, ids: string[]): Promise<MemoryRecord[]>;
  listConversations(projectId: string, userId: string, limit: number): Promise<ConversationSummary[]>;
  /** A conversation's messages in write order, after message id `afterId`. */
  conversationMessages(projectId: string, userId: string, conversationId: string, opts: { afterId: number; limit: number }): Promise<MessageRecord[]>;
  listTasks(projectId: string, opts: { status?: TaskStatus; kind?: string; page: number; size: number }): Promise<{ items: TaskRecord[]; total: number }>;
  /** A failed task (and its document) back to running with fresh attempts; false when it is not failed. */
  retryTask(projectId: string, id: string): Promise<boolean>;
  knowledgebaseChunks(knowledgebaseId: string, fileId: string, page: number, size: number): Promise<ListPage>;
  /** Adds counts to the per-day rows (one transaction). */
  recordUsage(rows: UsageDelta[]): Promise<void>;
  usageReport(projectId: string, sinceDay: string): Promise<UsageDelta[]>;
}

/** A user as the console lists them: memory counts by kind and status, messages, agents, last activity. */
export interface UserSummary {
  userId: string;
  memories: Array<{ kind: MemoryKind; status: MemoryStatus; count: number }>;
  messages: number;
  conversations: number;
  agentIds: string[];
  lastActive: number;
}

export interface ConversationSummary {
  conversationId: string;
  messages: number;
  firstTime: number;
  lastTime: number;
}

/** Usage of one project on one day (UTC) by one operation (an endpoint, or a background task kind). */
export interface UsageDelta {
  projectId: string;
  day: string;
  operation: string;
  requests: number;
  errors: number;
  /** Latency histogram: bucket index (engine/usage.ts) -> requests. */
  latency: Record<string, number>;
  llmCalls: number;
  llmPromptTokens: number;
  llmCompletionTokens: number;
  embeddingCalls: number;
  embeddingTokens: number;
}
