/** MemoryRecord → the API's item shapes (contract §2.2-2.5). */
import type { MemoryRecord } from '../store/types';
import { formatShort } from './time';

export interface PresentOptions {
  relativity?: number;
  /** get/memory adds sources and info. */
  detail?: boolean;
  timezone: string;
}

const common = (m: MemoryRecord, o: PresentOptions) => ({
  create_time: m.createTime,
  update_time: m.updateTime,
  conversation_id: m.conversationId,
  status: m.status,
  ...(o.relativity !== undefined ? { relativity: Math.round(o.relativity * 10000) / 10000 } : {}),
  ...(o.detail ? { sources: m.sources, info: m.info } : {}),
});

export function presentFact(m: MemoryRecord, o: PresentOptions) {
  return {
    id: m.id,
    memory_key: m.key,
    memory_value: m.value,
    memory_type: m.subtype,
    memory_time: formatShort(m.eventTime, o.timezone),
    confidence: m.confidence,
    tags: m.tags,
    ...(m.knowledgebaseId ? { knowledgebase_id: m.knowledgebaseId } : {}),
    ...knowledgebaseSource(m),
    ...common(m, o),
  };
}

/** Where a knowledge-base passage comes from: file, section headings, page. */
function knowledgebaseSource(m: MemoryRecord) {
  const d = m.data;
  if (m.scope !== 'knowledgebase' || !d?.file_id) return {};
  return {
    knowledgebase_file: {
      id: d.file_id,
      name: d.file_name,
      ...(Array.isArray(d.heading_path) && d.heading_path.length ? { heading_path: d.heading_path } : {}),
      ...(d.page !== undefined ? { page: d.page } : {}),
    },
  };
}

export function presentPreference(m: MemoryRecord, o: PresentOptions) {
  return {
    id: m.id,
    preference_type: m.subtype,
    preference: m.value,
    reasoning: (m.data?.reasoning as string | undefined) ?? '',
    tags: m.tags,
    ...common(m, o),
  };
}

export function presentTool(m: MemoryRecord, o: PresentOptions) {
  const d = m.data ?? {};
  return {
    id: m.id,
    tool_type: m.subtype,
    tool_value: d.value ?? m.value,
    ...(m.subtype === 'ToolTrajectoryMemory' ? { tool_used_status: d.tool_used_status ?? [], experience: d.experience ?? '' } : {}),
    tags: m.tags,
    ...common(m, o),
  };
}

export function presentSkill(m: MemoryRecord, o: PresentOptions) {
  const d = m.data ?? {};
  return {
    id: m.id,
    skill_value: d.skill ?? { name: m.key, description: m.value },
    skill_url: (d.url as string | undefined) ?? '',
    skill_type: m.subtype,
    confidence: m.confidence,
    tags: m.tags,
    ...(m.knowledgebaseId ? { knowledgebase_id: m.knowledgebaseId } : {}),
    ...knowledgebaseSource(m),
    ...common(m, o),
  };
}

export function present(m: MemoryRecord, o: PresentOptions) {
  switch (m.kind) {
    case 'preference':
      return presentPreference(m, o);
    case 'tool':
      return presentTool(m, o);
    case 'skill':
      return presentSkill(m, o);
    default:
      return presentFact(m, o);
  }
}
