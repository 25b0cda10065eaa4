/**
 * Structured profile lines ("Favorite movie genres: sci-fi, action", "职业：设计师"), as apps send questionnaire
 * answers through /add/message. Each "label: value" line becomes one fact or preference; the rest of the
 * message goes on to the clause rules.
 */
import type { Clause } from './clause';
import { explicit, fact, type Context, type ItemDraft } from './model';
import { detectLang, slug, thirdPersonEn } from './text';
import type { ExtractMessage } from './types';

const LINE = /^\s*(?:[-*•]\s*)?([^:：\n]{2,40}?)\s*[:：]\s*(.{1,300})$/;

/** Labels that map to the profile slots the clause rules also fill, so both supersede each other. */
const KNOWN: Array<[RegExp, string, string[]]> = [
  [/^(?:name|full name|姓名|名字)$/i, 'name', ['name', 'person']],
  [/^(?:age|年龄)$/i, 'age', ['age', 'person']],
  [/^(?:job|occupation|profession|role|position|title|职业|工作|岗位|职位)$/i, 'job', ['job']],
  [/^(?:company|employer|公司|单位)$/i, 'employer', ['job', 'employer']],
  [/^(?:city|location|residence|lives? in|home|address|所在地|城市|居住地|住址)$/i, 'residence', ['residence', 'location']],
  [/^(?:hobbies|hobby|interests|爱好|兴趣|兴趣爱好)$/i, 'hobbies', ['hobby']],
];

const PREFERENCE_LABEL = /favou?rite|preferred|prefer|like|love|want|wish|care|dislike|hate|avoid|style|喜欢|偏好|最爱|想要|希望|关心|不喜欢|讨厌|风格/i;

/** Lines like "Note: ...", "Q: ...", "https://..." are not profile answers. */
const NOT_LABEL = /^(?:note|notes|q|a|question|answer|step \d+|http|https|ps|tip|example|eg|e\.g|todo|warning|error|问|答|注意|备注)$/i;

function isProfileLine(label: string, value: string): boolean {
  if (NOT_LABEL.test(label.trim()) || /^\/\//.test(value)) return false;
  if (detectLang(label) === 'en' && label.trim().split(/\s+/).length > 7) return false;
  return /[\p{L}\p{N}]/u.test(value);
}

function lineClause(msg: ExtractMessage, text: string): Clause {
  return {
    lang: detectLang(text),
    text,
    original: text,
    sentence: text,
    sentenceIndex: -1,
    mood: 'statement',
    correction: false,
    also: false,
    remember: false,
    negated: false,
    msg,
  };
}

function lineDraft(c: Clause, ctx: Context, label: string, value: string): ItemDraft {
  const zh = c.lang === 'zh';
  const known = KNOWN.find(([re]) => re.test(label.trim()));
  if (known) {
    const [, slot, tags] = known;
    const text = zh ? `用户的${label}：${value}。` : `The user's ${label.toLowerCase()}: ${value}.`;
    return fact(c, ctx, label, text, { stateKey: slot === 'hobbies' ? `hobby:${slug(value)}` : slot, tags });
  }
  const key = `profile:${slug(label)}`;
  const firstPerson = /\b(?:I|my|me)\b/.test(label);
  const en = firstPerson ? `${thirdPersonEn(label).replace(/\.$/, '')}: ${value}.` : `The user's ${label.charAt(0).toLowerCase()}${label.slice(1)}: ${value}.`;
  const text = zh ? `用户的${label.replace(/^我的?/, '')}：${value}。` : en;
  if (PREFERENCE_LABEL.test(label)) return explicit(c, text, key, ['preference', 'profile']);
  return fact(c, ctx, label, text, { stateKey: key, tags: ['profile'] });
}

/**
 * Pull profile lines out of a message. Only applies when the message has at least two such lines or a known
 * profile label, so a single "Note: ..." in prose is left to the clause rules.
 */
export function structuredLines(msg: ExtractMessage, ctx: Context): { drafts: ItemDraft[]; rest: string; clause: Clause } {
  const lines = msg.text.split(/\r?\n/);
  const hits = lines.map((l) => {
    const m = l.match(LINE);
    return m && isProfileLine(m[1], m[2]) ? { label: m[1].trim(), value: m[2].trim().replace(/[.。]$/u, '') } : undefined;
  });
  const count = hits.filter(Boolean).length;
  const clause = lineClause(msg, msg.text);
  if (!count || (count < 2 && !hits.some((h) => h && KNOWN.some(([re]) => re.test(h.label))))) return { drafts: [], rest: msg.text, clause };
  const drafts: ItemDraft[] = [];
  const rest: string[] = [];
  lines.forEach((l, i) => {
    const h = hits[i];
    if (h) drafts.push(lineDraft(lineClause(msg, l), ctx, h.label, h.value));
    else rest.push(l);
  });
  return { drafts, rest: rest.join('\n'), clause };
}
