/**
 * The embedded default Store: one SQLite file in WAL mode through better-sqlite3. Every write batch is one
 * transaction (synchronous=NORMAL in WAL is durable across process crashes), so a crash never leaves a
 * half-written memory, message or task behind.
 *
 * This class only routes the Store interface to the aggregate files next to it (keys, knowledgebases,
 * memories, memory-index + lexical-search, messages, tasks, vectors, commit); postgres/ mirrors them one for one.
 */
import type { DatabaseHandle } from './driver';
import type {
  KnowledgebaseFileType,
  KnowledgebaseRecord,
  LexicalQuery,
  MemoryKind,
  MemoryStatus,
  MemorySelection,
  ProfileRecord,
  ProfileTemplateRecord,
  RecallScope,
  Store,
  TaskStatus,
  UsageDelta,
  WriteBatch,
} from '../types';
import type { FilterNode } from '../filter';
import { Checkpointer } from './checkpointer';
import { SqliteDb } from './connection';
import { GroupCommit } from './commit';
import * as keys from './keys';
import * as kbs from './knowledgebases';
import * as lexical from './lexical-search';
import * as memories from './memories';
import * as messages from './messages';
import * as profiles from './profiles';
import * as tasks from './tasks';
import * as usage from './usage';
import * as users from './users';
import * as vectors from './vectors';

export class SqliteStore implements Store {
  private readonly conn: SqliteDb;
  private readonly group: GroupCommit;
  private readonly dfCache: lexical.TermStatsCache = new Map();

  /** One process owns the file: no other process writes it behind this one's back. */
  readonly shared = false;

  private readonly checkpointer: Checkpointer;

  constructor(dataDir: string) {
    this.conn = new SqliteDb(dataDir);
    this.checkpointer = new Checkpointer(this.conn, (message) => process.emitWarning(message));
    this.group = new GroupCommit(this.conn);
    // One process owns a SQLite file, so a lease found at open was held by a process that is gone.
    tasks.releaseLeases(this.conn);
  }

  /** The raw handle, for tools that inspect the file (benchmarks, tests). */
  get db(): DatabaseHandle {
    return this.conn.handle;
  }

  /** Whether write-ahead-log checkpoints run off the request thread (checkpointer.ts). */
  get checkpointsOffThread(): boolean {
    return this.checkpointer.running;
  }

  async close() {
    await this.checkpointer.stop();
    this.conn.close();
  }

  // ---- projects and keys
  async ensureDefaultProject() {
    return keys.ensureDefaultProject(this.conn);
  }
  async projectByName(name: string) {
    return keys.projectByName(this.conn, name);
  }
  async listProjects() {
    return keys.listProjects(this.conn);
  }
  async createKey(projectId: string, keyHash: string, prefix: string, label: string, readOnly = false) {
    return keys.createKey(this.conn, projectId, keyHash, prefix, label, readOnly);
  }
  async findKeyByHash(keyHash: string) {
    return keys.findKeyByHash(this.conn, keyHash);
  }
  async listKeys() {
    return keys.listKeys(this.conn);
  }
  async revokeKey(idOrPrefix: string) {
    return keys.revokeKey(this.conn, idOrPrefix);
  }

