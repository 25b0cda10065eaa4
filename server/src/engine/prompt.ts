/**
 * The chat prompt (contract §4.16): role, current time, the recalled memories, a safety protocol for using
 * them, instructions (with the knowledge-base variant), then the conversation so far and the query.
 *
 * Memories are shown the way the template asks: facts as `-[YYYY-MM-DD HH:MM] text`, preferences tagged
 * [Explicit Preference] / [Implicit Preference], things an assistant said marked [assistant view],
 * knowledge-base passages with the document and section they come from.
 */
import type { MemoryRecord } from '../store/types';
import type { ChatMessage } from '../providers/llm';
import { formatShort } from './time';

export interface PromptInput {
  query: string;
  now: number;
  timezone: string;
  /** The user's and public facts. */
  facts: MemoryRecord[];
  preferences: MemoryRecord[];
  /** Knowledge-base passages (facts with scope knowledgebase). */
  knowledge: MemoryRecord[];
  skills: MemoryRecord[];
  /** Earlier turns of this conversation, oldest first. */
  history: ChatMessage[];
  /** Replaces the built-in role, protocol and instructions; `{{memories}}` marks where the memories go. */
  systemPrompt?: string;
  /** Knowledge bases were searched: adds the knowledge-base instructions. */
  knowledgebase: boolean;
}

const FAST_LINE = /^(user|assistant): \[[^\]]*\]: ([\s\S]*)$/;
const MEMORY_PLACEHOLDER = /\{\{\s*memories\s*\}\}|\{memories\}/;

/** A memory as one line of text: transcript snapshots lose their "user: [time]:" prefix, replies are marked. */
export function memoryText(m: MemoryRecord): { text: string; assistant: boolean } {
  const fast = FAST_LINE.exec(m.value);
  if (fast) return { text: fast[2].trim(), assistant: fast[1] === 'assistant' };
  return { text: m.value.trim(), assistant: m.sources[0]?.role === 'assistant' && m.tags.includes('mode:fast') };
}

export function knowledgeSource(m: MemoryRecord): string {
  const file = (m.data?.file_name as string | undefined) ?? 'knowledge base';
  const path = (m.data?.heading_path as string[] | undefined) ?? [];
  return [file, ...path].join(' > ');
}

function skillText(m: MemoryRecord): string {
  const s = (m.data?.skill as Record<string, unknown> | undefined) ?? { name: m.key, description: m.value };
  const lines = [`### ${String(s.name ?? m.key)}`, String(s.description ?? m.value)];
  const section = (title: string, key: string) => {
    if (typeof s[key] === 'string' && s[key]) lines.push(`${title}:\n${s[key] as string}`);
  };
  section('Procedure', 'procedure');
  section('Experience', 'experience');
  section('User preferences', 'user_preferences');
  section('Examples', 'examples');
  section('Additional information', 'additional_information');
  section('Instructions', 'content');
  return lines.join('\n');
}

/** The "memory data" block: what was recalled, ready to be placed in a system prompt. */
export function memoryBlock(p: PromptInput): string {
  const out: string[] = [];
  const time = (m: MemoryRecord) => `[${formatShort(m.eventTime, p.timezone)}]`;
  if (p.facts.length) {
    out.push('## Facts');
    for (const m of p.facts) {
      const { text, assistant } = memoryText(m);
      out.push(`-${time(m)} ${assistant ? '[assistant view] ' : ''}${text}`);
    }
  }
  if (p.preferences.length) {
    out.push('## Preferences');
    for (const m of p.preferences) {
      const label = m.subtype === 'implicit_preference' ? '[Implicit Preference]' : '[Explicit Preference]';
      out.push(`-${time(m)} ${label} ${m.value.trim()}`);
    }
  }
  if (p.knowledge.length) {
    out.push('## Knowledge base');
    for (const m of p.knowledge) out.push(`-[${knowledgeSource(m)}] ${m.value.trim().replace(/\s*\n\s*/g, ' ')}`);
  }
  if (p.skills.length) {
    out.push('## Skills');
    for (const m of p.skills) out.push(skillText(m));
  }
  if (out.length === 0) return '(nothing relevant is remembered)';
  if (p.facts.some((m) => memoryText(m).assistant)) out.push('Items marked [assistant view] are what an assistant said earlier: inferences, not the user\'s own words.');
  return out.join('\n');
}

function defaultSystemPrompt(p: PromptInput, memories: string): string {
  const instructions = [
    '- Use only the memories that pass these checks.',
    '- Follow the user\'s stated preferences.',
    '- Answer directly. Never mention a "memory store", "memories" or "retrieval".',
  ];
  if (p.knowledgebase)
    instructions.push(
      '- When the knowledge base covers the question, follow its guidance over general knowledge.',
      '- If the answer is neither in the memories nor in the knowledge base and you do not know it, say so.',
      '- Reply in the language of the user\'s question.',
    );
  return [
    '# Role',
    'You are an assistant with long-term memory of this user. Answer in a personal, accurate and rigorous way.',
    '',
    '# System context',
    `Current time: ${formatShort(p.now, p.timezone)} (${p.timezone}). Use it to judge how fresh each memory is.`,
    '',
    '# Memory data',
    memories,
    '',
    '# Safety protocol',
    'Before using a memory, drop it if it fails any of these checks:',
    '1. Source: the user\'s own words outrank an assistant\'s guesses.',
    '2. Attribution: the memory is about this user, not a third party or a made-up example.',
    '3. Relevance: it actually helps with this question, beyond sharing a keyword.',
    '4. Freshness: when a memory conflicts with the current question, the question wins.',
    '',
    '# Instructions',
    ...instructions,
  ].join('\n');
}

export function systemPrompt(p: PromptInput): string {
  const memories = memoryBlock(p);
  if (p.systemPrompt === undefined) return defaultSystemPrompt(p, memories);
  if (MEMORY_PLACEHOLDER.test(p.systemPrompt)) return p.systemPrompt.replace(new RegExp(MEMORY_PLACEHOLDER, 'g'), () => memories);
  return `${p.systemPrompt}\n\n# Memory data\n${memories}`;
}

/** System prompt, the conversation so far, then the query. */
export function chatMessages(p: PromptInput): ChatMessage[] {
  return [{ role: 'system', content: systemPrompt(p) }, ...p.history, { role: 'user', content: p.query }];
}
