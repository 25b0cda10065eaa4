/**
 * The read path (contract §4.15): filters first, then lexical candidates, then a ranking that explains itself.
 *
 * relativity (0-1) measures how much of the query's information a memory covers: the IDF-weighted share of the
 * query's content terms found in it. It is what the `relativity` threshold is applied to, so the threshold
 * means the same thing whatever the corpus size. The final order also weighs BM25, recency, the current
 * conversation, feedback priority and whether a state has been superseded.
 */
import type { SearchMemoryRequest } from '../api/schemas';
import type { MemoryKind, MemoryRecord, RecallScope } from '../store/types';
import type { Caller, EngineContext } from './context';
import { parseFilter } from './filter';
import { assertKnowledgebasesLinked } from './kb-access';
import { present } from './present';
import { ApiError, ErrorCode } from '../errors';
import { estimateTokens, ftsMatch, isStopword, MAX_QUERY_TERMS, MAX_QUERY_TOKENS, queryTerms } from './text';
import { mergeRelated, relatedTerms, type Related } from './concepts';
import { adviceRelated } from './intent';
import { fuse, readFields, scoreHits, type Scored } from './rank';
import { profileDetails } from './profile';

export const MAX_MATCH_TERMS = 64;
/** Candidates scored per query: enough that the field-weighted ranking, not FTS5's own, decides the order. */
const CANDIDATES = 50;
/** Postings FTS5 may score per search (see candidateMatch). */
const MATCH_BUDGET = 1200;
const RECENCY_BOOST = 0.12;
/** A feedback correction this close to the best lexical score (a share of it) is treated as the best match. */
const CORRECTION_REACH = 0.25;
/** Memories this much older than the newest candidate keep about a third of the recency boost. */
const RECENCY_SCALE_MS = 90 * 86_400_000;

/** "Where did I live before?" looks for superseded versions. */
// ("old" alone is not a cue: "how old is my dog?" asks about now.)
const PAST_CUE = /\b(before|used to|previous(ly)?|formerly|earlier|originally|in the past|my old)\b|以前|之前|过去|原来|曾经|从前/i;

export interface RecallOptions {
  query: string;
  userId: string;
  conversationId?: string;
  filter?: unknown;
  knowledgebaseIds?: 'all' | string[];
  limits: Partial<Record<MemoryKind, number>>;
  relativity: number;
  /** Say why each result ranked where it did (the console's search playground); off for API searches. */
  explain?: boolean;
}

export interface Ranked {
  memory: MemoryRecord;
  relativity: number;
  score: number;
  explain?: Explanation;
}

/** Why a memory ranked where it did: the words it matched (by field), its ranks, and the multipliers applied. */
export interface Explanation {
  /** Query terms and related words found, per field of the memory's index text (own, author, partner, nearby). */
  matched?: string[][];
  coverage?: number;
  lexicalRank?: number;
  vectorRank?: number;
  similarity?: number;
  /** The lexical (or fused) score the factors start from, then each multiplier by name. */
  base: number;
  factors: Array<[string, number]>;
}

export async function resolveScope(ctx: EngineContext, caller: Caller, userId: string, filter: unknown, kbIds: 'all' | string[] | undefined, includeArchived: boolean): Promise<RecallScope> {
  const parsed = parseFilter(filter, ctx.config.timezone);
  let knowledgebaseIds: string[] = [];
  if (kbIds === 'all' || (Array.isArray(kbIds) && kbIds.length === 1 && kbIds[0] === 'all')) knowledgebaseIds = await ctx.store.linkedKnowledgebaseIds(caller.projectId);
  else if (kbIds?.length) {
    await assertKnowledgebasesLinked(ctx, caller, kbIds);
    knowledgebaseIds = [...new Set(kbIds)];
  }
  return {
    projectId: caller.projectId,
    userId,
    includeUser: true,
    includePublic: true,
    knowledgebaseIds,
    globalFilter: parsed?.global,
    userFilter: parsed?.user,
    publicFilter: parsed?.public,
    knowledgebaseFilter: parsed?.knowledgebase,
    includeArchived,
  };
}

