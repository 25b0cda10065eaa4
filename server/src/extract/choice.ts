/**
 * Implicit preferences from choices: the assistant offers options ("7 Days Inn, Ji Hotel, Hilton"), the user
 * picks one ("I will choose 7 Days Inn"). The pick is recorded as an event, and what it says about the user
 * ("may prefer cost-effective hotels") as an implicit preference, with the offer as reasoning.
 */
import { TIERS } from './lexicon';
import { fact, implicit, type Context, type ItemDraft } from './model';
import type { Clause } from './clause';
import { detectLang, type Lang } from './text';
import type { ExtractMessage } from './types';

export interface Offer {
  assistant: ExtractMessage;
  /** The user message the assistant answered, if any. */
  ask?: ExtractMessage;
}

const TRAILING_ETC = /\s*(?:,?\s*(?:and|or)\s+(?:others|more|so on|many more|similar)|,?\s*etc\.?|,?\s*among others|等等|等)\s*$/i;

function cleanOption(s: string): string {
  return s
    .replace(/\*\*|__|`/g, '')
    .replace(TRAILING_ETC, '')
    .replace(/^(?:the|a|an|maybe|perhaps|either)\s+/i, '')
    .replace(/[.!?。！？:：;；]+$/u, '')
    .trim();
}

function plausible(options: string[], lang: Lang): string[] {
  const ok = options
    .map(cleanOption)
    .filter((o) => o && (lang === 'zh' ? o.length <= 14 : o.split(/\s+/).length <= 6 && o.length <= 48))
    .filter((o) => !/^(?:others?|more|so on|etc|其他|等)$/i.test(o));
  return [...new Set(ok)];
}

/** Options the assistant offered: a bulleted/numbered list, or an inline "consider A, B or C". */
export function offeredOptions(text: string): string[] {
  const lang = detectLang(text);
  const listed = text
    .split(/\r?\n/)
    .map((l) => l.match(/^\s*(?:\d+[.)、]|[-*•]|[（(]?\d+[）)])\s*(.+)$/)?.[1])
    .filter((l): l is string => !!l)
    .map((l) => l.replace(/\*\*/g, '').split(/\s+[-–—]\s+|[:：(（,，]/)[0]);
  const fromList = plausible(listed, lang);
  if (fromList.length >= 2) return fromList.slice(0, 10);
  const inline =
    lang === 'zh'
      ? text.match(/(?:可以考虑|推荐(?:你)?|比如|例如|可选(?:的有)?|可以选择|有|包括|选项有)[：:]?\s*([^。！？\n]+)/)
      : text.match(/\b(?:consider|options?(?:\s+(?:are|include))?|choose (?:from|between)|(?:could|can|might|may) (?:choose|pick|go with|stay at)|recommend(?:ed)?|suggest|such as|including|there (?:are|is)|try|like|either|pick from|go with)\s*:?\s+([^.!?\n]+)/i);
  if (!inline) return [];
  const parts = inline[1].split(lang === 'zh' ? /[、，,]|或者|或是|还是|以及|和|或/ : /\s*,\s*(?:and\s+|or\s+)?|\s+or\s+|\s+and\s+/i);
  const out = plausible(parts, lang);
  return out.length >= 2 ? out.slice(0, 10) : [];
}

const ORDINALS_EN: Array<[RegExp, (n: number) => number]> = [
  [/\b(?:the )?(?:first|1st) (?:one|option|choice)?|\boption (?:1|one)\b/i, () => 0],
  [/\b(?:the )?(?:second|2nd) (?:one|option|choice)?|\boption (?:2|two)\b/i, () => 1],
  [/\b(?:the )?(?:third|3rd) (?:one|option|choice)?|\boption (?:3|three)\b/i, () => 2],
  [/\b(?:the )?last (?:one|option|choice)\b/i, (n) => n - 1],
];
const ORDINALS_ZH: Array<[RegExp, (n: number) => number]> = [
  [/第一(?:个|家|种|款|项)|选1|1号/, () => 0],
  [/第二(?:个|家|种|款|项)|选2|2号/, () => 1],
  [/第三(?:个|家|种|款|项)|选3|3号/, () => 2],
  [/最后(?:一)?(?:个|家|种|款|项)/, (n) => n - 1],
];

const CHOICE_VERB_EN = /\b(?:choose|chose|pick|picked|take|took|go with|go for|went with|select|selected|book|booked|prefer|want|opt for|get|stay at|try|like|decided on|settle on|will do)\b/i;
const CHOICE_VERB_ZH = /选|要|订|定|就|用|住|买|试试|决定/;

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s'’".,!?-]+/g, '');
}

/** Which offered option the user picked, if they picked exactly one. */
export function chosenOption(userText: string, options: string[]): string | undefined {
  const lang = detectLang(userText);
  for (const [re, at] of lang === 'zh' ? ORDINALS_ZH : ORDINALS_EN) if (re.test(userText)) return options[at(options.length)];
  const text = norm(userText);
  const mentioned = options.filter((o) => norm(o).length >= 2 && text.includes(norm(o)));
  if (!mentioned.length) return undefined;
  const verb = lang === 'zh' ? CHOICE_VERB_ZH.test(userText) : CHOICE_VERB_EN.test(userText);
  const negated = (o: string) => new RegExp(`(?:not|n't|no|never|不要|不选|不想|别)\\s*(?:\\w+\\s+){0,2}${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i').test(userText);
  const kept = mentioned.filter((o) => !negated(o));
  if (kept.length === 1 && (verb || userText.length <= 40)) return kept[0];
  if (kept.length > 1 && verb) return kept.sort((a, b) => norm(userText).indexOf(norm(a)) - norm(userText).indexOf(norm(b)))[0];
  return undefined;
}

interface Category {
  key: string;
  en: string;
  enPlural: string;
  zh: string;
}

const CATEGORIES: Array<[RegExp, Category]> = [
  [/hotel|inn\b|hostel|motel|accommodation|lodging|resort|stay|酒店|宾馆|住宿|民宿|旅馆/i, { key: 'hotel', en: 'hotel', enPlural: 'hotels', zh: '酒店' }],
  [/flight|airline|air\b|airways|航班|航空|机票/i, { key: 'flight', en: 'flight', enPlural: 'flights', zh: '航班' }],
  [/restaurant|cuisine|dinner|lunch|餐厅|饭店|吃饭/i, { key: 'restaurant', en: 'restaurant', enPlural: 'restaurants', zh: '餐厅' }],
  [/fund|invest|portfolio|stock|bond|基金|理财|投资/i, { key: 'investment', en: 'investment', enPlural: 'investments', zh: '理财产品' }],
  [/phone|iphone|android|手机/i, { key: 'phone', en: 'phone', enPlural: 'phones', zh: '手机' }],
  [/laptop|computer|macbook|电脑|笔记本/i, { key: 'laptop', en: 'laptop', enPlural: 'laptops', zh: '电脑' }],
  [/\bcar\b|suv|sedan|汽车|车型/i, { key: 'car', en: 'car', enPlural: 'cars', zh: '汽车' }],
  [/dog food|cat food|pet food|kibble|狗粮|猫粮/i, { key: 'pet-food', en: 'pet food', enPlural: 'pet foods', zh: '宠物粮' }],
  [/plan\b|subscription|package|membership|套餐|会员/i, { key: 'plan', en: 'plan', enPlural: 'plans', zh: '套餐' }],
];

function categoryOf(text: string): Category {
  return CATEGORIES.find(([re]) => re.test(text))?.[1] ?? { key: 'option', en: 'option', enPlural: 'options', zh: '选项' };
}

function tierOf(option: string): 'budget' | 'mid' | 'premium' | undefined {
  return TIERS.find(([re]) => re.test(option))?.[1];
}

function priceOf(option: string, offerText: string): number | undefined {
  const line = offerText.split(/\r?\n|[;；]/).find((l) => l.includes(option)) ?? '';
  const m = line.match(/[$¥€£]\s?(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s*(?:元|块|dollars|usd|yuan|rmb)/i);
  const v = m ? Number((m[1] ?? m[2]).replace(/,/g, '')) : NaN;
  return Number.isFinite(v) ? v : undefined;
}

/** "budget" when the pick is the cheapest of the offer, "premium" when it is the dearest, else undefined. */
function relativeTier(chosen: string, options: string[], offerText: string): 'budget' | 'premium' | undefined {
  const rank = { budget: 0, mid: 1, premium: 2 } as const;
  const mine = tierOf(chosen);
  const others = options.filter((o) => o !== chosen).map(tierOf).filter((t): t is 'budget' | 'mid' | 'premium' => !!t);
  if (mine && others.length) {
    if (others.every((t) => rank[t] > rank[mine])) return 'budget';
    if (others.every((t) => rank[t] < rank[mine])) return 'premium';
  }
  const prices = options.map((o) => priceOf(o, offerText));
  const p = priceOf(chosen, offerText);
  if (p !== undefined && prices.filter((x) => x !== undefined).length >= 2) {
    const known = prices.filter((x): x is number => x !== undefined);
    if (p <= Math.min(...known) && p < Math.max(...known)) return 'budget';
    if (p >= Math.max(...known) && p > Math.min(...known)) return 'premium';
  }
  return undefined;
}

function listEn(xs: string[]): string {
  return xs.length <= 2 ? xs.join(' and ') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/**
 * The choice the user made in `clause`'s message among the options of `offer`, as a choice event plus an
 * implicit preference; undefined when the message picks nothing.
 */
export function inferChoice(user: ExtractMessage, offer: Offer, ctx: Context, clause: Clause): ItemDraft[] | undefined {
  const options = offeredOptions(offer.assistant.text);
  if (options.length < 2) return undefined;
  const chosen = chosenOption(user.text, options);
  if (!chosen) return undefined;
  const cat = categoryOf(`${offer.ask?.text ?? ''} ${offer.assistant.text} ${options.join(' ')}`);
  const others = options.filter((o) => o !== chosen);
  const tier = relativeTier(chosen, options, offer.assistant.text);
  const sources = [offer.ask?.index, offer.assistant.index, user.index].filter((i): i is number => i !== undefined);
  const zh = detectLang(user.text) === 'zh';
  const tags = ['choice', cat.key, ...(cat.key === 'hotel' || cat.key === 'flight' ? ['travel'] : [])];
  const event = fact(
    clause,
    ctx,
    zh ? `选择：${chosen}` : `Choice: ${chosen}`,
    zh
      ? `用户选择了${chosen}作为${cat.zh}${ctx.trip ? `（${ctx.trip}）` : ''}，可选项有：${options.join('、')}。`
      : `The user chose ${chosen}${cat.key === 'option' ? '' : ` as the ${cat.en}`}${ctx.trip ? ` for ${ctx.trip}` : ''} (options offered: ${options.join(', ')}).`,
    { event: true, tags },
  );
  event.sourceIndexes = sources;
  const reasoning = zh
    ? `助手提供了${options.join('、')}，用户选择了${chosen}${tier === 'budget' ? '（其中最经济的选项）' : tier === 'premium' ? '（其中最高端的选项）' : ''}。`
    : `When offered ${listEn(options)}, the user chose ${chosen}${tier === 'budget' ? ', the most affordable option' : tier === 'premium' ? ', the most upscale option' : ''}.`;
  const text = zh
    ? tier === 'budget'
      ? `用户可能偏好性价比高的${cat.zh}（经济型${cat.zh}）。`
      : tier === 'premium'
        ? `用户可能偏好高端${cat.zh}。`
        : `用户在选择${cat.zh}时可能偏好${chosen}，而不是${others.join('、')}。`
    : tier === 'budget'
      ? `The user may prefer cost-effective (budget) ${cat.enPlural}.`
      : tier === 'premium'
        ? `The user may prefer high-end (premium) ${cat.enPlural}.`
        : `The user may prefer ${chosen} over ${listEn(others)} when choosing ${cat.enPlural}.`;
  const pref = implicit(text, reasoning, tier ? `${cat.key}:tier` : `choice:${cat.key}`, ['preference', ...tags], sources);
  return [event, pref];
}