  // ---- knowledge bases
  async linkedKnowledgebaseIds(projectId: string) {
    return kbs.linkedKnowledgebaseIds(this.conn, projectId);
  }
  async createKnowledgebase(kb: KnowledgebaseRecord, projectId: string, maxLinked: number) {
    return kbs.createKnowledgebase(this.conn, kb, projectId, maxLinked);
  }
  async getKnowledgebase(id: string) {
    return kbs.getKnowledgebase(this.conn, id);
  }
  async unlinkKnowledgebase(projectId: string, knowledgebaseId: string) {
    return kbs.unlinkKnowledgebase(this.conn, projectId, knowledgebaseId);
  }
  async purgeKnowledgebase(knowledgebaseId: string) {
    kbs.purgeKnowledgebase(this.conn, knowledgebaseId);
  }
  async listKnowledgebaseFiles(knowledgebaseId: string, type: KnowledgebaseFileType | undefined, page: number, size: number) {
    return kbs.listKnowledgebaseFiles(this.conn, knowledgebaseId, type, page, size);
  }
  async getKnowledgebaseFiles(ids: string[]) {
    return kbs.getKnowledgebaseFiles(this.conn, ids);
  }
  async getKnowledgebaseFileContent(id: string) {
    return kbs.getKnowledgebaseFileContent(this.conn, id);
  }
  async deleteKnowledgebaseFiles(ids: string[]) {
    kbs.deleteKnowledgebaseFiles(this.conn, ids);
  }
  async putKnowledgebaseFilePart(fileId: string, part: number, bytes: Buffer, now: number) {
    kbs.putKnowledgebaseFilePart(this.conn, fileId, part, bytes, now);
  }
  async getKnowledgebaseFilePart(fileId: string, part: number) {
    return kbs.getKnowledgebaseFilePart(this.conn, fileId, part);
  }
  async discardKnowledgebaseFileParts(fileIds: string[]) {
    kbs.discardKnowledgebaseFileParts(this.conn, fileIds);
  }
  async sweepKnowledgebaseFileParts(olderThan: number) {
    return kbs.sweepKnowledgebaseFileParts(this.conn, olderThan);
  }

  // ---- writes
  commit(batch: WriteBatch) {
    return this.group.commit(batch);
  }

  // ---- reads
  async getMessages(projectId: string, userId: string, conversationId: string, limit: number) {
    return messages.getMessages(this.conn, projectId, userId, conversationId, limit);
  }
  async getMemoriesByIds(ids: string[]) {
    return memories.getMemoriesByIds(this.conn, ids);
  }
  async findUserMemories(projectId: string, userId: string, opts: { stateKeys?: string[]; kinds?: MemoryKind[]; limit?: number; textLike?: string }) {
    return memories.findUserMemories(this.conn, projectId, userId, opts);
  }
  async signedValues(projectId: string, userId: string, signatures: string[]) {
    return memories.signedValues(this.conn, projectId, userId, signatures);
  }
  async lexicalSearch(scope: RecallScope, query: LexicalQuery) {
    return lexical.lexicalSearch(this.conn, scope, query);
  }
  async recentMemories(scope: RecallScope, kinds: MemoryKind[], limit: number) {
    return memories.recentMemories(this.conn, scope, kinds, limit);
  }
  async termStats(terms: string[]) {
    return lexical.termStats(this.conn, this.dfCache, terms);
  }
  async listUserMemories(projectId: string, userId: string, kind: MemoryKind, filter: FilterNode | undefined, page: number, size: number) {
    return memories.listUserMemories(this.conn, projectId, userId, kind, filter, page, size);
  }

  // ---- embedding vectors
  async memoriesWithoutVector(model: string, limit: number) {
    return vectors.memoriesWithoutVector(this.conn, model, limit);
  }
  async putVectors(model: string, items: Array<{ id: string; vector: Float32Array }>) {
    vectors.putVectors(this.conn, model, items);
  }
  async vectorSearch(scope: RecallScope, kinds: MemoryKind[], model: string, query: Float32Array, limit: number) {
    return vectors.vectorSearch(this.conn, scope, kinds, model, query, limit);
  }

  // ---- deletes
  async deleteMemories(projectId: string, ids: string[]) {
    memories.deleteMemories(this.conn, projectId, ids);
  }
  async deleteUserMemories(projectId: string, userId: string) {
    return memories.deleteUserMemories(this.conn, projectId, userId);
  }
  async deleteMemoriesMatching(projectId: string, selection: MemorySelection) {
    return memories.deleteMemoriesMatching(this.conn, projectId, selection);
  }