export async function recall(ctx: EngineContext, caller: Caller, o: RecallOptions): Promise<Ranked[]> {
  const lookingBack = PAST_CUE.test(o.query);
  const scope = await resolveScope(ctx, caller, o.userId, o.filter, o.knowledgebaseIds, lookingBack);
  const kinds = (Object.keys(o.limits) as MemoryKind[]).filter((k) => (o.limits[k] ?? 0) > 0);
  if (kinds.length === 0) return [];
  const terms = await selectiveTerms(ctx, queryTerms(o.query).filter((t) => !functionCompound(t)));
  if (terms.length === 0 && !ctx.embedder) return [];

  let scored: Scored[] = [];
  if (terms.length) {
    const related = boundedRelated(terms, mergeRelated(relatedTerms(terms), adviceRelated(o.query, terms)));
    const relatedWords = [...new Set([...related.values()].flat().map((r) => r.term))];
    // Frequencies cost a lookup each, and most related words are in no memory at all (WordNet knows far more
    // words than one user says), so they are looked up only where they can change the result: for picking
    // candidates when the query's own words leave room in the budget, and for scoring when a candidate holds them.
    const { docCount, df } = await ctx.store.termStats(terms);
    // The own words' share of the budget depends on their frequencies only, so it is worked out once, here.
    const own = ownMatch(terms, df);
    if (own.room > 0) await addStats(ctx, df, relatedWords);
    const hits = await ctx.store.lexicalSearch(scope, { match: candidateMatch(terms, relatedWords, df, own), kinds, limit: CANDIDATES });
    const fields = readFields(hits, new Set([...terms, ...relatedWords]));
    await addStats(ctx, df, [...new Set(fields.flatMap((f) => f.flatMap((line) => line.found)))]);
    scored = scoreHits(hits, { terms, related, df, docCount, explain: o.explain }, fields);
  }
  if (ctx.embedder) scored = await withVectors(ctx, scope, kinds, o.query, scored);
  if (scored.length === 0) return [];

  const ranked = rank(scored, { conversationId: o.conversationId, lookingBack, explain: o.explain });
  if ((o.limits.tool ?? 0) > 0) await addSchemasOfRecalledTrajectories(ctx, caller.projectId, o.userId, ranked);
  return select(ranked, o);
}

/** A Chinese word made only of function characters ("我的" = 我 + 的) says nothing about the topic. */
const functionCompound = (t: string) => t.length > 1 && /^\p{Script=Han}+$/u.test(t) && Array.from(t).every(isStopword);

/**
 * A long query is matched with its MAX_QUERY_TERMS most selective terms (fewest memories holding them, unknown
 * words last), in their original order: the work per search stays bounded and the words that discriminate stay.
 */
async function selectiveTerms(ctx: EngineContext, terms: string[]): Promise<string[]> {
  if (terms.length <= MAX_QUERY_TERMS) return terms;
  const { df } = await ctx.store.termStats(terms);
  const rarity = (t: string) => df.get(t) || Number.MAX_SAFE_INTEGER;
  const keep = new Set([...terms].sort((a, b) => rarity(a) - rarity(b)).slice(0, MAX_QUERY_TERMS));
  return terms.filter((t) => keep.has(t));
}

/**
 * At most MAX_MATCH_TERMS words per search, the query's own first, then related words by weight, taking each
 * query term's best in turn: every term keeps some of its meaning when a long query has many related words.
 */
export function boundedRelated(terms: string[], related: Map<string, Related[]>): Map<string, Related[]> {
  const out = new Map<string, Related[]>(terms.map((t) => [t, []]));
  const seen = new Set(terms);
  const queues = terms.map((t) => [...(related.get(t) ?? [])]);
  while (seen.size < MAX_MATCH_TERMS && queues.some((q) => q.length))
    for (const [i, q] of queues.entries()) {
      const r = q.shift();
      if (!r || (!seen.has(r.term) && seen.size >= MAX_MATCH_TERMS)) continue;
      out.get(terms[i])!.push(r);
      seen.add(r.term);
    }
  return out;
}

/** Lexical results fused with the vector ranking; lexical alone when the embedding endpoint fails. */
async function withVectors(ctx: EngineContext, scope: RecallScope, kinds: MemoryKind[], query: string, lexical: Scored[]): Promise<Scored[]> {
  const embedder = ctx.embedder!;
  try {
    const [q] = await embedder.embed([query]);
    return fuse(lexical, await ctx.store.vectorSearch(scope, kinds, embedder.model, q, CANDIDATES));
  } catch (err) {
    ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'query embedding failed; lexical recall only');
    return lexical;
  }
}

/** Frequencies of the words not yet in `df`, added to it. */
async function addStats(ctx: EngineContext, df: Map<string, number>, words: string[]) {
  const missing = words.filter((w) => !df.has(w));
  if (missing.length) for (const [w, n] of (await ctx.store.termStats(missing)).df) df.set(w, n);
}

/**
 * The query's own terms that pick candidates (see candidateMatch), and the postings the budget leaves to related
 * words: none when the own terms already fill it, or when the two rarest must co-occur (`both`). Related words'
 * frequencies are looked up only when there is room.
 */
type OwnMatch = { words: string[]; room: number; both?: true };

