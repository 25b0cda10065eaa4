/** Builders for memory rows, so every writer fills the same defaults. */
import type { MemoryRecord } from '../store/types';
import { newMemoryId } from './ids';
import { fieldedIndexText, tokenize, type IndexParts } from './text';

export type MemoryInit = Pick<MemoryRecord, 'projectId' | 'kind' | 'subtype' | 'key' | 'value' | 'conversationId' | 'eventTime'> &
  Partial<Omit<MemoryRecord, 'searchText'>> & {
    /** More words for the memory's own index field (reasoning, file name...). */
    indexExtra?: string;
    /** The whole index, when the writer knows better than key + value (fast memories and their context): parts, or the finished index text. */
    index?: IndexParts | string;
  };

/** Speakers' names carried by the sources (the OpenAI `name` of each message), for the author field. */
const authorsOf = (sources: MemoryInit['sources']) => [...new Set((sources ?? []).map((s) => s.name).filter((n): n is string => typeof n === 'string' && !!n))].join(' ');

export function buildMemory(init: MemoryInit, now = Date.now()): MemoryRecord {
  const { indexExtra, index, ...rest } = init;
  return {
    scope: 'user',
    userId: null,
    knowledgebaseId: null,
    data: null,
    tags: [],
    info: {},
    agentId: null,
    appId: null,
    status: 'activated',
    confidence: 0.99,
    priority: 0,
    createTime: init.eventTime,
    updateTime: now,
    stateKey: null,
    supersededBy: null,
    sources: [],
    taskId: null,
    ...rest,
    id: rest.id ?? newMemoryId(),
    searchText: typeof index === 'string' ? index : fieldedIndexText(index ?? { own: [init.key, init.value, indexExtra ?? ''].join(' '), author: authorsOf(init.sources) }),
  };
}

/**
 * Custom tags are candidates (contract §4.6): a memory gets the ones whose words appear in it, plus its own
 * automatic tags. Matching is on stems, so "Weather" fits "the weather is cloudy".
 */
export function matchTags(candidates: string[] | undefined, text: string, auto: string[] = []): string[] {
  const out = new Set(auto);
  if (candidates?.length) {
    const words = new Set(tokenize(text));
    for (const tag of candidates) {
      const tagWords = tokenize(tag);
      if (tagWords.length && tagWords.every((w) => words.has(w))) out.add(tag);
    }
  }
  return [...out];
}
