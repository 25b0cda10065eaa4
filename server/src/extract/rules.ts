/**
 * The offline extractor used when no language model is configured: user messages are cut into clauses, each
 * clause runs through the rule families of its language (rules-en.ts, rules-zh.ts), assistant messages serve as
 * context for choices (choice.ts), and tool calls become tool memories (tools.ts).
 * Pure: no I/O, same input → same output.
 */
import { inferChoice, type Offer } from './choice';
import { clausesOf, type Clause } from './clause';
import type { Context, ItemDraft } from './model';
import { isNoise } from './noise';
import { EN_FALLBACK, EN_GROUPS } from './rules-en';
import { ZH_FALLBACK, ZH_GROUPS } from './rules-zh';
import { structuredLines } from './structured';
import { thirdPerson } from './text';
import { extractToolMemories } from './tools';
import type { ExtractedFact, ExtractedPreference, ExtractMessage, Extraction } from './types';

/** A draft with the clause it came from, so sentence-level merging and source stamping can happen afterwards. */
interface Located {
  draft: ItemDraft;
  clause: Clause;
}

const MAX_GENERIC_CLAUSE = 400;
const MAX_GENERIC_MESSAGE = 4000;

/** Run the rule groups of the clause's language: first match per group, fallback only when nothing matched. */
function runRules(c: Clause, ctx: Context): ItemDraft[] {
  const [groups, fallback] = c.lang === 'zh' ? [ZH_GROUPS, ZH_FALLBACK] : [EN_GROUPS, EN_FALLBACK];
  const out: ItemDraft[] = [];
  for (const group of groups) {
    for (const rule of group) {
      let found: ItemDraft[] | undefined;
      // A rule tripping over odd input must cost that rule only, never the whole write.
      try {
        found = rule(c, ctx);
      } catch {
        found = undefined;
      }
      if (found?.length) {
        out.push(...found);
        break;
      }
    }
  }
  // Pasted documents belong to the knowledge-base pipeline: only specific rules read very long text.
  if (!out.length && c.text.length <= MAX_GENERIC_CLAUSE && c.msg.text.length <= MAX_GENERIC_MESSAGE) out.push(...(fallback(c, ctx) ?? []));
  return out;
}

const FIRST_PERSON = /^(?:I|my|we|our)\b|^我/;
const PET_WORD = /\b(?:dog|cat|puppy|kitten|pet)s?\b|狗|猫|宠物/i;

/** "It"/"he" only points at the pet while the user keeps talking about it. */
function updateTopic(c: Clause, drafts: ItemDraft[], ctx: Context, before: Context['lastTopic']): void {
  if (c.mood !== 'statement' || !FIRST_PERSON.test(c.text)) return;
  const aboutPet = drafts.some((d) => d.tags.includes('pet')) || PET_WORD.test(c.text);
  if (!aboutPet && ctx.lastTopic === before && before === 'pet') ctx.lastTopic = undefined;
}

function isPref(d: ItemDraft): d is Extract<ItemDraft, { kind: 'pref' }> {
  return d.kind === 'pref';
}

/**
 * Whether two explicit preferences of one sentence are one statement: tastes are one dimension ("can't eat
 * spicy now, prefer lighter"), and two parts of one instruction share their style slot. A like and a dislike
 * of the same category ("like apples, dislike bananas") stay apart.
 */
function sameStatement(a: ItemDraft, b: ItemDraft): boolean {
  // Two halves of one sentence setting the same state ("我换工作了，现在在阿里做运营") are one fact.
  if (a.kind === 'fact' && b.kind === 'fact') return !!a.stateKey && a.stateKey === b.stateKey;
  if (!isPref(a) || !isPref(b) || a.type !== 'explicit_preference' || b.type !== 'explicit_preference' || !a.stateKey || !b.stateKey) return false;
  if (a.stateKey.startsWith('food:') && b.stateKey.startsWith('food:')) return true;
  return a.stateKey === b.stateKey && a.stateKey.startsWith('style:');
}

/** Merge such halves: the whole sentence becomes the text (so "lighter" stays next to "spicy"), under the first stateKey. */
function mergeSentences(items: Located[]): Located[] {
  const out: Located[] = [];
  for (const item of items) {
    const prev = out.find(
      (o) => o.clause.msg === item.clause.msg && o.clause.sentenceIndex === item.clause.sentenceIndex && o.clause !== item.clause && sameStatement(o.draft, item.draft),
    );
    if (!prev) {
      out.push(item);
      continue;
    }
    if (prev.draft.kind === 'fact') {
      prev.draft.value = thirdPerson(prev.clause.sentence, prev.clause.lang);
      continue;
    }
    if (!isPref(prev.draft) || !isPref(item.draft)) {
      out.push(item);
      continue;
    }
    const zh = prev.clause.lang === 'zh';
    const statementLike = prev.clause.mood === 'statement' && item.clause.mood === 'statement';
    prev.draft.text = statementLike
      ? thirdPerson(prev.clause.sentence, prev.clause.lang)
      : `${prev.draft.text.replace(/[.。]$/u, '')}${zh ? '，' : '; '}${item.draft.text.replace(/^The user /, 'the user ')}`;
    prev.draft.reasoning = zh ? `用户明确表示：“${prev.clause.sentence}”。` : `The user stated it directly: "${prev.clause.sentence}".`;
    prev.draft.tags = [...new Set([...prev.draft.tags, ...item.draft.tags])];
  }
  return out;
}