function ownMatch(terms: string[], df: Map<string, number>): OwnMatch {
  const n = (t: string) => df.get(t) ?? 0;
  const own = terms.filter((t) => n(t) > 0).sort((a, b) => n(a) - n(b));
  if (own.length > 1 && n(own[0]) > MATCH_BUDGET) return { words: own.slice(0, 2), room: 0, both: true };
  const words: string[] = [];
  let postings = 0;
  for (const t of own) {
    if (words.length > 0 && postings + n(t) > MATCH_BUDGET) return { words, room: 0 };
    words.push(t);
    postings += n(t);
  }
  return { words, room: Math.max(0, MATCH_BUDGET - postings) };
}

/**
 * The FTS5 expression that picks candidates. FTS5 scores every row that matches, so a word found in a third of all
 * memories ("go", a user's own name) would make each search cost a third of the index. The query's own terms come
 * first, then related words, each rarest first, until their postings reach MATCH_BUDGET; words left out still count
 * in the ranking of the candidates the others find, and on a small index nothing is left out. When even the rarest
 * query term is that common, a candidate must hold the two rarest (FTS5 intersects the lists without scoring).
 * `df` must hold the related words' frequencies whenever the own terms leave room (ownMatch(...).room above 0);
 * `own` is that ownMatch when the caller has it already.
 */
export function candidateMatch(terms: string[], related: string[], df: Map<string, number>, own: OwnMatch = ownMatch(terms, df)): string {
  const n = (t: string) => df.get(t) ?? 0;
  const { words, room, both } = own;
  if (both) return `${ftsMatch([words[0]])} AND ${ftsMatch([words[1]])}`;
  const others = room > 0 ? related.filter((t) => n(t) > 0 && !terms.includes(t)).sort((a, b) => n(a) - n(b)) : [];
  if (words.length + others.length === 0) return ftsMatch(terms);
  const out = [...words];
  let postings = MATCH_BUDGET - room;
  for (const t of others) {
    if (out.length > 0 && postings + n(t) > MATCH_BUDGET) break;
    out.push(t);
    postings += n(t);
  }
  return ftsMatch(out);
}

/**
 * Walks the ranking and fills each category up to its limit. A memory that adds nothing to what is already
 * chosen (a refined fact next to the transcript line it came from, or the other way round: contract §4.15
 * "deduplicate") waits until the end, so it only takes a slot nothing new wants.
 */
function select(ranked: Ranked[], o: RecallOptions): Ranked[] {
  const out: Ranked[] = [];
  const later: Ranked[] = [];
  const perKind = new Map<MemoryKind, number>();
  const seenValues = new Set<string>();
  const seenTurns = new Set<string>();
  const take = (r: Ranked) => {
    perKind.set(r.memory.kind, (perKind.get(r.memory.kind) ?? 0) + 1);
    out.push(r);
    for (const t of turnsOf(r.memory)) seenTurns.add(r.memory.kind + '|' + t);
  };
  for (const r of ranked) {
    if (o.relativity > 0 && r.relativity < o.relativity) continue;
    const k = r.memory.kind;
    if ((perKind.get(k) ?? 0) >= (o.limits[k] ?? 0)) continue;
    const sig = k + '|' + r.memory.value.toLowerCase();
    if (seenValues.has(sig)) continue;
    seenValues.add(sig);
    const turns = turnsOf(r.memory);
    if (turns.length && turns.every((t) => seenTurns.has(k + '|' + t))) later.push(r);
    else take(r);
  }
  for (const r of later) if ((perKind.get(r.memory.kind) ?? 0) < (o.limits[r.memory.kind] ?? 0)) take(r);
  return out;
}

/** The transcript turns a memory stands for: a fast memory is its own turn, a refined one its snapshots. */
function turnsOf(m: MemoryRecord): string[] {
  if (m.tags.includes('mode:fast')) return [m.id];
  return (m.data?.snapshots as string[] | undefined) ?? [];
}

interface RankContext {
  conversationId?: string;
  lookingBack: boolean;
  explain?: boolean;
}

