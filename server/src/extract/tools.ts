/**
 * Tool memories (contract §2.4, §4.13): schemas embedded in system prompts become ToolSchemaMemory items, and
 * each user turn that led to tool calls becomes one ToolTrajectoryMemory telling what was asked, which tool ran
 * with which arguments, what came back, and what to do next time. Nothing here throws on malformed JSON.
 */
import { detectLang } from './text';
import type { ExtractedTool, ExtractMessage, ToolCall } from './types';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

interface ToolSchema {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function tryParse(s: string): Json | undefined {
  try {
    return JSON.parse(s) as Json;
  } catch {
    return undefined;
  }
}

/** Bounds that keep the scan of a long prompt with stray brackets roughly linear. */
const MAX_JSON_CHARS = 50_000;
const MAX_UNBALANCED = 200;

/** End index (exclusive) of the bracketed JSON value starting at `start`, respecting strings; -1 if unbalanced. */
function matchBracket(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  const end = Math.min(text.length, start + MAX_JSON_CHARS);
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (!stack.length) return i + 1;
    }
  }
  return -1;
}

/** Every top-level JSON object or array embedded in prose ("You can call these tools: [...]"). */
export function embeddedJson(text: string): Json[] {
  const out: Json[] = [];
  const s = text.length > 200_000 ? text.slice(0, 200_000) : text;
  let unbalanced = 0;
  for (let i = 0; i < s.length && unbalanced < MAX_UNBALANCED; i++) {
    if (s[i] !== '{' && s[i] !== '[') continue;
    const end = matchBracket(s, i);
    if (end < 0) {
      unbalanced++;
      continue;
    }
    const parsed = tryParse(s.slice(i, end));
    if (parsed !== undefined && typeof parsed === 'object' && parsed !== null) {
      out.push(parsed);
      i = end - 1;
    }
  }
  return out;
}

const TOOL_NAME = /^[A-Za-z_][\w.-]{0,63}$/;

/** OpenAI {"type":"function","function":{...}}, bare {name, description, parameters}, Anthropic input_schema, or lists of them. */
function collectSchemas(v: Json, out: ToolSchema[]): void {
  if (Array.isArray(v)) {
    v.forEach((x) => collectSchemas(x, out));
    return;
  }
  if (!isObject(v)) return;
  const fn = isObject(v.function) ? v.function : v;
  const params = fn.parameters ?? fn.input_schema ?? fn.inputSchema;
  if (typeof fn.name === 'string' && TOOL_NAME.test(fn.name) && (isObject(params) || typeof fn.description === 'string')) {
    out.push({
      name: fn.name,
      description: typeof fn.description === 'string' ? fn.description : '',
      parameters: isObject(params) ? params : { type: 'object', properties: {} },
    });
    return;
  }
  for (const key of ['tools', 'functions']) if (Array.isArray(v[key])) collectSchemas(v[key] as Json, out);
}

export function toolSchemasIn(text: string): ToolSchema[] {
  const out: ToolSchema[] = [];
  for (const j of embeddedJson(text)) collectSchemas(j, out);
  return out;
}

function schemaMemories(messages: ExtractMessage[]): ExtractedTool[] {
  const byName = new Map<string, ExtractedTool>();
  for (const m of messages) {
    if (m.role !== 'system') continue;
    for (const s of toolSchemasIn(m.text)) {
      const prev = byName.get(s.name);
      // A later definition of the same tool updates the earlier one (contract: "deduplicated and updated").
      byName.set(s.name, {
        type: 'ToolSchemaMemory',
        key: s.name,
        value: { name: s.name, description: s.description, parameters: s.parameters },
        tags: ['tool', 'schema', s.name],
        sourceIndexes: [...new Set([...(prev?.sourceIndexes ?? []), m.index])],
        time: m.time,
      });
    }
  }
  return [...byName.values()];
}

// ---------------------------------------------------------------- trajectories

