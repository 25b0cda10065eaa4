/**
 * The answer /chat gives when no language model is configured (or the model failed): no composition, only
 * what was recalled, quoted and labelled as such, so nobody mistakes it for a generated reply. Long
 * knowledge-base passages are cut down to the sentences that share the most words with the question.
 * English or Chinese labels, following the question.
 */
import type { MemoryRecord } from '../store/types';
import { knowledgeSource, memoryText } from './prompt';
import { queryTerms } from './text';
import { formatDate } from './time';

export const OFFLINE_ANSWER_TYPE = 'extractive';

const LIMITS = { facts: 5, preferences: 3, knowledge: 3, skills: 2 };
const PASSAGE_CHARS = 320;
const CJK = /[\p{Script=Han}]/u;
/** A fast-mode snapshot quotes a message: "user: [time]: ..." */
const TRANSCRIPT_LINE = /^(user|assistant): \[/;

interface Recalled {
  facts: MemoryRecord[];
  preferences: MemoryRecord[];
  knowledge: MemoryRecord[];
  skills: MemoryRecord[];
}

const LABELS = {
  en: {
    intro: 'No language model is configured, so this answer quotes what was recalled for your question instead of composing a reply.',
    fallback: 'The language model could not answer just now, so this answer quotes what was recalled for your question instead.',
    none: 'Nothing remembered or in the knowledge bases relates to this question.',
    facts: 'From what you told me:',
    preferences: 'Your preferences:',
    knowledge: 'From the knowledge base:',
    skills: 'Skills that apply:',
    you: 'You said',
    assistant: 'I said',
  },
  zh: {
    intro: '未配置语言模型，以下内容直接引用了与问题相关的记忆，而非生成的回答。',
    fallback: '语言模型暂时无法回答，以下内容直接引用了与问题相关的记忆。',
    none: '记忆和知识库中没有与这个问题相关的内容。',
    facts: '你告诉过我：',
    preferences: '你的偏好：',
    knowledge: '知识库中的内容：',
    skills: '适用的技能：',
    you: '你说',
    assistant: '我说',
  },
};

/**
 * The sentences of a long passage that best match the question, in their original order. Words of the
 * question count double; words of what else was recalled about the user count once, so "Intel Macs use
 * the x64 build" is kept for a user known to own an Intel laptop even though the question never says Intel.
 */
export function bestSentences(text: string, query: string, context: Set<string> = new Set(), maxChars = PASSAGE_CHARS): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const sentences = flat.split(/(?<=[.!?;:])\s+|(?<=[。！？；])/).filter((x) => x.trim());
  const terms = new Set(queryTerms(query));
  const scored = sentences.map((s, i) => {
    let score = 0;
    for (const t of new Set(queryTerms(s))) score += terms.has(t) ? 2 : context.has(t) ? 1 : 0;
    return { s: s.trim(), i, score };
  });
  const picked: typeof scored = [];
  let used = 0;
  for (const c of [...scored].sort((a, b) => b.score - a.score || a.i - b.i)) {
    if (c.score === 0 && picked.length) break;
    if (used + c.s.length > maxChars && picked.length) continue;
    picked.push(c);
    used += c.s.length + 1;
  }
  const out = picked
    .sort((a, b) => a.i - b.i)
    .map((c) => c.s)
    .join(' ');
  return out.length > maxChars ? out.slice(0, maxChars - 1) + '…' : out;
}

export function offlineAnswer(query: string, r: Recalled, timezone: string, opts: { modelFailed?: boolean } = {}): string {
  const L = CJK.test(query) ? LABELS.zh : LABELS.en;
  const lines: string[] = [`(${opts.modelFailed ? L.fallback : L.intro})`];
  const facts = r.facts.slice(0, LIMITS.facts);
  const preferences = r.preferences.slice(0, LIMITS.preferences);
  const knowledge = r.knowledge.slice(0, LIMITS.knowledge);
  const skills = r.skills.slice(0, LIMITS.skills);
  if (!facts.length && !preferences.length && !knowledge.length && !skills.length) return `${lines[0]}\n\n${L.none}`;
  const context = new Set([...facts, ...preferences].flatMap((m) => queryTerms(memoryText(m).text)));
  if (facts.length) {
    lines.push('', L.facts);
    for (const m of facts) {
      const { text, assistant } = memoryText(m);
      const who = TRANSCRIPT_LINE.test(m.value) ? `${assistant ? L.assistant : L.you} ` : '';
      lines.push(`- ${who}(${formatDate(m.eventTime, timezone)}): ${bestSentences(text, query, context)}`);
    }
  }
  if (preferences.length) {
    lines.push('', L.preferences);
    for (const m of preferences) lines.push(`- ${m.value.trim()}`);
  }
  if (knowledge.length) {
    lines.push('', L.knowledge);
    for (const m of knowledge) lines.push(`- [${knowledgeSource(m)}] ${bestSentences(m.value, query, context)}`);
  }
  if (skills.length) {
    lines.push('', L.skills);
    for (const m of skills) lines.push(`- ${m.key}: ${m.value.trim()}`);
  }
  return lines.join('\n');
}
