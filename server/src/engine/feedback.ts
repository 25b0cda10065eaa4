/**
 * Natural-language feedback (contract §4.7), offline. Two kinds of update are recognised:
 *  - keyword replacement ("replace User 1 with User 2 everywhere", "把A替换成B"): every activated memory of the
 *    user containing the old words is rewritten; the old version is archived;
 *  - a correction ("the limit is 600, not 800", "actually I like mangosteens", "不是X，是Y"): a high-priority
 *    WorkingMemory holds it, new states from it supersede old ones, and memories asserting the corrected
 *    value are archived (refined) or ranked down (transcript snapshots).
 * Feedback that matches neither and touches nothing the user has completes with no change.
 */
import type { AddFeedbackRequest } from '../api/schemas';
import { ErrorCode } from '../errors';
import type { MemoryRecord, TaskRecord, WriteBatch } from '../store/types';
import type { Caller, EngineContext } from './context';
import { newTask, submitTasks } from './tasks';
import { assertKnowledgebasesLinked } from './kb-access';
import { buildMemory } from './records';
import { buildRefineBatch, STALE_PRIORITY, type RefinePayload } from './refine';
import type { Extractor } from './ports';
import { FIELD, indexFields, queryTerms } from './text';
import { parseChatTime } from './time';

/** Above this many rewrites a replacement is refused as a suspicious mass edit. */
export const MAX_REPLACEMENTS = 200;
export const CORRECTION_PRIORITY = 1;
/** Memories a model may name as outdated by one correction; more looks like a mass edit, not a correction. */
export const MAX_MODEL_OUTDATED = 20;
/** Related memories shown to a model analysing a feedback. */
const MODEL_CONTEXT_MEMORIES = 40;

export interface FeedbackPayload {
  userId: string;
  conversationId: string;
  content: string;
  time: number;
  agentId: string | null;
  appId: string | null;
  allowPublic: boolean;
  allowKnowledgebaseIds: string[];
}

