/**
 * The Store contract, run against every backend directly: the embedded SQLite file, PostgreSQL (the real server
 * test/helpers/postgres.ts starts; Debian's has no pgvector, so vectors are REAL[] there) and PostgreSQL in
 * WASM (@electric-sql/pglite with its pgvector build: the `vector` column and its HNSW index). Each case says
 * what any backend must do; the API suites then run on both backends through the server.
 */
import { LeaseLostError } from '../../server/src/store/errors';
import type { MemoryRecord, RecallScope, Store, TaskRecord } from '../../server/src/store/types';
import { storeBackends } from '../helpers/postgres';
import { memoryRecord as memory } from '../helpers/records';

jest.setTimeout(60_000);

const task = (id: string, createTime = Date.now()): TaskRecord => ({ id, projectId: 'p1', kind: 'refine', payload: { x: 1 }, status: 'running', error: null, attempts: 0, createTime, updateTime: createTime });

const scope = (over: Partial<RecallScope> = {}): RecallScope => ({ projectId: 'p1', userId: 'u1', includeUser: true, includePublic: false, knowledgebaseIds: [], includeArchived: false, ...over });

describe.each(storeBackends())('Store contract: $name', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await backend.cleanup?.();
  });

  test('projects and keys: one default project, keys by hash, revocation', async () => {
    const a = await store.ensureDefaultProject();
    const b = await store.ensureDefaultProject();
    expect(a.created).toBe(true);
    expect(b).toEqual({ project: a.project, created: false });
    const other = await store.projectByName('other');
    expect((await store.projectByName('other')).id).toBe(other.id);
    const key = await store.createKey(other.id, 'hash-1', 'mpg-abc', 'label', true);
    expect(await store.findKeyByHash('hash-1')).toMatchObject({ id: key.id, projectId: other.id, revokedTime: null, readOnly: true });
    expect(await store.findKeyByHash('hash-2')).toBeUndefined();
    const revoked = await store.revokeKey('mpg-abc');
    expect(revoked?.revokedTime).toEqual(expect.any(Number));
    expect((await store.findKeyByHash('hash-1'))?.revokedTime).toEqual(revoked?.revokedTime);
    expect((await store.listProjects()).map((p) => p.name)).toEqual(['default', 'other']);
  });

  test('a committed batch is searchable at once, in scope only, best match first', async () => {
    const mine = memory({ value: 'I adopted a parrot named Kiwi', searchText: 'i adopt parrot name kiwi\nzoe' });
    const also = memory({ value: 'Kiwi likes seeds', searchText: 'kiwi like seed' });
    const otherUser = memory({ userId: 'u2', value: 'my parrot Kiwi', searchText: 'parrot kiwi' });
    const otherProject = memory({ projectId: 'p2', value: 'parrot Kiwi', searchText: 'parrot kiwi' });
    await store.commit({ memories: [mine, also, otherUser, otherProject] });
    const hits = await store.lexicalSearch(scope(), { match: '"parrot" OR "kiwi"', kinds: ['fact'], limit: 10 });
    expect(hits.map((h) => h.memory.id)).toEqual([mine.id, also.id]);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(hits[0].memory).toEqual(mine);
    const both = await store.lexicalSearch(scope(), { match: '"parrot" AND "kiwi"', kinds: ['fact'], limit: 10 });
    expect(both.map((h) => h.memory.id)).toEqual([mine.id]);
    const stats = await store.termStats(['kiwi', 'parrot', 'unseenword']);
    expect(stats.df.get('kiwi')).toBe(4);
    expect(stats.df.get('parrot')).toBe(3);
    expect(stats.df.get('unseenword')).toBe(0);
    expect(stats.docCount).toBeGreaterThanOrEqual(4);
  });

  test('Chinese index text is matched word by word and character by character', async () => {
    const zh = memory({ userId: 'u-zh', value: '我不吃香菜', searchText: '我 不吃 不 吃 香菜 香 菜' });
    await store.commit({ memories: [zh] });
    for (const q of ['"香菜"', '"吃"'])
      expect((await store.lexicalSearch(scope({ userId: 'u-zh' }), { match: q, kinds: ['fact'], limit: 5 })).map((h) => h.memory.id)).toEqual([zh.id]);
  });

  test('filters: agent, info, tags and time narrow recall and listings', async () => {
    const a = memory({ userId: 'u-f', agentId: 'agent-a', info: { topic: 'pets', n: 3 }, tags: ['home'], value: 'dog walk', searchText: 'dog walk' });
    const b = memory({ userId: 'u-f', agentId: 'agent-b', info: { topic: 'work' }, tags: ['office'], value: 'dog meeting', searchText: 'dog meet' });
    await store.commit({ memories: [a, b] });
    const ids = async (f: RecallScope['globalFilter']) =>
      (await store.lexicalSearch(scope({ userId: 'u-f', globalFilter: f }), { match: '"dog"', kinds: ['fact'], limit: 10 })).map((h) => h.memory.id).sort();
    expect(await ids({ op: 'eq', field: 'agent_id', value: 'agent-a' })).toEqual([a.id]);
    expect(await ids({ op: 'eq', field: 'topic', value: 'work' })).toEqual([b.id]);
    expect(await ids({ op: 'eq', field: 'n', value: '3' })).toEqual([a.id]);
    expect(await ids({ op: 'tagContains', tag: 'office' })).toEqual([b.id]);
    expect(await ids({ op: 'time', field: 'create_time', cmp: 'gt', value: a.createTime })).toEqual([b.id]);
    expect(await ids({ op: 'or', children: [{ op: 'tagContains', tag: 'home' }, { op: 'eq', field: 'agent_id', value: 'agent-b' }] })).toEqual([a.id, b.id].sort());
    const page = await store.listUserMemories('p1', 'u-f', 'fact', { op: 'eq', field: 'agent_id', value: 'agent-b' }, 1, 10);
    expect(page).toEqual({ items: [b], total: 1 });
  });

  test('archive, rewrite and delete keep the index in step', async () => {
    const old = memory({ userId: 'u-a', value: 'lives in Paris', searchText: 'live paris', stateKey: 'residence' });
    const now = memory({ userId: 'u-a', value: 'lives in Rome', searchText: 'live rome', stateKey: 'residence' });
    await store.commit({ memories: [old] });
    await store.commit({ memories: [now], archive: [{ id: old.id, supersededBy: now.id }] });
    const live = async (match: string, archived = false) =>
      (await store.lexicalSearch(scope({ userId: 'u-a', includeArchived: archived }), { match, kinds: ['fact'], limit: 10 })).map((h) => h.memory.id);
    expect(await live('"paris"')).toEqual([]);
    expect(await live('"paris"', true)).toEqual([old.id]);
    expect((await store.getMemoriesByIds([old.id]))[0]).toMatchObject({ status: 'archived', supersededBy: now.id });
    await store.commit({ updates: [{ id: now.id, value: 'lives in Milan', searchText: 'live milan', updateTime: now.updateTime + 1 }] });
    expect(await live('"rome"')).toEqual([]);
    expect(await live('"milan"')).toEqual([now.id]);
    expect((await store.findUserMemories('p1', 'u-a', { stateKeys: ['residence'] })).map((m) => m.value)).toEqual(['lives in Milan']);
    expect(await store.deleteUserMemories('p1', 'u-a')).toBe(2);
    expect(await live('"milan"', true)).toEqual([]);
    expect(await store.getMemoriesByIds([old.id, now.id])).toEqual([]);
  });

  test('bulk delete by selection (subject, kinds, subtypes, filter) and reactivation of an archived memory', async () => {
    const w = memory({ userId: 'u-d', subtype: 'WorkingMemory', info: { scene: 'wipe' }, value: 'chess sunday', searchText: 'chess sunday' });
    const l = memory({ userId: 'u-d', subtype: 'LongTermMemory', info: { scene: 'wipe' }, value: 'chess club', searchText: 'chess club' });
    const p = memory({ userId: 'u-d', kind: 'preference', subtype: 'explicit_preference', value: 'likes chess', searchText: 'like chess' });
    const other = memory({ userId: 'u-e', subtype: 'WorkingMemory', info: { scene: 'wipe' }, value: 'go sunday', searchText: 'go sunday' });
    const kb = memory({ scope: 'knowledgebase', userId: null, knowledgebaseId: 'kb1', info: { scene: 'wipe' }, value: 'chess rules', searchText: 'chess rule' });
    const foreign = memory({ projectId: 'p2', userId: 'u-d', subtype: 'WorkingMemory', info: { scene: 'wipe' }, value: 'chess', searchText: 'chess' });
    await store.commit({ memories: [w, l, p, other, kb, foreign] });
    const left = async (...ids: string[]) => (await store.getMemoriesByIds(ids)).map((m) => m.id).sort();
    expect(await store.deleteMemoriesMatching('p1', { userId: 'u-d', subtypes: ['WorkingMemory'] })).toBe(1);
    expect(await left(w.id, l.id, p.id)).toEqual([l.id, p.id].sort());
    expect(await store.deleteMemoriesMatching('p1', { userId: 'u-d', kinds: ['preference'] })).toBe(1);
    // A filter alone reaches every user of the project, never knowledge-base memories or another project.
    expect(await store.deleteMemoriesMatching('p1', { filter: { op: 'eq', field: 'scene', value: 'wipe' } })).toBe(2);
    expect(await left(l.id, other.id, kb.id, foreign.id)).toEqual([kb.id, foreign.id].sort());

    const a = memory({ userId: 'u-r', value: 'plays violin', searchText: 'play violin' });
    await store.commit({ memories: [a] });
    await store.commit({ archive: [{ id: a.id, supersededBy: null }] });
    await store.commit({ activate: [a.id] });
    expect((await store.getMemoriesByIds([a.id]))[0]).toMatchObject({ status: 'activated', supersededBy: null });
    expect((await store.lexicalSearch(scope({ userId: 'u-r' }), { match: '"violin"', kinds: ['fact'], limit: 5 })).map((h) => h.memory.id)).toEqual([a.id]);
  });

  test('profile templates and profiles: per project and subject; removing a template removes its profiles', async () => {
    const t = { id: 'tpl_a', name: 'A', metadata: { basic: { city: { value: '', algorithm_updatable: true } } }, createTime: 1 };
    await store.putProfileTemplate(t);
    await store.putProfileTemplate({ ...t, name: 'A2' });
    expect(await store.listProfileTemplates()).toEqual([{ ...t, name: 'A2' }]);
    // Fields keep the template's order (jsonb would sort "job" before "city").
    await store.putProfileTemplate({ ...t, id: 'tpl_order', metadata: { basic: { city: { value: '' }, job: { value: '' } }, a: { x: { value: '' } } } });
    const ordered = (await store.getProfileTemplate('tpl_order'))!.metadata as Record<string, Record<string, unknown>>;
    expect([Object.keys(ordered), Object.keys(ordered.basic)]).toEqual([['basic', 'a'], ['city', 'job']]);
    expect(await store.deleteProfileTemplate('tpl_order')).toBe(true);
    expect(await store.getProfileTemplate('tpl_nope')).toBeUndefined();
    const prof = { id: 'pr1', projectId: 'p1', subject: 'u-p', templateId: 'tpl_a', metadata: { basic: { city: { value: 'Rome' } } }, createTime: 5, updateTime: 5 };
    await store.putProfile(prof);
    // The same (project, subject, template) is replaced, not duplicated.
    await store.putProfile({ ...prof, id: 'pr-other', metadata: { basic: { city: { value: 'Oslo' } } }, updateTime: 6 });
    expect(await store.getProfiles('p1', 'u-p')).toEqual([{ ...prof, metadata: { basic: { city: { value: 'Oslo' } } }, updateTime: 6 }]);
    expect(await store.getProfiles('p2', 'u-p')).toEqual([]);
    expect(await store.getProfiles('p1', 'u-q')).toEqual([]);
    expect(await store.deleteProfile('p2', 'u-p', 'tpl_a')).toBe(false);
    await store.putProfile({ ...prof, id: 'pr2', subject: 'u-q' });
    expect(await store.deleteProfile('p1', 'u-q', 'tpl_a')).toBe(true);
    expect(await store.deleteProfileTemplate('tpl_a')).toBe(true);
    expect(await store.getProfiles('p1', 'u-p')).toEqual([]);
    expect(await store.deleteProfileTemplate('tpl_a')).toBe(false);
  });

  test('messages: the latest N of a conversation, oldest first', async () => {
    const base = { projectId: 'p1', userId: 'u-m', conversationId: 'c-m', raw: { a: 1 }, chatTime: null, agentId: null, appId: null, taskId: null };
    await store.commit({ messages: [1, 2, 3].map((i) => ({ ...base, role: i % 2 ? 'user' : 'assistant', content: `turn ${i}`, eventTime: i, createTime: i })) });
    const got = await store.getMessages('p1', 'u-m', 'c-m', 2);
    expect(got.map((m) => m.content)).toEqual(['turn 2', 'turn 3']);
    expect(got[0].raw).toEqual({ a: 1 });
  });

  test('vectors: nearest in scope first; an edited memory loses its stale vector', async () => {
    const near = memory({ userId: 'u-v', value: 'near', searchText: 'near' });
    const far = memory({ userId: 'u-v', value: 'far', searchText: 'far' });
    const outOfScope = memory({ userId: 'u-x', value: 'nearest', searchText: 'nearest' });
    await store.commit({ memories: [near, far, outOfScope] });
    const unit = (v: number[]) => {
      const l = Math.hypot(...v);
      return new Float32Array(v.map((x) => x / l));
    };
    await store.putVectors('m1', [
      { id: near.id, vector: unit([1, 0.1, 0]) },
      { id: far.id, vector: unit([0, 1, 0]) },
      { id: outOfScope.id, vector: unit([1, 0, 0]) },
      { id: 'gone', vector: unit([1, 1, 1]) },
    ]);
    const hits = await store.vectorSearch(scope({ userId: 'u-v' }), ['fact'], 'm1', unit([1, 0, 0]), 5);
    expect(hits.map((h) => h.memory.id)).toEqual([near.id, far.id]);
    expect(hits[0].similarity).toBeCloseTo(0.995, 2);
    expect(hits[1].similarity).toBeCloseTo(0, 3);
    expect((await store.vectorSearch(scope({ userId: 'u-v' }), ['fact'], 'other-model', unit([1, 0, 0]), 5)).length).toBe(0);
    const missing = (await store.memoriesWithoutVector('m1', 1000)).map((m) => m.id);
    expect(missing).not.toContain(near.id);
    await store.commit({ updates: [{ id: near.id, value: 'changed', searchText: 'change', updateTime: Date.now() }] });
    expect((await store.memoriesWithoutVector('m1', 1000)).map((m) => m.id)).toContain(near.id);
    expect((await store.vectorSearch(scope({ userId: 'u-v' }), ['fact'], 'm1', unit([1, 0, 0]), 5)).map((h) => h.memory.id)).toEqual([far.id]);
  });

  test('tasks: a claim is exclusive, renewed by its holder, taken over when it runs out', async () => {
    const t1 = task('task-c1', Date.now() - 10);
    const t2 = task('task-c2', Date.now() - 5);
    await store.commit({ newTasks: [t1, t2] });
    const a = await store.claimTasks('worker-a', 300, 1);
    expect(a.map((t) => t.id)).toEqual(['task-c1']);
    const b = await store.claimTasks('worker-b', 300, 5);
    expect(b.map((t) => t.id)).toEqual(['task-c2']);
    expect(await store.claimTasks('worker-c', 300, 5)).toEqual([]);
    // Too young for a start delay: not claimed.
    await store.commit({ newTask: task('task-young') });
    expect(await store.claimTasks('worker-c', 300, 5, Date.now() - 60_000)).toEqual([]);
    expect(await store.renewLeases('worker-a', ['task-c1', 'task-c2'], 300)).toEqual(['task-c1']);
    await new Promise((r) => setTimeout(r, 400));
    // worker-a's lease ran out: worker-c takes the task over, and worker-a's late output is refused whole.
    const c = await store.claimTasks('worker-c', 60_000, 5);
    expect(c.map((t) => t.id).sort()).toEqual(['task-c1', 'task-c2', 'task-young']);
    const late = memory({ userId: 'u-late', value: 'late output', searchText: 'late' });
    await expect(store.commit({ memories: [late], task: { id: 'task-c1', status: 'completed', leaseOwner: 'worker-a' } })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.getMemoriesByIds([late.id])).toEqual([]);
    expect(await store.finishTask('task-c2', 'failed', 'late', 'worker-b')).toBe(false);
    await store.commit({ memories: [late], task: { id: 'task-c1', status: 'completed', leaseOwner: 'worker-c' } });
    expect((await store.getTask('task-c1'))?.status).toBe('completed');
    expect(await store.getMemoriesByIds([late.id])).toHaveLength(1);
    // A finished task is never claimed again, and a clean shutdown hands the rest back at once.
    await store.releaseLeases('worker-c');
    expect((await store.claimTasks('worker-d', 60_000, 5)).map((t) => t.id).sort()).toEqual(['task-c2', 'task-young']);
    expect(await store.runningTaskCount()).toBe(2);
  });

  test('knowledge-base files: bytes kept, memories go with their file', async () => {
    const kb = { id: 'kb-1', name: 'Docs', description: '', projectId: 'p1', createTime: Date.now() };
    expect(await store.createKnowledgebase(kb, 'p1', 1)).toBe(true);
    expect(await store.createKnowledgebase({ ...kb, id: 'kb-2' }, 'p1', 1)).toBe(false);
    const file = { id: 'file-1', knowledgebaseId: 'kb-1', projectId: 'p1', type: 'document' as const, name: 'a.txt', ext: 'txt', sizeBytes: 3, status: 'running' as const, error: null, sourceUrl: null, taskId: null, chunkCount: 0, createTime: 1, updateTime: 1 };
    await store.commit({ knowledgebaseFiles: [{ file, content: Buffer.from([0, 255, 7]) }] });
    expect(await store.getKnowledgebaseFileContent('file-1')).toEqual(Buffer.from([0, 255, 7]));
    const chunk = memory({ scope: 'knowledgebase', userId: null, knowledgebaseId: 'kb-1', data: { file_id: 'file-1' }, value: 'manual chunk', searchText: 'manual chunk' });
    await store.commit({ memories: [chunk], fileResult: { id: 'file-1', status: 'completed', chunkCount: 1 } });
    const kbScope = scope({ includeUser: false, knowledgebaseIds: ['kb-1'] });
    expect((await store.lexicalSearch(kbScope, { match: '"manual"', kinds: ['fact'], limit: 5 })).map((h) => h.memory.id)).toEqual([chunk.id]);
    expect((await store.listKnowledgebaseFiles('kb-1', undefined, 1, 10)).items[0]).toMatchObject({ id: 'file-1', status: 'completed', chunkCount: 1 });
    await store.deleteKnowledgebaseFiles(['file-1']);
    expect(await store.lexicalSearch(kbScope, { match: '"manual"', kinds: ['fact'], limit: 5 })).toEqual([]);
    expect(await store.getKnowledgebaseFileContent('file-1')).toBeUndefined();
  });
});