function clip(s: string, n: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

function scalar(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return clip(JSON.stringify(v), 80);
}

interface Args {
  text: string;
  keys: string[];
  values: string[];
  valid: boolean;
}

function parseArgs(raw: string): Args {
  const trimmed = (raw ?? '').trim();
  if (!trimmed) return { text: 'no arguments', keys: [], values: [], valid: true };
  const parsed = tryParse(trimmed);
  if (isObject(parsed)) {
    const entries = Object.entries(parsed);
    if (!entries.length) return { text: 'no arguments', keys: [], values: [], valid: true };
    return { text: entries.map(([k, v]) => `${k}=${scalar(v)}`).join(', '), keys: entries.map(([k]) => k), values: entries.map(([, v]) => scalar(v)), valid: true };
  }
  return { text: `unparsed arguments ${clip(trimmed, 80)}`, keys: [], values: [], valid: false };
}

interface Outcome {
  ok: boolean;
  error: string;
  summary: string;
  fields: string[];
}

const ERROR_TEXT = /^(?:error|exception|traceback|failed)\b|\b(?:error|exception|failed|failure|not found|invalid|timed? ?out|unauthori[sz]ed|forbidden|denied|rate limit(?:ed)?|unavailable)\b/i;

function errorOf(o: JsonObject): string | undefined {
  for (const k of ['error', 'errors', 'exception', 'err', 'error_message', 'errorMessage']) {
    const v = o[k];
    if (v !== undefined && v !== null && v !== false && v !== '') return isObject(v) && typeof v.message === 'string' ? v.message : scalar(v);
  }
  if (typeof o.status === 'string' && /^(?:error|failed|failure|fail)$/i.test(o.status)) return typeof o.message === 'string' ? o.message : o.status;
  if (o.success === false || o.ok === false) return typeof o.message === 'string' ? o.message : 'the tool reported failure';
  return undefined;
}

/** Result fields worth telling, minus the ones that only echo an argument back. */
function summarise(o: JsonObject, args: Args): { summary: string; fields: string[] } {
  const entries = Object.entries(o);
  const fresh = entries.filter(([, v]) => !args.values.includes(scalar(v)));
  const shown = (fresh.length ? fresh : entries).slice(0, 8);
  return { summary: clip(shown.map(([k, v]) => `${k} ${scalar(v)}`).join(', '), 300), fields: shown.map(([k]) => k) };
}

function outcomeOf(result: ExtractMessage | undefined, args: Args): Outcome {
  if (!result) return { ok: false, error: 'no result returned', summary: 'no result returned', fields: [] };
  const text = result.text.trim();
  const parsed = tryParse(text);
  if (isObject(parsed)) {
    const err = errorOf(parsed);
    if (err) return { ok: false, error: 'error in result', summary: `error: ${clip(err, 200)}`, fields: [] };
    return { ok: true, error: '', ...summarise(parsed, args) };
  }
  if (Array.isArray(parsed)) {
    const first = parsed.find(isObject);
    const inner = first ? summarise(first, args) : { summary: '', fields: [] };
    return { ok: true, error: '', summary: `${parsed.length} item(s)${inner.summary ? `, first: ${inner.summary}` : ''}`, fields: inner.fields };
  }
  if (!text) return { ok: false, error: 'empty result', summary: 'an empty result', fields: [] };
  if (ERROR_TEXT.test(text.slice(0, 200))) return { ok: false, error: 'error in result', summary: `error: ${clip(text, 200)}`, fields: [] };
  return { ok: true, error: '', summary: clip(text, 300), fields: [] };
}

interface Step {
  call: ToolCall;
  args: Args;
  outcome: Outcome;
  indexes: number[];
}

/** What the tool is about, from its name: get_weather → "weather", searchFlights → "flights". */
function topicOf(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[_\s.-]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
  const rest = words[0] && /^(?:get|fetch|search|query|lookup|look|find|list|create|send|book|check|read|retrieve|load|call|run|do|make)$/.test(words[0]) ? words.slice(1) : words;
  return (rest.length ? rest : words).join(' ');
}

function paramNames(step: Step, schemas: Map<string, ToolSchema>): string[] {
  const schema = schemas.get(step.call.name);
  const required = schema && Array.isArray((schema.parameters as { required?: unknown }).required) ? ((schema.parameters as { required: unknown[] }).required.filter((x) => typeof x === 'string') as string[]) : [];
  return required.length ? required : step.args.keys;
}

function toolExperience(name: string, steps: Step[], schemas: Map<string, ToolSchema>, zh: boolean): string {
  const last = steps[steps.length - 1];
  const params = paramNames(last, schemas);
  const p = params.length ? params.join(', ') : zh ? '参数' : 'arguments';
  const returns = last.outcome.fields.length ? last.outcome.fields.join(', ') : zh ? '结果' : 'a result';
  if (!last.args.valid)
    return zh ? `调用 '${name}' 时参数不是合法的 JSON；应传入包含 ${p} 的 JSON 对象。` : `'${name}' was called with arguments that are not valid JSON; pass a JSON object with ${p}.`;
  if (!last.outcome.ok)
    return zh ? `'${name}' 以 ${last.args.text} 调用时失败（${last.outcome.summary}）；重试前请检查 ${p}。` : `'${name}' failed when called with ${last.args.text} (${last.outcome.summary}); check ${p} before retrying.`;
  const desc = schemas.get(name)?.description;
  return zh
    ? `'${name}' 需要有效的 ${p} 参数（例如 ${last.args.text}），返回 ${returns}。`
    : `The '${name}' tool requires a valid ${p} (e.g. ${last.args.text}) and returns ${returns}${desc ? `; it is for: ${clip(desc, 120)}` : ''}.`;
}

function experienceOf(steps: Step[], schemas: Map<string, ToolSchema>, zh: boolean): string {
  const names = [...new Set(steps.map((s) => s.call.name))];
  const first = steps[0];
  const params = paramNames(first, schemas);
  const topic = topicOf(first.call.name);
  const failed = steps.find((s) => !s.outcome.ok || !s.args.valid);
  let text: string;
  if (zh) {
    text = names.length === 1
      ? `当用户询问${topic}相关问题时，调用 '${names[0]}' 并传入正确的 ${params.join('、') || '参数'}。`
      : `遇到此类请求时，依次调用 ${names.map((n) => `'${n}'`).join(' -> ')}，每一步传入正确的参数。`;
    if (failed) text += `'${failed.call.name}' 曾失败（${!failed.args.valid ? '参数无效' : failed.outcome.error}），需修正参数后重试。`;
    return text;
  }
  text = names.length === 1
    ? `When the user asks about ${topic}, call '${names[0]}' with the correct ${params.join(', ') || 'arguments'}.`
    : `For requests like this, call ${names.map((n) => `'${n}'`).join(' then ')} in that order, passing the correct arguments to each.`;
  if (failed) text += ` '${failed.call.name}' failed here (${!failed.args.valid ? 'invalid arguments' : failed.outcome.error}); fix the arguments and retry.`;
  return text;
}

function statusOf(steps: Step[], schemas: Map<string, ToolSchema>, zh: boolean): ExtractedTool['toolUsedStatus'] {
  const names = [...new Set(steps.map((s) => s.call.name))];
  return names.map((name) => {
    const mine = steps.filter((s) => s.call.name === name);
    const ok = mine.filter((s) => s.outcome.ok && s.args.valid).length;
    const errors = [...new Set(mine.flatMap((s) => [...(!s.args.valid ? ['invalid arguments'] : []), ...(s.outcome.ok ? [] : [s.outcome.error])]))];
    return {
      used_tool: name,
      error_type: errors.join('; '),
      success_rate: Math.round((ok / mine.length) * 100) / 100,
      tool_experience: toolExperience(name, mine, schemas, zh),
    };
  });
}

function narrative(question: string | undefined, steps: Step[], answer: string | undefined, zh: boolean): string {
  const parts: string[] = [];
  parts.push(zh ? `用户提问：${clip(question ?? '（无）', 200)}` : `User asked: ${clip(question ?? '(no question)', 200)}`);
  for (const s of steps) {
    parts.push(zh ? `调用工具 '${s.call.name}'，参数 ${s.args.text}` : `Tool '${s.call.name}' called with ${s.args.text}`);
    parts.push(s.outcome.ok ? (zh ? `返回 ${s.outcome.summary}` : `returned ${s.outcome.summary}`) : zh ? `失败：${s.outcome.summary}` : `failed: ${s.outcome.summary}`);
  }
  if (answer) parts.push(zh ? `助手回答：${clip(answer, 200)}` : `Assistant answered: ${clip(answer, 200)}`);
  return parts.join(' -> ');
}

/** One user turn: the user message and everything up to the next user message. */
function turns(messages: ExtractMessage[]): Array<{ user?: ExtractMessage; rest: ExtractMessage[] }> {
  const out: Array<{ user?: ExtractMessage; rest: ExtractMessage[] }> = [{ rest: [] }];
  for (const m of messages) {
    if (m.role === 'user') out.push({ user: m, rest: [] });
    else if (m.role !== 'system') out[out.length - 1].rest.push(m);
  }
  return out;
}

function stepsOf(rest: ExtractMessage[]): { steps: Step[]; answer?: ExtractMessage; time?: number } {
  const steps: Step[] = [];
  const results = rest.filter((m) => m.role === 'tool');
  const used = new Set<ExtractMessage>();
  let answer: ExtractMessage | undefined;
  let time: number | undefined;
  for (const m of rest) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      time ??= m.time;
      for (const call of m.toolCalls) {
        // Match by id; a result without an id is paired with the next call still waiting for one.
        const result = results.find((r) => !used.has(r) && r.toolCallId === call.id) ?? results.find((r) => !used.has(r) && !r.toolCallId && r.index > m.index);
        if (result) used.add(result);
        const args = parseArgs(call.arguments);
        steps.push({ call, args, outcome: outcomeOf(result, args), indexes: [m.index, ...(result ? [result.index] : [])] });
      }
    } else if (m.role === 'assistant' && m.text.trim() && steps.length) answer = m;
  }
  return { steps, answer, time };
}

