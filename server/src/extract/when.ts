/**
 * Resolve relative time expressions ("yesterday", "last National Day", "on Saturday", "去年国庆") against the
 * time the message was said, so an event memory carries an absolute date ("(7 May 2023)") that later questions
 * like "when did ..." can be answered from, long after "yesterday" stopped meaning anything.
 */
import type { Lang } from './text';

interface Day {
  y: number;
  m: number; // 1-12
  d: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS_EN = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY_ABBR: Record<string, number> = { sun: 0, mon: 1, tue: 2, tues: 2, wed: 3, thu: 4, thur: 4, thurs: 4, fri: 5, sat: 6 };
const WEEKDAYS_ZH: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

/** Calendar day of an instant in a time zone. */
/** Building a formatter costs far more than using one, and every extracted item asks for its day. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(tz: string): Intl.DateTimeFormat {
  let f = dayFormatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      // An unknown zone falls back to UTC rather than failing the extraction.
      f = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    dayFormatters.set(tz, f);
  }
  return f;
}

export function localDay(ms: number, tz: string): Day {
  const parts = dayFormatter(tz).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

function addDays(day: Day, n: number): Day {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function weekday(day: Day): number {
  return new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay();
}

function cmp(a: Day, b: Day): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

function fmtDay(day: Day, lang: Lang): string {
  return lang === 'zh' ? `${day.y}年${day.m}月${day.d}日` : `${day.d} ${MONTHS[day.m - 1]} ${day.y}`;
}

function fmtMonth(y: number, m: number, lang: Lang): string {
  const t = new Date(Date.UTC(y, m - 1, 1));
  const yy = t.getUTCFullYear();
  const mm = t.getUTCMonth() + 1;
  return lang === 'zh' ? `${yy}年${mm}月` : `${MONTHS[mm - 1]} ${yy}`;
}

function fmtYear(y: number, lang: Lang): string {
  return lang === 'zh' ? `${y}年` : String(y);
}

/** Fixed-date holidays, plus the lunar new year by table (the years this server will plausibly see). */
const HOLIDAYS: Array<[RegExp, (y: number) => Day]> = [
  [/national day|国庆/i, (y) => ({ y, m: 10, d: 1 })],
  [/may day|labou?r day|五一|劳动节/i, (y) => ({ y, m: 5, d: 1 })],
  [/new year'?s? day|new year|元旦/i, (y) => ({ y, m: 1, d: 1 })],
  [/christmas|圣诞/i, (y) => ({ y, m: 12, d: 25 })],
  [/valentine'?s? day|情人节/i, (y) => ({ y, m: 2, d: 14 })],
  [/halloween|万圣节/i, (y) => ({ y, m: 10, d: 31 })],
  [/independence day|fourth of july|4th of july/i, (y) => ({ y, m: 7, d: 4 })],
  [/spring festival|chinese new year|lunar new year|春节|过年/i, (y) => LUNAR_NEW_YEAR[y] ?? { y, m: 2, d: 1 }],
];

const LUNAR_NEW_YEAR: Record<number, Day> = {
  2019: { y: 2019, m: 2, d: 5 }, 2020: { y: 2020, m: 1, d: 25 }, 2021: { y: 2021, m: 2, d: 12 },
  2022: { y: 2022, m: 2, d: 1 }, 2023: { y: 2023, m: 1, d: 22 }, 2024: { y: 2024, m: 2, d: 10 },
  2025: { y: 2025, m: 1, d: 29 }, 2026: { y: 2026, m: 2, d: 17 }, 2027: { y: 2027, m: 2, d: 6 },
  2028: { y: 2028, m: 1, d: 26 }, 2029: { y: 2029, m: 2, d: 13 }, 2030: { y: 2030, m: 2, d: 3 },
};

const NUM_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, couple: 2, few: 3, 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10,
};

function num(s: string): number {
  return NUM_WORDS[s.toLowerCase()] ?? Number(s);
}

/** Whether the clause talks about the past (so "on Saturday" means the Saturday before, not after). */
export function isPastTense(text: string, lang: Lang): boolean {
  if (lang === 'zh') return /了|过|昨|前天|上周|上个|去年|前年|之前|以前|刚才|刚刚/.test(text) && !/明天|下周|下个|明年|打算|计划|准备|将要|要去|会去/.test(text);
  if (/\b(?:will|going to|gonna|plan(?:ning)? to|next|tomorrow|upcoming|this coming|intend|about to|hope to|want to)\b/i.test(text)) return false;
  return /\b(?:yesterday|ago|last|was|were|did|had)\b/i.test(text) || /\b(?:I|we|he|she|they)\s+(?:\w+\s+)?\w+ed\b/i.test(text) ||
    /\b(?:went|bought|ran|ate|saw|got|took|came|met|paid|spent|flew|drove|swam|visited|traveled|travelled)\b/i.test(text);
}

interface Hit {
  /** The text to add after the statement, e.g. "7 May 2023". */
  label: string;
}

type Resolver = (m: RegExpMatchArray, today: Day, past: boolean, lang: Lang) => Hit | undefined;

function holiday(name: string, which: 'last' | 'this' | 'next' | 'lastyear' | 'nextyear' | 'bare', today: Day, past: boolean, lang: Lang): Hit | undefined {
  const h = HOLIDAYS.find(([re]) => re.test(name));
  if (!h) return undefined;
  const at = h[1];
  let day: Day;
  if (which === 'lastyear') day = at(today.y - 1);
  else if (which === 'nextyear') day = at(today.y + 1);
  else if (which === 'this') day = at(today.y);
  else if (which === 'last' || (which === 'bare' && past)) {
    day = at(today.y);
    if (cmp(day, today) >= 0) day = at(today.y - 1);
  } else {
    day = at(today.y);
    if (cmp(day, today) < 0) day = at(today.y + 1);
  }
  return { label: fmtMonth(day.y, day.m, lang) };
}

function weekdayHit(target: number, which: 'last' | 'this' | 'next' | 'bare', today: Day, past: boolean, lang: Lang): Hit {
  const wd = weekday(today);
  let delta: number;
  if (which === 'last' || (which === 'bare' && past)) delta = -(((wd - target + 7) % 7) || 7);
  else if (which === 'next') delta = (target - wd + 7) % 7 || 7;
  else delta = (target - wd + 7) % 7;
  return { label: fmtDay(addDays(today, delta), lang) };
}

const EN_RESOLVERS: Array<[RegExp, Resolver]> = [
  [/\bthe day before yesterday\b/i, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, -2), l) })],
  [/\bthe day after tomorrow\b/i, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, 2), l) })],
  [/\b(?:yesterday|last night)\b/i, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, -1), l) })],
  [/\b(?:today|tonight|this (?:morning|afternoon|evening))\b/i, (_m, t, _p, l) => ({ label: fmtDay(t, l) })],
  [/\btomorrow\b/i, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, 1), l) })],
  [/\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple|few|\d+)(?: of)? days? ago\b/i, (m, t, _p, l) => ({ label: fmtDay(addDays(t, -num(m[1])), l) })],
  [/\b(a|an|one|two|three|four|couple|few|\d+)(?: of)? weeks? ago\b/i, (m, t, _p, l) => ({ label: `the week of ${fmtDay(addDays(t, -7 * num(m[1])), l)}` })],
  [/\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|couple|few|\d+)(?: of)? months? ago\b/i, (m, t, _p, l) => ({ label: fmtMonth(t.y, t.m - num(m[1]), l) })],
  [/\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple|few|\d+)(?: of)? years? ago\b/i, (m, t, _p, l) => ({ label: fmtYear(t.y - num(m[1]), l) })],
  [/\blast weekend\b/i, (_m, t, _p, l) => ({ label: `the weekend before ${fmtDay(t, l)}` })],
  [/\b(?:this|the|next) weekend\b/i, (m, t, p, l) => {
    const sat = weekdayHit(6, /next/i.test(m[0]) ? 'next' : p ? 'last' : 'this', t, p, l);
    return { label: `the weekend of ${sat.label}` };
  }],
  [/\blast week\b/i, (_m, t, _p, l) => ({ label: `the week before ${fmtDay(t, l)}` })],
  [/\bnext week\b/i, (_m, t, _p, l) => ({ label: `the week after ${fmtDay(t, l)}` })],
  [/\bthis week\b/i, (_m, t, _p, l) => ({ label: `the week of ${fmtDay(t, l)}` })],
  [/\blast month\b/i, (_m, t, _p, l) => ({ label: fmtMonth(t.y, t.m - 1, l) })],
  [/\bnext month\b/i, (_m, t, _p, l) => ({ label: fmtMonth(t.y, t.m + 1, l) })],
  [/\bthis month\b/i, (_m, t, _p, l) => ({ label: fmtMonth(t.y, t.m, l) })],
  [/\blast year'?s?\s+((?:[A-Z][a-z']+\s?){1,3})(?:holiday)?/, (m, t, p, l) => holiday(m[1], 'lastyear', t, p, l)],
  [/\bthis year'?s?\s+((?:[A-Z][a-z']+\s?){1,3})(?:holiday)?/, (m, t, p, l) => holiday(m[1], 'this', t, p, l)],
  [/\b(last|this|next)\s+((?:National|May|Labou?r|New Year'?s?|Christmas|Valentine'?s?|Halloween|Independence|Spring|Chinese New|Lunar New)(?:\s+(?:Day|Year|Festival|Eve))?)/i, (m, t, p, l) => holiday(m[2], m[1].toLowerCase() as 'last' | 'this' | 'next', t, p, l)],
  [/\b(?:on|during|over|for|at|spent|celebrated|since)\s+(?:the\s+)?(National Day|May Day|Labou?r Day|New Year'?s? Day|Christmas|Valentine'?s? Day|Halloween|Spring Festival|Chinese New Year|Lunar New Year)/i, (m, t, p, l) => holiday(m[1], 'bare', t, p, l)],
  [/\b(last|this|next|in|since|during|on)\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)/, (m, t, p, l) => {
    const month = MONTHS.indexOf(m[2]) + 1;
    const which = m[1].toLowerCase();
    let y = t.y;
    if (which === 'last' || ((which === 'in' || which === 'since' || which === 'during' || which === 'on') && p)) y = month < t.m ? t.y : t.y - 1;
    else if (which === 'next' || (which !== 'this' && !p)) y = month > t.m ? t.y : t.y + 1;
    return { label: fmtMonth(y, month, l) };
  }],
  [/\blast year\b/i, (_m, t, _p, l) => ({ label: fmtYear(t.y - 1, l) })],
  [/\bnext year\b/i, (_m, t, _p, l) => ({ label: fmtYear(t.y + 1, l) })],
  [/\b(last|this|next|on|coming)\s+(sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tues?|wed|thu(?:rs?)?|fri|sat)\b/i, (m, t, p, l) => {
    const key = m[2].toLowerCase();
    const target = WEEKDAYS_EN.indexOf(key) >= 0 ? WEEKDAYS_EN.indexOf(key) : WEEKDAY_ABBR[key];
    const which = m[1].toLowerCase();
    return weekdayHit(target, which === 'on' ? 'bare' : which === 'coming' ? 'this' : (which as 'last' | 'this' | 'next'), t, p, l);
  }],
];

