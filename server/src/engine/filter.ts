/**
 * The filter language of contract §4.4, parsed into a small tree the stores translate to their own query
 * language. Parsing is strict: anything outside the grammar is a 40000 with the offending path in the message,
 * because a silently ignored filter would leak memories across agents.
 */
import { ApiError, ErrorCode } from '../errors';
import type { FilterNode, TimeField, TimeOp } from '../store/filter';
import { parseTimeBound } from './time';

// The tree itself belongs to the store layer; re-exported for the engine modules that combine filters.
export { both, type FilterNode } from '../store/filter';

export interface ParsedFilter {
  /** Applies to every source (global mode). */
  global?: FilterNode;
  user?: FilterNode;
  public?: FilterNode;
  knowledgebase?: FilterNode;
}

const TIME_FIELDS = new Set<string>(['create_time', 'update_time']);
const TIME_OPS = new Set<string>(['gt', 'gte', 'lt', 'lte']);
const SOURCE_KEYS = new Set(['user', 'public', 'knowledgebase']);
const FORBIDDEN_FIELDS = new Set(['user_id', 'info', 'memory_id', 'id', 'conversation_id', 'knowledgebase_id']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 100;

const bad = (path: string, why: string): never => {
  throw new ApiError(ErrorCode.InvalidParams, `filter${path}: ${why}`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseFilter(raw: unknown, timezone: string): ParsedFilter | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) return bad('', 'must be an object such as {"and": [{"agent_id": "a1"}]}');
  const keys = Object.keys(raw);
  if (keys.length === 0) return undefined;
  const counter = { n: 0 };
  const isGroup = keys.some((k) => k === 'and' || k === 'or');
  const isSource = keys.some((k) => SOURCE_KEYS.has(k));
  if (isGroup && isSource) return bad('', 'mixes a global "and"/"or" group with source keys (user/public/knowledgebase); use one or the other');
  if (isGroup) {
    if (keys.length !== 1) return bad('', 'the root must hold exactly one "and" or "or" group');
    return { global: parseGroup(raw, '', 1, timezone, counter) };
  }
  if (isSource) {
    const out: ParsedFilter = {};
    for (const k of keys) {
      if (!SOURCE_KEYS.has(k)) return bad(`.${k}`, 'unknown source key; expected user, public or knowledgebase');
      const g = raw[k];
      if (!isPlainObject(g)) return bad(`.${k}`, 'must be an {"and": [...]} or {"or": [...]} group');
      out[k as 'user' | 'public' | 'knowledgebase'] = parseGroup(g, `.${k}`, 1, timezone, counter);
    }
    return out;
  }
  return bad('', `unknown key "${keys[0]}"; the root must be {"and": [...]}, {"or": [...]} or source keys user/public/knowledgebase`);
}

function parseGroup(obj: Record<string, unknown>, path: string, depth: number, tz: string, counter: { n: number }): FilterNode {
  if (depth > MAX_DEPTH) return bad(path, `nesting deeper than ${MAX_DEPTH} levels`);
  const keys = Object.keys(obj);
  if (keys.length !== 1 || (keys[0] !== 'and' && keys[0] !== 'or')) return bad(path, 'a group must have exactly one key, "and" or "or"');
  const op = keys[0] as 'and' | 'or';
  const list = obj[op];
  if (!Array.isArray(list)) return bad(`${path}.${op}`, 'must be a list of conditions');
  if (list.length === 0) return bad(`${path}.${op}`, 'must not be empty');
  const children = list.map((c, i) => parseCondition(c, `${path}.${op}[${i}]`, depth + 1, tz, counter));
  return { op, children };
}

function parseCondition(c: unknown, path: string, depth: number, tz: string, counter: { n: number }): FilterNode {
  if (!isPlainObject(c)) return bad(path, 'a condition must be an object such as {"agent_id": "a1"}');
  if (++counter.n > MAX_CONDITIONS) return bad(path, `more than ${MAX_CONDITIONS} conditions`);
  const keys = Object.keys(c);
  if (keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or')) return parseGroup(c, path, depth, tz, counter);
  if (keys.length !== 1) return bad(path, 'a condition must have exactly one field; put several in an "and" group');
  const field = keys[0];
  const value = c[field];
  if (FORBIDDEN_FIELDS.has(field)) {
    if (field === 'user_id') return bad(`${path}.user_id`, 'user_id is not allowed in a filter; pass it as the request field user_id');
    if (field === 'info') return bad(`${path}.info`, 'info keys are used bare, e.g. {"scene": "chat"}, not {"info": {...}}');
    return bad(`${path}.${field}`, `${field} cannot be filtered on`);
  }
  if (field === 'tags') {
    if (!isPlainObject(value) || Object.keys(value).length !== 1 || typeof value.contains !== 'string' || value.contains === '')
      return bad(`${path}.tags`, 'must be {"contains": "<tag>"}');
    return { op: 'tagContains', tag: value.contains };
  }
  if (TIME_FIELDS.has(field)) {
    if (!isPlainObject(value) || Object.keys(value).length === 0)
      return bad(`${path}.${field}`, 'must be an object of operators, e.g. {"gte": "2025-01-01"}');
    const parts: FilterNode[] = [];
    for (const [cmp, v] of Object.entries(value)) {
      if (!TIME_OPS.has(cmp)) return bad(`${path}.${field}.${cmp}`, 'unknown operator; expected gt, gte, lt or lte');
      if (typeof v !== 'string') return bad(`${path}.${field}.${cmp}`, 'must be a date ("2025-12-31") or datetime string');
      const ms = parseTimeBound(v, cmp as TimeOp, tz);
      if (ms === undefined) return bad(`${path}.${field}.${cmp}`, `"${v}" is not a date or datetime`);
      parts.push({ op: 'time', field: field as TimeField, cmp: cmp as TimeOp, value: ms });
    }
    return parts.length === 1 ? parts[0] : { op: 'and', children: parts };
  }
  const name = field.startsWith('info.') ? field.slice(5) : field;
  if (!FIELD_NAME.test(name)) return bad(`.${field}`, 'is not a valid field name');
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    return bad(`${path}.${field}`, 'equality conditions take a string value');
  return { op: 'eq', field: name, value: String(value) };
}