/** `opts` is part of the extractor signature; tool memories carry message times as they are. */
export function extractToolMemories(messages: ExtractMessage[], _opts: { timezone: string }): ExtractedTool[] {
  const schemaItems = schemaMemories(messages);
  const schemas = new Map(schemaItems.map((s) => [s.key, s.value as unknown as ToolSchema]));
  const out: ExtractedTool[] = [...schemaItems];
  for (const turn of turns(messages)) {
    const { steps, answer, time } = stepsOf(turn.rest);
    if (!steps.length) continue;
    const zh = detectLang(turn.user?.text ?? '') === 'zh' && !!turn.user;
    const names = [...new Set(steps.map((s) => s.call.name))];
    const indexes = [...new Set([...(turn.user ? [turn.user.index] : []), ...steps.flatMap((s) => s.indexes), ...(answer ? [answer.index] : [])])].sort((a, b) => a - b);
    out.push({
      type: 'ToolTrajectoryMemory',
      key: `${zh ? '工具调用：' : 'Tool trajectory: '}${names.join(' -> ')}`,
      value: narrative(turn.user?.text, steps, answer?.text, zh),
      toolUsedStatus: statusOf(steps, schemas, zh),
      experience: experienceOf(steps, schemas, zh),
      tags: ['tool', 'trajectory', ...names],
      sourceIndexes: indexes,
      time: time ?? turn.rest[0].time,
    });
  }
  return out;
}