const REPLACE_PATTERNS: RegExp[] = [
  /replace\s+["“'‘]?(.+?)["”'’]?\s+(?:with|by)\s+["“'‘]?(.+?)["”'’]?(?:\s+(?:everywhere|in all memories|globally|throughout))?\s*[.!。]?$/i,
  /(?:rename|change)\s+(?:all\s+)?["“'‘]?(.+?)["”'’]?\s+to\s+["“'‘]?(.+?)["”'’]?\s+(?:everywhere|in all memories|globally|throughout)\s*[.!。]?$/i,
  /(?:把|将)(?:所有的?)?[“"']?(.+?)[”"']?(?:全部|都|统一)?(?:替换|改|换)(?:成|为)[“"']?(.+?)[”"']?[。！!]?$/,
];

/** "600, not 800" / "not 800 but 600" / "不是800，是600" → the value being corrected away. */
const WRONG_VALUE_PATTERNS: RegExp[] = [/,?\s+not\s+([^,.;!?]+)/i, /\bnot\s+([^,.;!?]+?)\s*,?\s+but\b/i, /不是([^，,。；;！!？?]+)/];

export function parseReplacement(text: string): { from: string; to: string } | undefined {
  for (const re of REPLACE_PATTERNS) {
    const m = text.trim().match(re);
    if (m && m[1].trim() && m[2].trim() && m[1].trim() !== m[2].trim()) return { from: m[1].trim(), to: m[2].trim() };
  }
  return undefined;
}

export function parseWrongValue(text: string): string | undefined {
  for (const re of WRONG_VALUE_PATTERNS) {
    const m = text.match(re);
    if (m && m[1].trim()) return m[1].trim();
  }
  return undefined;
}

export async function addFeedback(ctx: EngineContext, caller: Caller, req: AddFeedbackRequest) {
  const allowKb = req.allow_knowledgebase_ids ?? [];
  await assertKnowledgebasesLinked(ctx, caller, allowKb);
  const now = Date.now();
  const payload: FeedbackPayload = {
    userId: req.user_id,
    conversationId: req.conversation_id,
    content: req.feedback_content,
    time: parseChatTime(req.feedback_time, ctx.config.timezone, now) ?? now,
    agentId: req.agent_id ?? null,
    appId: req.app_id ?? null,
    allowPublic: req.allow_public,
    allowKnowledgebaseIds: allowKb,
  };
  const task = newTask(caller.projectId, 'feedback', payload, undefined, now);
  const { status } = await submitTasks(ctx, {
    tasks: [task],
    saveFailed: { log: 'feedback commit failed', code: ErrorCode.FeedbackFailed, message: 'the feedback could not be saved; please retry' },
    waitOrFail: req.async_mode ? undefined : { code: ErrorCode.FeedbackFailed, message: 'feedback could not be applied' },
  });
  return { success: true, status, task_id: task.id };
}

export function makeFeedbackHandler(ctx: EngineContext, extractor: () => Extractor) {
  return async (task: TaskRecord): Promise<WriteBatch> => {
    const p = task.payload as unknown as FeedbackPayload;
    const replacement = parseReplacement(p.content);
    if (replacement) return replaceEverywhere(ctx, task, p, replacement);
    return applyCorrection(ctx, task, p, extractor());
  };
}

async function replaceEverywhere(ctx: EngineContext, task: TaskRecord, p: FeedbackPayload, r: { from: string; to: string }): Promise<WriteBatch> {
  const matches = await ctx.store.findUserMemories(task.projectId, p.userId, { textLike: r.from, limit: MAX_REPLACEMENTS + 1 });
  if (matches.length > MAX_REPLACEMENTS)
    throw new Error(`replacing "${r.from}" would rewrite more than ${MAX_REPLACEMENTS} memories; refused as a suspicious mass edit`);
  const batch: Required<Pick<WriteBatch, 'memories' | 'archive'>> = { memories: [], archive: [] };
  const re = new RegExp(r.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const now = Date.now();
  for (const m of matches) {
    const value = m.value.replace(re, r.to);
    const copy = buildMemory({ ...m, key: m.key.replace(re, r.to), value, taskId: task.id, updateTime: now, id: undefined }, now);
    batch.archive.push({ id: m.id, supersededBy: copy.id });
    batch.memories.push(copy);
  }
  return batch;
}

async function applyCorrection(ctx: EngineContext, task: TaskRecord, p: FeedbackPayload, extractor: Extractor): Promise<WriteBatch> {
  const terms = queryTerms(p.content);
  let wrong = parseWrongValue(p.content);
  const related = (await ctx.store.findUserMemories(task.projectId, p.userId, { limit: 2000 })).filter((m) => overlaps(m, terms));
  let outdated = new Set<string>();
  const analysis = ctx.feedbackAnalyzer ? await ctx.feedbackAnalyzer(p.content, related.slice(0, MODEL_CONTEXT_MEMORIES)) : undefined;
  if (analysis?.kind === 'replace') return replaceEverywhere(ctx, task, p, analysis);
  // A correction aimed at a knowledge base, or in the explicit "X, not Y" form, is written whatever the model
  // thinks of it; otherwise the model's "nothing to change" stands.
  if (analysis?.kind === 'irrelevant' && p.allowKnowledgebaseIds.length === 0 && !wrong) return {};
  if (analysis?.kind === 'correct') {
    wrong = analysis.wrongValue ?? wrong;
    const shown = new Set(related.slice(0, MODEL_CONTEXT_MEMORIES).map((m) => m.id));
    outdated = new Set(analysis.outdatedIds.filter((id) => shown.has(id)).slice(0, MAX_MODEL_OUTDATED));
  }
  const refinePayload: RefinePayload = {
    userId: p.userId,
    conversationId: p.conversationId,
    agentId: p.agentId,
    appId: p.appId,
    tags: [],
    info: {},
    allowPublic: p.allowPublic,
    allowKnowledgebaseIds: p.allowKnowledgebaseIds,
    messages: [{ index: 0, role: 'user', text: p.content, time: p.time, chatTime: null }],
    fastIds: {},
  };
  const extraction = await extractor(refinePayload.messages, { timezone: ctx.config.timezone });
  const hasStatement = extraction.facts.length + extraction.preferences.length > 0;
  // Validity check: feedback unrelated to anything remembered and stating nothing changes nothing.
  if (!hasStatement && related.length === 0 && !wrong && p.allowKnowledgebaseIds.length === 0) return {};

  const refined = await buildRefineBatch(ctx, task, refinePayload, extraction);
  const correction = buildMemory({
    projectId: task.projectId,
    scope: p.allowPublic ? 'public' : 'user',
    userId: p.userId,
    conversationId: p.conversationId,
    agentId: p.agentId,
    appId: p.appId,
    kind: 'fact',
    subtype: 'WorkingMemory',
    key: 'User correction',
    value: `[user correction] ${p.content}`,
    eventTime: p.time,
    tags: ['feedback', 'correction'],
    priority: CORRECTION_PRIORITY,
    sources: [{ role: 'user', content: p.content, type: 'feedback' }],
    taskId: task.id,
  });
  const kbCopies = p.allowKnowledgebaseIds.map((kb) =>
    buildMemory({ ...correction, id: undefined, scope: 'knowledgebase', userId: null, knowledgebaseId: kb, agentId: null, appId: null }),
  );

  const archive = [...(refined.archive ?? [])];
  const priorities = [...(refined.priorities ?? [])];
  if (wrong || outdated.size) {
    const wrongLc = wrong?.toLowerCase();
    for (const m of related) {
      if (!outdated.has(m.id) && !(wrongLc && m.value.toLowerCase().includes(wrongLc))) continue;
      if (m.tags.includes('mode:fast')) priorities.push({ id: m.id, priority: STALE_PRIORITY });
      else archive.push({ id: m.id, supersededBy: correction.id });
    }
  }
  return { memories: [correction, ...kbCopies, ...(refined.memories ?? [])], archive, priorities };
}

function overlaps(m: MemoryRecord, terms: string[]): boolean {
  // The memory's own words (and author), not the neighbouring turns indexed with it (text.ts FIELD).
  const words = new Set(indexFields(m.searchText).slice(0, FIELD.partner).flat());
  return terms.some((t) => words.has(t));
}
