/**
 * Time handling: chat_time comes as structured timestamps, LoCoMo/Coze-style English ("1:56 pm on 8 May, 2023"),
 * Chinese ("2025年9月12日 08:00") or free text. Values without a zone are read in the configured time zone.
 * Everything is stored as epoch milliseconds.
 */
import * as chrono from 'chrono-node';
import { numericTimeMs, timeInRange } from '../api/limits';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

// Building a DateTimeFormat costs far more than using one (about 0.1 ms): one per zone, reused.
const zonedFormats = new Map<string, Intl.DateTimeFormat>();
function zonedFormat(tz: string): Intl.DateTimeFormat {
  let f = zonedFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    zonedFormats.set(tz, f);
  }
  return f;
}

/** Wall-clock fields of an instant in `tz`. */
function zonedParts(ms: number, tz: string) {
  const parts = zonedFormat(tz).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** Offset (ms) of `tz` from UTC at the given instant. */
function tzOffset(utcMs: number, tz: string): number {
  if (tz === 'UTC') return 0;
  const w = zonedParts(utcMs, tz);
  const asUtc = Date.UTC(Number(w.y), Number(w.mo) - 1, Number(w.d), Number(w.h), Number(w.mi), Number(w.s));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Epoch ms of a wall-clock time in `tz`. */
export function zonedToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, tz: string): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - tzOffset(guess, tz);
  return guess - tzOffset(first, tz);
}

const valid = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;

function to24(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  const pm = /p/i.test(ampm) || ampm === '下午' || ampm === '晚上';
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

/**
 * Parse a chat_time value. Returns undefined when nothing sensible can be read, and for times outside the
 * years 1 to 9999 (requests are refused for those at validation; this keeps stored data formattable).
 */
export function parseChatTime(input: string | number | undefined | null, tz: string, now = Date.now()): number | undefined {
  const ms = readChatTime(input, tz, now);
  return ms !== undefined && timeInRange(ms) ? ms : undefined;
}

function readChatTime(input: string | number | undefined | null, tz: string, now: number): number | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === 'number') return numericTimeMs(input);
  const s = input.trim();
  if (!s) return undefined;
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{13}$/.test(s)) return Number(s);

  // 2025-09-12, 2025-09-12 08:00[:00][.123], 2025/09/12T08:00Z, with optional zone
  let m = s.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i);
  if (m) {
    const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    if (!valid(y, mo, d, h, mi, sec)) return undefined;
    return withZone(y, mo, d, h, mi, sec, m[7], tz);
  }
  // 2025年9月12日 [上午|下午] 8:00
  m = s.match(/^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?\s*(上午|下午|晚上|早上)?\s*(?:(\d{1,2})[:：点时](\d{1,2})?分?)?/);
  if (m) {
    const [y, mo, d] = [m[1], m[2], m[3]].map(Number);
    const h = to24(Number(m[5] ?? 0), m[4]);
    const mi = Number(m[6] ?? 0);
    if (!valid(y, mo, d, h, mi)) return undefined;
    return zonedToEpoch(y, mo, d, h, mi, 0, tz);
  }
  // 1:56 pm on 8 May, 2023 [UTC]   |   09:44 AM on 10 December, 2025 UTC
  m = s.match(/^(\d{1,2}):(\d{2})\s*(am|pm)?\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})\s*(UTC|GMT|Z)?$/i);
  if (m) {
    const mo = MONTHS.findIndex((x) => x.startsWith(m![5].toLowerCase().slice(0, 3))) + 1;
    const [y, d] = [Number(m[6]), Number(m[4])];
    const h = to24(Number(m[1]), m[3]);
    const mi = Number(m[2]);
    if (mo === 0 || !valid(y, mo, d, h, mi)) return undefined;
    return withZone(y, mo, d, h, mi, 0, m[7], tz);
  }
  // Anything else: natural language in English or Chinese, relative to now.
  const ref = { instant: new Date(now), timezone: tzOffset(now, tz) / 60000 };
  const parsed = chrono.parseDate(s, ref) ?? chrono.zh.parseDate(s, ref);
  if (parsed && !Number.isNaN(parsed.getTime())) return parsed.getTime();
  const native = Date.parse(s);
  return Number.isNaN(native) ? undefined : native;
}

function withZone(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: string | undefined, tz: string): number {
  if (!zone) return zonedToEpoch(y, mo, d, h, mi, s, tz);
  if (/^(z|utc|gmt)$/i.test(zone)) return Date.UTC(y, mo - 1, d, h, mi, s);
  const zm = zone.match(/^([+-])(\d{2}):?(\d{2})$/)!;
  const off = (Number(zm[2]) * 60 + Number(zm[3])) * 60000 * (zm[1] === '-' ? -1 : 1);
  return Date.UTC(y, mo - 1, d, h, mi, s) - off;
}

/**
 * A filter bound. A date-only upper bound covers the whole day (`lte 2025-12-31` includes the 31st), and a
 * date-only `gt` starts after that day.
 */
export function parseTimeBound(v: string, op: 'gt' | 'gte' | 'lt' | 'lte', tz: string): number | undefined {
  const dateOnly = /^\d{4}-\d{1,2}-\d{1,2}$/.test(v.trim());
  const ms = parseChatTime(v, tz);
  if (ms === undefined) return undefined;
  if (dateOnly && (op === 'lte' || op === 'gt')) return ms + 86_400_000 - 1;
  return ms;
}

const wall = zonedParts;

/** "2025-09-12 08:00" in the configured zone: the prompt template's memory time. */
export function formatShort(ms: number, tz: string): string {
  const w = wall(ms, tz);
  return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}`;
}

/** "09:44 AM on 10 December, 2025" (+ zone label): the fast-mode transcript line format. */
export function formatLong(ms: number, tz: string): string {
  const w = wall(ms, tz);
  const h = Number(w.h);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const label = tz === 'UTC' ? 'UTC' : tz;
  return `${String(h12).padStart(2, '0')}:${w.mi} ${h < 12 ? 'AM' : 'PM'} on ${Number(w.d)} ${MONTHS[Number(w.mo) - 1].replace(/^./, (c) => c.toUpperCase())}, ${w.y} ${label}`;
}

/** Calendar date "2025-09-12" in the zone. */
export function formatDate(ms: number, tz: string): string {
  const w = wall(ms, tz);
  return `${w.y}-${w.mo}-${w.d}`;
}