function extractMessage(msg: ExtractMessage, ctx: Context, offer: Offer | undefined): Located[] {
  const { drafts: lineDrafts, rest, clause: lineClause } = structuredLines(msg, ctx);
  const items: Located[] = lineDrafts.map((draft) => ({ draft, clause: lineClause }));
  const clauses = clausesOf({ ...msg, text: rest });
  let choiceFound = false;
  for (const c of clauses) {
    if (isNoise(c)) continue;
    const before = ctx.lastTopic;
    const drafts = runRules(c, ctx);
    if (offer && !choiceFound) {
      const choice = inferChoice(msg, offer, ctx, c);
      if (choice) {
        choiceFound = true;
        // "I will choose 7 Days Inn" is the choice itself, not also a plan.
        items.push(...choice.map((draft) => ({ draft, clause: c })));
        updateTopic(c, drafts, ctx, before);
        continue;
      }
    }
    items.push(...drafts.map((draft) => ({ draft, clause: c })));
    updateTopic(c, drafts, ctx, before);
  }
  return mergeSentences(items);
}

function normalised(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}]+/gu, '');
}

function toFact(l: Located): ExtractedFact {
  const d = l.draft as Extract<ItemDraft, { kind: 'fact' }>;
  return {
    key: d.key,
    value: d.value,
    memoryType: d.memoryType,
    ...(d.stateKey ? { stateKey: d.stateKey } : {}),
    ...(d.event ? { event: true } : {}),
    tags: d.tags,
    sourceIndexes: d.sourceIndexes ?? [l.clause.msg.index],
    time: l.clause.msg.time,
  };
}

function toPreference(l: Located): ExtractedPreference {
  const d = l.draft as Extract<ItemDraft, { kind: 'pref' }>;
  return {
    type: d.type,
    text: d.text,
    reasoning: d.reasoning,
    ...(d.stateKey ? { stateKey: d.stateKey } : {}),
    tags: d.tags,
    sourceIndexes: d.sourceIndexes ?? [l.clause.msg.index],
    time: l.clause.msg.time,
  };
}

/**
 * Same text twice → one item citing both sources. Two values for one state from the same message: the later
 * statement wins ("I live in Beijing. Actually I just moved to Shanghai."). Across messages both stay, so the
 * store can supersede the older one and keep it traceable.
 */
/** A stated preference outranks one inferred from the same message. */
function rank(item: { type?: string }): number {
  return item.type === 'implicit_preference' ? 0 : 1;
}

function dedupe<T extends { sourceIndexes: number[]; stateKey?: string; type?: string }>(items: T[], text: (t: T) => string): T[] {
  const out: T[] = [];
  for (const item of items) {
    const sameText = out.findIndex((o) => normalised(text(o)) === normalised(text(item)));
    if (sameText >= 0) {
      out[sameText].sourceIndexes = [...new Set([...out[sameText].sourceIndexes, ...item.sourceIndexes])].sort((a, b) => a - b);
      continue;
    }
    const sameState = out.findIndex((o) => !!item.stateKey && o.stateKey === item.stateKey && o.sourceIndexes.join() === item.sourceIndexes.join());
    if (sameState < 0) out.push(item);
    else if (rank(item) >= rank(out[sameState])) out[sameState] = item;
  }
  return out;
}

export function extractWithRules(messages: ExtractMessage[], opts: { timezone: string }): Extraction {
  const ctx: Context = { tz: opts.timezone };
  const located: Located[] = [];
  let offer: Offer | undefined;
  let lastUser: ExtractMessage | undefined;
  for (const msg of messages) {
    if (msg.role === 'assistant') {
      if (msg.text.trim()) offer = { assistant: msg, ask: lastUser };
      continue;
    }
    if (msg.role !== 'user' || !msg.text.trim()) continue;
    located.push(...extractMessage(msg, ctx, offer));
    offer = undefined;
    lastUser = msg;
  }
  const facts = dedupe(located.filter((l) => l.draft.kind === 'fact').map(toFact), (f) => f.value);
  const preferences = dedupe(located.filter((l) => l.draft.kind === 'pref').map(toPreference), (p) => p.text);
  return { facts, preferences, tools: extractToolMemories(messages, opts) };
}
