/**
 * The refine task behind /add/message: extract facts, preferences and tool memories from the turn, drop what
 * the user already has, and let new states supersede old ones (archived, never deleted, contract §4.5).
 */
import type { MemoryRecord, MemoryScope, TaskRecord, WriteBatch } from '../store/types';
import type { EngineContext } from './context';
import type { Extraction } from '../extract/types';
import { extractionWorker } from './job-worker';
import { buildMemory, matchTags } from './records';
import { valueSignature } from '../store/signature';
import type { Extractor, RefineMessage } from './ports';

/** What the refine task needs, frozen into its payload so a restart can finish it. */
export interface RefinePayload {
  userId: string;
  conversationId: string;
  agentId: string | null;
  appId: string | null;
  tags: string[];
  info: Record<string, unknown>;
  allowPublic: boolean;
  allowKnowledgebaseIds: string[];
  messages: RefineMessage[];
  /** fast memory id per message index, so extracted facts can point at their snapshot. */
  fastIds: Record<number, string>;
}

// On a worker thread: the rules take seconds over a maximal message, which would stall every request.
export const ruleExtractor: Extractor = async (messages, opts) => extractionWorker.call('extract-rules', { messages, opts: { timezone: opts.timezone } });

/** Snapshot memories (fast mode) of superseded states rank lower unless the question looks back in time. */
export const STALE_PRIORITY = -1;


export function makeRefineHandler(ctx: EngineContext, extractor: () => Extractor) {
  return async (task: TaskRecord): Promise<WriteBatch> => {
    const p = task.payload as unknown as RefinePayload;
    const extraction = await extractor()(p.messages, { timezone: ctx.config.timezone });
    return buildRefineBatch(ctx, task, p, extraction);
  };
}

export async function buildRefineBatch(ctx: EngineContext, task: TaskRecord, p: RefinePayload, ex: Extraction): Promise<WriteBatch> {
  const now = Date.now();
  const scope: MemoryScope = p.allowPublic ? 'public' : 'user';
  const base = {
    projectId: task.projectId,
    scope,
    userId: p.userId,
    conversationId: p.conversationId,
    agentId: p.agentId,
    appId: p.appId,
    info: p.info,
    taskId: task.id,
  };
  const sourcesOf = (idx: number[]) =>
    idx.map((i) => p.messages.find((m) => m.index === i)).filter(Boolean).map((m) => ({ role: m!.role, content: m!.text, chat_time: m!.chatTime, message_index: m!.index }));
  const snapshotsOf = (idx: number[]) => idx.map((i) => p.fastIds[i]).filter(Boolean);

  const candidates: MemoryRecord[] = [];
  for (const f of ex.facts) {
    candidates.push(
      buildMemory(
        {
          ...base,
          kind: 'fact',
          subtype: f.memoryType,
          key: f.key,
          value: f.value,
          eventTime: f.time,
          tags: matchTags(p.tags, f.value, ['mode:fine', ...f.tags]),
          stateKey: f.stateKey ?? null,
          sources: sourcesOf(f.sourceIndexes),
          data: { snapshots: snapshotsOf(f.sourceIndexes), ...(f.event ? { event: true } : {}) },
        },
        now,
      ),
    );
  }
  for (const pr of ex.preferences) {
    candidates.push(
      buildMemory(
        {
          ...base,
          kind: 'preference',
          subtype: pr.type,
          key: pr.type === 'explicit_preference' ? 'Explicit preference' : 'Implicit preference',
          value: pr.text,
          eventTime: pr.time,
          tags: matchTags(p.tags, pr.text, ['mode:fine', ...pr.tags]),
          stateKey: pr.stateKey ?? null,
          sources: sourcesOf(pr.sourceIndexes),
          data: { reasoning: pr.reasoning, snapshots: snapshotsOf(pr.sourceIndexes) },
          indexExtra: pr.reasoning,
        },
        now,
      ),
    );
  }
  for (const t of ex.tools) {
    const text = typeof t.value === 'string' ? t.value : JSON.stringify(t.value);
    candidates.push(
      buildMemory(
        {
          ...base,
          kind: 'tool',
          subtype: t.type,
          key: t.key,
          value: text,
          eventTime: t.time,
          tags: matchTags(p.tags, text, ['mode:fine', ...t.tags]),
          // One schema memory per tool: a newer description of the same tool replaces the old one.
          stateKey: t.type === 'ToolSchemaMemory' ? `tool-schema:${t.key}` : null,
          sources: sourcesOf(t.sourceIndexes),
          data: { value: t.value, tool_used_status: t.toolUsedStatus ?? null, experience: t.experience ?? null },
          indexExtra: t.experience,
        },
        now,
      ),
    );
  }
  return resolveAgainstExisting(ctx, task.projectId, p.userId, candidates);
}

/** Dedupe against the user's memories and archive what the new states replace. */
async function resolveAgainstExisting(ctx: EngineContext, projectId: string, userId: string, candidates: MemoryRecord[]): Promise<WriteBatch> {
  const batch: Required<Pick<WriteBatch, 'memories' | 'archive' | 'priorities'>> = { memories: [], archive: [], priorities: [] };
  if (candidates.length === 0) return batch;
  const stateKeys = [...new Set(candidates.map((c) => c.stateKey).filter((k): k is string => !!k))];
  const existingStates = stateKeys.length ? await ctx.store.findUserMemories(projectId, userId, { stateKeys }) : [];
  // What the user already has, looked up by signature: the cost does not grow with the user's memories.
  const existingValues = await ctx.store.signedValues(projectId, userId, [...new Set(candidates.map((c) => valueSignature(c.kind, c.value)))]);
  const seen = new Set<string>();
  // Oldest first, so within one batch the later statement wins.
  const ordered = [...candidates].sort((a, b) => a.eventTime - b.eventTime);
  const live = new Map<string, MemoryRecord>();
  for (const m of existingStates) if (!live.has(m.stateKey!) || live.get(m.stateKey!)!.eventTime < m.eventTime) live.set(m.stateKey!, m);

  for (const c of ordered) {
    const sig = valueSignature(c.kind, c.value);
    if (existingValues.has(sig) || seen.has(sig)) continue;
    seen.add(sig);
    if (c.stateKey) {
      const prev = live.get(c.stateKey);
      if (prev && prev.eventTime > c.eventTime) {
        // Importing older history: the stored state is newer, so this one goes straight to the archive.
        c.status = 'archived';
        c.supersededBy = prev.id;
        for (const s of (c.data?.snapshots as string[] | undefined) ?? []) batch.priorities.push({ id: s, priority: STALE_PRIORITY });
      } else if (prev) {
        if (existingStates.includes(prev)) batch.archive.push({ id: prev.id, supersededBy: c.id });
        else {
          prev.status = 'archived';
          prev.supersededBy = c.id;
        }
        const snaps = (prev.data?.snapshots as string[] | undefined) ?? [];
        for (const s of snaps) batch.priorities.push({ id: s, priority: STALE_PRIORITY });
        live.set(c.stateKey, c);
      } else live.set(c.stateKey, c);
    }
    batch.memories.push(c);
  }
  return batch;
}
