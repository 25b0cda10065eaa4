/**
 * What a rule returns before the orchestrator stamps sources and times on it, plus the running conversation
 * context rules share (the pet "it" refers to, the trip a hotel choice belongs to).
 */
import type { Clause } from './clause';
import type { ExtractMessage } from './types';
import { thirdPerson } from './text';
import { withWhen } from './when';

export interface FactDraft {
  kind: 'fact';
  key: string;
  value: string;
  memoryType: 'UserMemory' | 'LongTermMemory';
  stateKey?: string;
  event?: boolean;
  tags: string[];
  /** Only when the item cites more than its own message (choices cite the assistant's offer too). */
  sourceIndexes?: number[];
}

export interface PrefDraft {
  kind: 'pref';
  type: 'explicit_preference' | 'implicit_preference';
  text: string;
  reasoning: string;
  stateKey?: string;
  tags: string[];
  sourceIndexes?: number[];
}

export type ItemDraft = FactDraft | PrefDraft;

export interface Pet {
  species: string;
  name?: string;
}

export interface Person {
  /** Normalised relation: "wife", "child". */
  rel: string;
  /** How the user called them ("wife", "kids"), used when rewriting. */
  word: string;
  name?: string;
}

export interface Context {
  tz: string;
  pet?: Pet;
  person?: Person;
  /** What "it"/"he"/"she" most likely points at. */
  lastTopic?: 'pet' | 'person';
  /** "the summer trip to Guangzhou": a later choice (a hotel) is recorded as belonging to it. */
  trip?: string;
  /** The last assistant message before the current user message. */
  lastAssistant?: ExtractMessage;
  /** The user message before that assistant message (what the user asked). */
  lastUserAsk?: ExtractMessage;
}

/** A rule reads one clause (and the context) and returns the items it recognises. */
export type Rule = (c: Clause, ctx: Context) => ItemDraft[] | undefined;

export interface FactOpts {
  memoryType?: 'UserMemory' | 'LongTermMemory';
  stateKey?: string;
  event?: boolean;
  tags: string[];
  /** Resolve relative dates in the clause and append them to the value. */
  when?: boolean;
}

export function fact(c: Clause, ctx: Context, key: string, value: string, opts: FactOpts): FactDraft {
  const v = opts.when ? withWhen(value, c.text, c.msg.time, ctx.tz, c.lang) : value;
  return {
    kind: 'fact',
    key,
    value: v,
    memoryType: opts.memoryType ?? (opts.event ? 'LongTermMemory' : 'UserMemory'),
    ...(opts.stateKey ? { stateKey: opts.stateKey } : {}),
    ...(opts.event ? { event: true } : {}),
    tags: dedupe(opts.tags),
  };
}

export function explicit(c: Clause, text: string, stateKey: string | undefined, tags: string[], reasoning?: string): PrefDraft {
  return {
    kind: 'pref',
    type: 'explicit_preference',
    text,
    reasoning: reasoning ?? saidBy(c),
    ...(stateKey ? { stateKey } : {}),
    tags: dedupe(tags),
  };
}

export function implicit(text: string, reasoning: string, stateKey: string | undefined, tags: string[], sourceIndexes?: number[]): PrefDraft {
  return {
    kind: 'pref',
    type: 'implicit_preference',
    text,
    reasoning,
    ...(stateKey ? { stateKey } : {}),
    tags: dedupe(tags),
    ...(sourceIndexes ? { sourceIndexes } : {}),
  };
}

/** Reasoning for a stated preference: quote the user. */
export function saidBy(c: Clause): string {
  const quote = c.original.trim().replace(/\s+/g, ' ');
  if (c.lang === 'zh') return `用户明确表示：“${quote}”。${c.correction ? '这是对之前说法的更正。' : ''}`;
  return `The user stated it directly: "${quote}".${c.correction ? ' This corrects something the user said earlier.' : ''}`;
}

/** The clause rewritten in the third person. */
export function rewrite(c: Clause, text = c.text): string {
  return thirdPerson(text, c.lang, { family: /\b(?:kids?|children|child|wife|husband|family|son|daughter|baby|dog|cat|puppy|kitten|pet|home|house)\b|孩子|老婆|老公|家人|儿子|女儿|狗|猫|家/i.test(text) });
}

export function dedupe<T>(xs: T[]): T[] {
  return [...new Set(xs.filter((x) => x !== undefined && x !== ''))];
}