/** Lexical score, then what the words cannot know: freshness, the current conversation, feedback, superseded states. */
function rank(scored: Scored[], c: RankContext): Ranked[] {
  const tMax = Math.max(...scored.map((h) => h.memory.eventTime));
  const top = Math.max(...scored.map((h) => h.relevance));
  return scored
    .map((s) => {
      const { memory: m, relevance, relativity } = s;
      const factors: Array<[string, number]> = [];
      let base = relevance;
      // A correction the user gave through feedback goes above what it corrects (contract §4.7) whenever it is
      // about the question at all: lexical scores spread too widely for a fixed boost to guarantee that.
      if (m.priority > 0 && m.status === 'activated' && relevance >= CORRECTION_REACH * top && top > relevance) {
        base = top;
        factors.push(['correction', top / relevance]);
      }
      factors.push(['recency', 1 + RECENCY_BOOST * Math.exp(-(tMax - m.eventTime) / RECENCY_SCALE_MS)]); // fresher first among equals
      if (m.sources[0]?.role === 'assistant' && m.tags.includes('mode:fast')) factors.push(['assistant', 0.92]); // the user's own words outrank replies
      if (c.conversationId && m.conversationId === c.conversationId) factors.push(['conversation', 1.15]);
      if (m.priority > 0) factors.push(['priority', 1 + 0.5 * m.priority]); // feedback corrections outrank what they correct
      if (m.status === 'archived') factors.push(['archived', c.lookingBack ? 1.3 : 0.5]);
      else if (m.priority < 0) factors.push(['superseded', c.lookingBack ? 1.2 : 0.6]); // snapshot of a superseded state
      else if (c.lookingBack && m.stateKey) factors.push(['state', 0.85]);
      if (!m.tags.includes('mode:fast')) factors.push(['refined', 1.05]); // a refined statement reads better than a transcript line
      let score = base;
      for (const [name, f] of factors) if (name !== 'correction') score *= f;
      const ranked: Ranked = { memory: m, relativity, score };
      if (c.explain)
        ranked.explain = { matched: s.matched, coverage: s.coverage, lexicalRank: s.lexicalRank, vectorRank: s.vectorRank, similarity: s.similarity, base: relevance, factors };
      return ranked;
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * A recalled trajectory ("get_weather called for Beijing") is only useful with the tool's schema, which shares
 * no words with the question: bring the schemas of the tools it used along, just below it.
 */
async function addSchemasOfRecalledTrajectories(ctx: EngineContext, projectId: string, userId: string, ranked: Ranked[]) {
  const present = new Set(ranked.filter((r) => r.memory.subtype === 'ToolSchemaMemory').map((r) => r.memory.stateKey));
  const wanted = new Map<string, Ranked>();
  for (const r of ranked) {
    if (r.memory.subtype !== 'ToolTrajectoryMemory') continue;
    const used = (r.memory.data?.tool_used_status as Array<{ used_tool: string }> | null) ?? [];
    for (const u of used) {
      const key = `tool-schema:${u.used_tool}`;
      if (!present.has(key) && !wanted.has(key)) wanted.set(key, r);
    }
  }
  if (wanted.size === 0) return;
  const schemas = await ctx.store.findUserMemories(projectId, userId, { stateKeys: [...wanted.keys()], kinds: ['tool'] });
  for (const m of schemas) {
    const via = wanted.get(m.stateKey!)!;
    ranked.splice(ranked.indexOf(via) + 1, 0, { memory: m, relativity: via.relativity * 0.95, score: via.score * 0.95 });
  }
}

/** The recall scoping fields shared by /search/memory and /chat requests. */
export interface RecallRequest {
  query: string;
  user_id: string;
  conversation_id?: string;
  filter?: unknown;
  knowledgebase_ids?: 'all' | string[];
  relativity: number;
}

export function recallOptions(req: RecallRequest, limits: Partial<Record<MemoryKind, number>>): RecallOptions {
  return {
    query: req.query,
    userId: req.user_id,
    conversationId: req.conversation_id,
    filter: req.filter,
    knowledgebaseIds: req.knowledgebase_ids,
    limits,
    relativity: req.relativity,
  };
}

/** The ranked results of a /search/memory request (with `explain`, each says why it ranked where it did). */
export async function rankForSearch(ctx: EngineContext, caller: Caller, req: SearchMemoryRequest, explain = false): Promise<Ranked[]> {
  const tokens = estimateTokens(req.query);
  if (tokens > MAX_QUERY_TOKENS) throw new ApiError(ErrorCode.InputTooLong, `the query holds about ${tokens} tokens; /search/memory takes at most ${MAX_QUERY_TOKENS}`);
  const limits: Partial<Record<MemoryKind, number>> = {
    fact: req.memory_limit_number,
    preference: req.include_preference ? req.preference_limit_number : 0,
    tool: req.include_tool_memory ? req.tool_memory_limit_number : 0,
    skill: req.include_skill ? req.skill_limit_number : 0,
  };
  return recall(ctx, caller, { ...recallOptions(req, limits), explain });
}

export async function searchMemory(ctx: EngineContext, caller: Caller, req: SearchMemoryRequest) {
  const ranked = await rankForSearch(ctx, caller, req);
  const tz = ctx.config.timezone;
  const of = (k: MemoryKind) => ranked.filter((r) => r.memory.kind === k).map((r) => present(r.memory, { relativity: r.relativity, timezone: tz }));
  const preferences = of('preference');
  return {
    memory_detail_list: of('fact'),
    preference_detail_list: preferences,
    tool_memory_detail_list: of('tool'),
    ...(req.include_skill ? { skill_detail_list: of('skill') } : {}),
    profile_detail_list: await profileDetails(ctx, caller.projectId, req.user_id),
    preference_note: preferences.length
      ? 'Explicit preferences were stated by the user; implicit ones were inferred from behaviour. Follow them unless the current request says otherwise.'
      : '',
  };
}