const ZH_RESOLVERS: Array<[RegExp, Resolver]> = [
  [/前天/, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, -2), l) })],
  [/后天/, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, 2), l) })],
  [/昨天|昨晚|昨日/, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, -1), l) })],
  [/今天|今晚|今早|今日|今天早上/, (_m, t, _p, l) => ({ label: fmtDay(t, l) })],
  [/明天|明早|明晚/, (_m, t, _p, l) => ({ label: fmtDay(addDays(t, 1), l) })],
  [/(\d+|[一两二三四五六七八九十])天前/, (m, t, _p, l) => ({ label: fmtDay(addDays(t, -num(m[1])), l) })],
  [/(\d+|[一两二三四五六七八九十])(?:个)?月前/, (m, t, _p, l) => ({ label: fmtMonth(t.y, t.m - num(m[1]), l) })],
  [/(\d+|[一两二三四五六七八九十])年前/, (m, t, _p, l) => ({ label: fmtYear(t.y - num(m[1]), l) })],
  [/(去年|今年|明年|上个|上一个|这个|下个|下一个)?(?:的)?(国庆|五一|劳动节|元旦|春节|过年|圣诞|情人节|万圣节)/, (m, t, p, l) => {
    const which = ({ 去年: 'lastyear', 今年: 'this', 明年: 'nextyear', 上个: 'last', 上一个: 'last', 这个: 'this', 下个: 'next', 下一个: 'next' } as const)[m[1] as '去年'] ?? 'bare';
    return holiday(m[2], which, t, p, l);
  }],
  [/(上|下|这|本)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])/, (m, t, p, l) => {
    const which = ({ 上: 'last', 下: 'next', 这: 'this', 本: 'this' } as const)[m[1] as '上'] ?? 'bare';
    return weekdayHit(WEEKDAYS_ZH[m[2]], which, t, p, l);
  }],
  [/上(?:个)?周末/, (_m, t, _p, l) => ({ label: `${fmtDay(t, l)}之前的那个周末` })],
  [/(?:这|本|下)?(?:个)?周末/, (m, t, p, l) => ({ label: `${weekdayHit(6, m[0].startsWith('下') ? 'next' : 'this', t, p, l).label}所在的周末` })],
  [/上(?:个)?(?:周|星期|礼拜)/, (_m, t, _p, l) => ({ label: `${fmtDay(t, l)}的前一周` })],
  [/下(?:个)?(?:周|星期|礼拜)/, (_m, t, _p, l) => ({ label: `${fmtDay(t, l)}的后一周` })],
  [/上个月/, (_m, t, _p, l) => ({ label: fmtMonth(t.y, t.m - 1, l) })],
  [/下个月/, (_m, t, _p, l) => ({ label: fmtMonth(t.y, t.m + 1, l) })],
  [/(去年|今年|明年)?(\d{1,2}|十[一二]?|[一二三四五六七八九])月份?(?!\d|[日号])/, (m, t, p, l) => {
    const month = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2].startsWith('十') ? 10 + (m[2] === '十一' ? 1 : m[2] === '十二' ? 2 : 0) : num(m[2]);
    if (!(month >= 1 && month <= 12)) return undefined;
    let y = t.y;
    if (m[1] === '去年') y = t.y - 1;
    else if (m[1] === '明年') y = t.y + 1;
    else if (!m[1]) y = p ? (month <= t.m ? t.y : t.y - 1) : month >= t.m ? t.y : t.y + 1;
    return { label: fmtMonth(y, month, l) };
  }],
  [/前年/, (_m, t, _p, l) => ({ label: fmtYear(t.y - 2, l) })],
  [/去年/, (_m, t, _p, l) => ({ label: fmtYear(t.y - 1, l) })],
  [/明年/, (_m, t, _p, l) => ({ label: fmtYear(t.y + 1, l) })],
];

/**
 * The absolute date a relative expression in `text` points at, as a label ("7 May 2023", "October 2024",
 * "the week before 9 June 2023"), or undefined when the text has no relative expression.
 */
export function resolveWhen(text: string, at: number, tz: string, lang: Lang): string | undefined {
  const today = localDay(at, tz);
  const past = isPastTense(text, lang);
  for (const [re, resolve] of lang === 'zh' ? ZH_RESOLVERS : EN_RESOLVERS) {
    const m = text.match(re);
    if (!m) continue;
    const hit = resolve(m, today, past, lang);
    if (hit) return hit.label;
  }
  return undefined;
}

/** Append the resolved date to a statement: "The user went to Xi'an last National Day (October 2025)." */
export function withWhen(value: string, source: string, at: number, tz: string, lang: Lang): string {
  const label = resolveWhen(source, at, tz, lang);
  if (!label) return value;
  if (lang === 'zh') return value.replace(/。$/u, `（${label}）。`);
  return value.replace(/\.$/, ` (${label}).`);
}
