/**
 * Fine-mode extraction with a language model: the same Extraction shape as the rules (extract/types.ts),
 * so the write path does not care which one ran.
 *
 * The model reads the turn and returns facts and preferences as JSON. Tool memories stay with the rules: they
 * are read from the structure of tool calls, which a model can only copy less faithfully. Whenever the model
 * fails (timeout, rate limit, HTTP error, a reply that is not the JSON asked for), the rules' extraction is
 * used instead and the failure is logged: a write never waits on, or is lost to, the model.
 */
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Extractor } from '../engine/ports';
import type { ExtractedFact, ExtractedPreference, Extraction } from '../extract/types';
import { formatShort } from '../engine/time';
import type { ChatMessage, LanguageModel } from './llm';
import { parseModelJson } from './model-json';

type Messages = Parameters<Extractor>[0];

const SYSTEM = `You extract long-term memories about the user from a conversation.

Return only a JSON object, no prose:
{"facts": [{"key": "...", "value": "...", "memory_type": "UserMemory" | "LongTermMemory", "state_key": "..." | null, "event": true | false, "tags": ["..."], "source_indexes": [0]}],
 "preferences": [{"type": "explicit_preference" | "implicit_preference", "text": "...", "reasoning": "...", "state_key": "..." | null, "tags": ["..."], "source_indexes": [0]}]}

Rules:
- facts: durable information. "value" is one third-person sentence ("The user lives in Shanghai."), "key" a short title.
  memory_type UserMemory for who the user is (name, age, job, family, home, health); LongTermMemory for events, plans, possessions and knowledge.
- state_key names a state that can change (e.g. "residence", "job", "diet:spicy"); use the same name for the same state. null for one-time events.
- event: true for one-time events (a trip, a purchase); such facts never replace each other.
- explicit_preference: what the user says they like, want or avoid. implicit_preference: what their choices suggest, with the reasoning.
- Write in the language the user wrote in. Resolve relative times ("yesterday", "next Friday") against the message time.
- Skip greetings, small talk, questions without information, and what only the assistant said unless the user confirmed it.
- source_indexes: the [n] of the messages each item comes from.
- Nothing worth remembering: {"facts": [], "preferences": []}.`;

const stringList = z.array(z.string()).catch([]);
const indexes = z.array(z.number().int().min(0)).catch([]);

const factSchema = z.object({
  key: z.string().min(1).max(200),
  value: z.string().min(1).max(2000),
  memory_type: z.enum(['UserMemory', 'LongTermMemory']).catch('LongTermMemory'),
  state_key: z.string().max(200).nullish().catch(null),
  event: z.boolean().nullish().catch(false),
  tags: stringList.default([]),
  source_indexes: indexes.default([]),
});

const preferenceSchema = z.object({
  type: z.enum(['explicit_preference', 'implicit_preference']),
  text: z.string().min(1).max(2000),
  reasoning: z.string().max(2000).catch(''),
  state_key: z.string().max(200).nullish().catch(null),
  tags: stringList.default([]),
  source_indexes: indexes.default([]),
});

const extractionSchema = z.object({
  facts: z.array(z.unknown()).default([]),
  preferences: z.array(z.unknown()).default([]),
});

function transcript(messages: Messages, timezone: string): string {
  return messages
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.text.trim())
    .map((m) => `[${m.index}] ${m.role} (${formatShort(m.time, timezone)}): ${m.text}`)
    .join('\n');
}

/** Items the model got wrong are dropped one by one; the rest of its answer stays. */
export function toExtraction(raw: unknown, messages: Messages): Omit<Extraction, 'tools'> {
  const parsed = extractionSchema.parse(raw);
  const known = new Map(messages.map((m) => [m.index, m]));
  const fallbackTime = Math.max(...messages.map((m) => m.time));
  const cite = (idx: number[]) => {
    const valid = [...new Set(idx)].filter((i) => known.has(i));
    if (valid.length) return { sourceIndexes: valid, time: Math.max(...valid.map((i) => known.get(i)!.time)) };
    // Uncited: the user's messages of the turn are the source, and the time is theirs.
    const users = messages.filter((m) => m.role === 'user');
    return { sourceIndexes: users.map((m) => m.index), time: users.length ? Math.max(...users.map((m) => m.time)) : fallbackTime };
  };
  const facts: ExtractedFact[] = [];
  for (const item of parsed.facts) {
    const f = factSchema.safeParse(item);
    if (!f.success) continue;
    facts.push({
      key: f.data.key.trim(),
      value: f.data.value.trim(),
      memoryType: f.data.memory_type,
      ...(f.data.state_key ? { stateKey: f.data.state_key.trim().toLowerCase() } : {}),
      ...(f.data.event ? { event: true } : {}),
      tags: f.data.tags,
      ...cite(f.data.source_indexes),
    });
  }
  const preferences: ExtractedPreference[] = [];
  for (const item of parsed.preferences) {
    const p = preferenceSchema.safeParse(item);
    if (!p.success) continue;
    preferences.push({
      type: p.data.type,
      text: p.data.text.trim(),
      reasoning: p.data.reasoning.trim(),
      ...(p.data.state_key ? { stateKey: p.data.state_key.trim().toLowerCase() } : {}),
      tags: p.data.tags,
      ...cite(p.data.source_indexes),
    });
  }
  return { facts, preferences };
}

export function makeLlmExtractor(model: LanguageModel, rules: Extractor, log: FastifyBaseLogger): Extractor {
  return async (messages, opts) => {
    const offline = await rules(messages, opts);
    const text = transcript(messages, opts.timezone);
    if (!text) return offline;
    const prompt: ChatMessage[] = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: text },
    ];
    try {
      const reply = await model.complete(prompt, { temperature: 0, maxTokens: 2048 });
      const extracted = toExtraction(parseModelJson(reply), messages);
      return { ...extracted, tools: offline.tools };
    } catch (err) {
      log.warn({ err: (err as Error).message, reason: (err as { reason?: string }).reason }, 'model extraction failed; using the rule-based extraction');
      return offline;
    }
  };
}
