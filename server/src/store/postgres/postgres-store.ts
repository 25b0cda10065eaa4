/**
 * The Store for several processes on one PostgreSQL database (replicas behind a load balancer). Every write
 * batch is one transaction; everything that must be shared (tasks and their leases, keys, term statistics)
 * is in the database, and what this process keeps (statistics, vector support) is only a cache of it.
 *
 * This class only routes the Store interface to the aggregate files next to it, which mirror sqlite/ one for one.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type {
  KnowledgebaseFileType,
  KnowledgebaseRecord,
  LexicalQuery,
  MemoryKind,
  MemorySelection,
  MemoryStatus,
  ProfileRecord,
  ProfileTemplateRecord,
  RecallScope,
  Store,
  TaskStatus,
  UsageDelta,
  WriteBatch,
} from '../types';
import type { FilterNode } from '../filter';
import { PgDb, type PgOptions } from './connection';
import * as writes from './commit';
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

export type { PgOptions };

export class PostgresStore implements Store {
  /** Other processes may write the same database: per-process copies of its data are only hints. */
  readonly shared = true;
  private readonly stats = new lexical.TermStatsCache();

  private constructor(
    readonly conn: PgDb,
    private readonly vectorSupport: vectors.VectorSupport,
  ) {}

  /** Connects, and brings the schema up to date (once, whichever replica gets there first). */
  static async open(opts: PgOptions): Promise<PostgresStore> {
    const conn = await PgDb.open(opts);
    try {
      return new PostgresStore(conn, await vectors.vectorSupport(conn));
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  /** Whether vectors are stored as pgvector's type (else REAL[]). */
  get pgvector(): boolean {
    return this.vectorSupport.pgvector;
  }

  private get pool() {
    return this.conn.pool;
  }

  async close() {
    await this.conn.close();
  }

  // ---- projects and keys
  async ensureDefaultProject() {
    return this.conn.tx((c) => keys.ensureDefaultProject(c));
  }
  async projectByName(name: string) {
    return this.conn.tx((c) => keys.projectByName(c, name));
  }
  async listProjects() {
    return keys.listProjects(this.pool);
  }
  async createKey(projectId: string, keyHash: string, prefix: string, label: string, readOnly = false) {
    return keys.createKey(this.pool, projectId, keyHash, prefix, label, readOnly);
  }
  async findKeyByHash(keyHash: string) {
    return keys.findKeyByHash(this.pool, keyHash);
  }
  async listKeys() {
    return keys.listKeys(this.pool);
  }
  async revokeKey(idOrPrefix: string) {
    return keys.revokeKey(this.pool, idOrPrefix);
  }

  // ---- knowledge bases
  async linkedKnowledgebaseIds(projectId: string) {
    return kbs.linkedKnowledgebaseIds(this.pool, projectId);
  }
  async createKnowledgebase(kb: KnowledgebaseRecord, projectId: string, maxLinked: number) {
    return this.conn.tx((c) => kbs.createKnowledgebase(c, kb, projectId, maxLinked));
  }
  async getKnowledgebase(id: string) {
    return kbs.getKnowledgebase(this.pool, id);
  }
  async unlinkKnowledgebase(projectId: string, knowledgebaseId: string) {
    return kbs.unlinkKnowledgebase(this.pool, projectId, knowledgebaseId);
  }
  async purgeKnowledgebase(knowledgebaseId: string) {
    await this.conn.tx((c) => kbs.purgeKnowledgebase(c, knowledgebaseId));
  }
  async listKnowledgebaseFiles(knowledgebaseId: string, type: KnowledgebaseFileType | undefined, page: number, size: number) {
    return kbs.listKnowledgebaseFiles(this.pool, knowledgebaseId, type, page, size);
  }
  async getKnowledgebaseFiles(ids: string[]) {
    return kbs.getKnowledgebaseFiles(this.pool, ids);
  }
  async getKnowledgebaseFileContent(id: string) {
    return kbs.getKnowledgebaseFileContent(this.pool, id);
  }
  async deleteKnowledgebaseFiles(ids: string[]) {
    if (ids.length) await this.conn.tx((c) => kbs.deleteKnowledgebaseFiles(c, ids));
  }
  async putKnowledgebaseFilePart(fileId: string, part: number, bytes: Buffer, now: number) {
    await kbs.putKnowledgebaseFilePart(this.pool, fileId, part, bytes, now);
  }
  async getKnowledgebaseFilePart(fileId: string, part: number) {
    return kbs.getKnowledgebaseFilePart(this.pool, fileId, part);
  }
  async discardKnowledgebaseFileParts(fileIds: string[]) {
    await kbs.discardKnowledgebaseFileParts(this.pool, fileIds);
  }
  async sweepKnowledgebaseFileParts(olderThan: number) {
    return kbs.sweepKnowledgebaseFileParts(this.pool, olderThan);
  }

  // ---- writes
  commit(batch: WriteBatch) {
    return writes.commit(this.conn, batch);
  }

  // ---- reads
  async getMessages(projectId: string, userId: string, conversationId: string, limit: number) {
    return messages.getMessages(this.pool, projectId, userId, conversationId, limit);
  }
  async getMemoriesByIds(ids: string[]) {
    return memories.getMemoriesByIds(this.pool, ids);
  }
  async findUserMemories(projectId: string, userId: string, opts: { stateKeys?: string[]; kinds?: MemoryKind[]; limit?: number; textLike?: string }) {
    return memories.findUserMemories(this.pool, projectId, userId, opts);
  }
  async signedValues(projectId: string, userId: string, signatures: string[]) {
    return memories.signedValues(this.pool, projectId, userId, signatures);
  }
  async lexicalSearch(scope: RecallScope, query: LexicalQuery) {
    return lexical.lexicalSearch(this.pool, this.stats, scope, query);
  }
  async recentMemories(scope: RecallScope, kinds: MemoryKind[], limit: number) {
    return memories.recentMemories(this.pool, scope, kinds, limit);
  }
  async termStats(terms: string[]) {
    return lexical.termStats(this.pool, this.stats, terms);
  }
  async listUserMemories(projectId: string, userId: string, kind: MemoryKind, filter: FilterNode | undefined, page: number, size: number) {
    return memories.listUserMemories(this.pool, projectId, userId, kind, filter, page, size);
  }

  // ---- embedding vectors
  async memoriesWithoutVector(model: string, limit: number) {
    return vectors.memoriesWithoutVector(this.pool, model, limit);
  }
  async putVectors(model: string, items: Array<{ id: string; vector: Float32Array }>) {
    await vectors.putVectors(this.conn, this.vectorSupport, model, items);
  }
  async vectorSearch(scope: RecallScope, kinds: MemoryKind[], model: string, query: Float32Array, limit: number) {
    return vectors.vectorSearch(this.conn, this.vectorSupport, scope, kinds, model, query, limit);
  }

  // ---- deletes
  async deleteMemories(projectId: string, ids: string[]) {
    await memories.deleteMemories(this.pool, projectId, ids);
  }
  async deleteUserMemories(projectId: string, userId: string) {
    return memories.deleteUserMemories(this.pool, projectId, userId);
  }
  async deleteMemoriesMatching(projectId: string, selection: MemorySelection) {
    return memories.deleteMemoriesMatching(this.pool, projectId, selection);
  }

  // ---- profile templates and profiles
  async putProfileTemplate(template: ProfileTemplateRecord) {
    await profiles.putProfileTemplate(this.pool, template);
  }
  async listProfileTemplates() {
    return profiles.listProfileTemplates(this.pool);
  }
  async getProfileTemplate(id: string) {
    return profiles.getProfileTemplate(this.pool, id);
  }
  async deleteProfileTemplate(id: string) {
    return this.conn.tx((c) => profiles.deleteProfileTemplate(c, id));
  }
  async getProfiles(projectId: string, subject: string) {
    return profiles.getProfiles(this.pool, projectId, subject);
  }
  async putProfile(profile: ProfileRecord) {
    await profiles.putProfile(this.pool, profile);
  }
  async deleteProfile(projectId: string, subject: string, templateId: string) {
    return profiles.deleteProfile(this.pool, projectId, subject, templateId);
  }

  // ---- tasks
  async getTask(id: string) {
    return tasks.getTask(this.pool, id);
  }
  async pendingTasks(limit: number) {
    return tasks.pendingTasks(this.pool, limit);
  }
  async claimTasks(owner: string, leaseMs: number, limit: number, createdBefore?: number) {
    return tasks.claimTasks(this.pool, owner, leaseMs, limit, createdBefore);
  }
  async runningTaskCount() {
    return tasks.runningTaskCount(this.conn.pool);
  }
  async renewLeases(owner: string, ids: string[], leaseMs: number) {
    return tasks.renewLeases(this.pool, owner, ids, leaseMs);
  }
  async releaseLeases(owner: string) {
    await tasks.releaseLeases(this.pool, owner);
  }
  async markTaskAttempt(id: string) {
    await tasks.markTaskAttempt(this.pool, id);
  }
  async finishTask(id: string, status: TaskStatus, error?: string | null, leaseOwner?: string) {
    return tasks.finishTask(this.pool, id, status, error, leaseOwner);
  }

  // ---- console reads and usage
  async listUsers(projectId: string, opts: { search?: string; after?: string; exact?: string; limit: number }) {
    return users.listUsers(this.pool, projectId, opts);
  }
  async userMemories(projectId: string, userId: string, opts: { kind?: MemoryKind; status?: MemoryStatus; page: number; size: number }) {
    return memories.userMemories(this.pool, projectId, userId, opts);
  }
  async memoryLineage(projectId: string, memoryId: string) {
    return memories.memoryLineage(this.pool, projectId, memoryId);
  }
  async memoriesOfTasks(projectId: string, taskIds: string[]) {
    return memories.memoriesOfTasks(this.pool, projectId, taskIds);
  }
  async memoriesSupersededBy(projectId: string, ids: string[]) {
    return memories.memoriesSupersededBy(this.pool, projectId, ids);
  }
  async listConversations(projectId: string, userId: string, limit: number) {
    return messages.listConversations(this.pool, projectId, userId, limit);
  }
  async conversationMessages(projectId: string, userId: string, conversationId: string, opts: { afterId: number; limit: number }) {
    return messages.conversationMessages(this.pool, projectId, userId, conversationId, opts);
  }
  async listTasks(projectId: string, opts: { status?: TaskStatus; kind?: string; page: number; size: number }) {
    return tasks.listTasks(this.pool, projectId, opts);
  }
  async retryTask(projectId: string, id: string) {
    return this.conn.tx((c) => tasks.retryTask(c, projectId, id));
  }
  async knowledgebaseChunks(knowledgebaseId: string, fileId: string, page: number, size: number) {
    return kbs.knowledgebaseChunks(this.pool, knowledgebaseId, fileId, page, size);
  }
  async recordUsage(rows: UsageDelta[]) {
    if (rows.length) await this.conn.tx((c) => usage.recordUsage(c, rows));
  }
  async usageReport(projectId: string, sinceDay: string) {
    return usage.usageReport(this.pool, projectId, sinceDay);
  }
}

/** A name for this process in task leases: which host and process holds a task, for whoever reads the table. */
export const processOwner = () => `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
