/** Store records for tests that write through a Store directly: complete rows with plain defaults, each call a new id and a later time. */
import type { MemoryRecord } from '../../server/src/store/types';

let n = 0;

/** A user memory of project p1 and user u1; `over` replaces any field. */
export function memoryRecord(over: Partial<MemoryRecord> = {}): MemoryRecord {
  n++;
  const now = 1_700_000_000_000 + n * 1000;
  return {
    id: `mem-${n}-${Math.random().toString(36).slice(2, 8)}`,
    projectId: 'p1',
    scope: 'user',
    userId: 'u1',
    knowledgebaseId: null,
    kind: 'fact',
    subtype: 'UserMemory',
    key: 'k',
    value: 'value',
    data: null,
    searchText: 'value',
    tags: [],
    info: {},
    agentId: null,
    appId: null,
    conversationId: 'c1',
    status: 'activated',
    confidence: 0.9,
    priority: 0,
    eventTime: now,
    createTime: now,
    updateTime: now,
    stateKey: null,
    supersededBy: null,
    sources: [{ role: 'user', content: over.value ?? 'value' }],
    taskId: null,
    ...over,
  };
}