  // ---- profile templates and profiles
  async putProfileTemplate(template: ProfileTemplateRecord) {
    profiles.putProfileTemplate(this.conn, template);
  }
  async listProfileTemplates() {
    return profiles.listProfileTemplates(this.conn);
  }
  async getProfileTemplate(id: string) {
    return profiles.getProfileTemplate(this.conn, id);
  }
  async deleteProfileTemplate(id: string) {
    return profiles.deleteProfileTemplate(this.conn, id);
  }
  async getProfiles(projectId: string, subject: string) {
    return profiles.getProfiles(this.conn, projectId, subject);
  }
  async putProfile(profile: ProfileRecord) {
    profiles.putProfile(this.conn, profile);
  }
  async deleteProfile(projectId: string, subject: string, templateId: string) {
    return profiles.deleteProfile(this.conn, projectId, subject, templateId);
  }

  // ---- tasks
  async getTask(id: string) {
    return tasks.getTask(this.conn, id);
  }
  async pendingTasks(limit: number) {
    return tasks.pendingTasks(this.conn, limit);
  }
  async claimTasks(owner: string, leaseMs: number, limit: number, createdBefore?: number) {
    return tasks.claimTasks(this.conn, owner, leaseMs, limit, createdBefore);
  }
  async runningTaskCount() {
    return tasks.runningTaskCount(this.conn);
  }
  async renewLeases(owner: string, ids: string[], leaseMs: number) {
    return tasks.renewLeases(this.conn, owner, ids, leaseMs);
  }
  async releaseLeases(owner: string) {
    tasks.releaseLeases(this.conn, owner);
  }
  async markTaskAttempt(id: string) {
    tasks.markTaskAttempt(this.conn, id);
  }
  async finishTask(id: string, status: TaskStatus, error?: string | null, leaseOwner?: string) {
    return tasks.finishTask(this.conn, id, status, error, leaseOwner);
  }

  // ---- console reads and usage
  async listUsers(projectId: string, opts: { search?: string; after?: string; exact?: string; limit: number }) {
    return users.listUsers(this.conn, projectId, opts);
  }
  async userMemories(projectId: string, userId: string, opts: { kind?: MemoryKind; status?: MemoryStatus; page: number; size: number }) {
    return memories.userMemories(this.conn, projectId, userId, opts);
  }
  async memoryLineage(projectId: string, memoryId: string) {
    return memories.memoryLineage(this.conn, projectId, memoryId);
  }
  async memoriesOfTasks(projectId: string, taskIds: string[]) {
    return memories.memoriesOfTasks(this.conn, projectId, taskIds);
  }
  async memoriesSupersededBy(projectId: string, ids: string[]) {
    return memories.memoriesSupersededBy(this.conn, projectId, ids);
  }
  async listConversations(projectId: string, userId: string, limit: number) {
    return messages.listConversations(this.conn, projectId, userId, limit);
  }
  async conversationMessages(projectId: string, userId: string, conversationId: string, opts: { afterId: number; limit: number }) {
    return messages.conversationMessages(this.conn, projectId, userId, conversationId, opts);
  }
  async listTasks(projectId: string, opts: { status?: TaskStatus; kind?: string; page: number; size: number }) {
    return tasks.listTasks(this.conn, projectId, opts);
  }
  async retryTask(projectId: string, id: string) {
    return tasks.retryTask(this.conn, projectId, id);
  }
  async knowledgebaseChunks(knowledgebaseId: string, fileId: string, page: number, size: number) {
    return kbs.knowledgebaseChunks(this.conn, knowledgebaseId, fileId, page, size);
  }
  async recordUsage(rows: UsageDelta[]) {
    usage.recordUsage(this.conn, rows);
  }
  async usageReport(projectId: string, sinceDay: string) {
    return usage.usageReport(this.conn, projectId, sinceDay);
  }
}
