/**
 * Every limit of the contract, on every endpoint that takes the field. The endpoints and their fields come from
 * the server's own declarations (allEndpoints() and the published input schemas), the limits from the contract
 * (§1.4, §3): an endpoint added later, or a field added to one, is covered without touching this file, and a limit
 * dropped from one schema fails here even though the field is still declared.
 */
import { allEndpoints } from '../../server/src/http/app';
import { toSchema } from '../../server/src/http/openapi';
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

type Json = Record<string, any>;

/** Values that make a body valid for the fields the endpoints share; anything else comes from its schema. */
const PLAUSIBLE: Json = {
  user_id: 'limits-user',
  conversation_id: 'limits-conv',
  query: 'What does the user like?',
  messages: [{ role: 'user', content: 'I like green tea.' }],
  feedback_content: 'The limit is 600, not 800.',
  user_message: 'I like green tea.',
  assistant_message: 'Noted.',
  knowledgebase_name: 'Limits',
  documents: ['green tea'],
};

/** A value the schema accepts, as far as a JSON schema can say (refinements are covered by PLAUSIBLE). */
function sample(s: Json): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a: Json) => a.type !== 'null') ?? alt[0]);
  switch (s.type) {
    case 'string':
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items ?? { type: 'string' }));
    case 'object':
      return validBody(s);
    default:
      return 'x';
  }
}

function validBody(s: Json): Json {
  const out: Json = {};
  for (const name of s.required ?? []) out[name] = PLAUSIBLE[name] ?? sample(s.properties[name]);
  return out;
}

const types = (p: Json): string[] => [p.type, ...(p.anyOf ?? p.oneOf ?? []).map((a: Json) => a.type)].filter(Boolean);

/** The POST JSON endpoints with their input schemas. */
const endpoints = allEndpoints()
  .filter((e) => (e.method ?? 'POST') === 'POST')
  .map((e) => ({ path: e.path, tag: e.tag, schema: toSchema(e.schema, 'input') as Json }));

/** The endpoints declaring `field` with one of `ofTypes`. */
const taking = (field: string, ofTypes: string[]) =>
  endpoints.filter((e) => e.schema.properties?.[field] && types(e.schema.properties[field]).some((t) => ofTypes.includes(t)));

/** Body for `path` with one field set; user_id is filled in when the endpoint has it, so the subject is always named. */
function bodyFor(e: { schema: Json }, field: string, value: unknown): Json {
  const body = validBody(e.schema);
  if (e.schema.properties?.user_id && field !== 'user_id') body.user_id = PLAUSIBLE.user_id;
  if (e.schema.properties?.conversation_id && field !== 'conversation_id' && e.schema.required?.includes('conversation_id')) body.conversation_id = PLAUSIBLE.conversation_id;
  for (const k of Object.keys(body)) if (PLAUSIBLE[k] !== undefined) body[k] = PLAUSIBLE[k];
  body[field] = value;
  return body;
}

/** The identifier limits (§1.4, §1.5): over the limit is the field's own code; at the limit it is accepted. */
const ID_LIMITS = [
  { field: 'user_id', max: 100, code: 40010 },
  { field: 'conversation_id', max: 100, code: 40011 },
];

describe.each(ID_LIMITS)('$field: at most $max characters, $code above', ({ field, max, code }) => {
  const cases = taking(field, ['string']).map((e) => [e.path, e] as const);
  test('the endpoints that take it include the core ones', () => {
    const paths = cases.map(([p]) => p);
    expect(paths).toEqual(expect.arrayContaining(field === 'user_id' ? ['/add/message', '/search/memory', '/get/memory', '/get/message', '/add/feedback', '/chat'] : ['/add/message', '/get/message', '/add/feedback', '/chat']));
  });
  test.each(cases)('%s', async (_path, e) => {
    const over = await call(e.path, bodyFor(e, field, 'u'.repeat(max + 1)));
    expect(over.body).toMatchObject({ code, data: null });
    expect(over.body.message).toMatch(new RegExp(field));
    const at = await call(e.path, bodyFor(e, field, 'u'.repeat(max)));
    expect(at.body.code).not.toBe(code);
    expect(at.body.code).not.toBe(50000);
  });
});

describe('relativity: a number in [0, 1], 40012 otherwise (§3.2)', () => {
  const cases = taking('relativity', ['number', 'integer']).map((e) => [e.path, e] as const);
  test('search, chat and their plugin operations take it', () => {
    expect(cases.map(([p]) => p)).toEqual(expect.arrayContaining(['/search/memory', '/chat']));
  });
  test.each(cases)('%s', async (_path, e) => {
    for (const bad of [1.01, -0.1]) expect((await call(e.path, bodyFor(e, 'relativity', bad))).body).toMatchObject({ code: 40012, data: null });
    for (const ok of [0, 1]) expect((await call(e.path, bodyFor(e, 'relativity', ok))).body.code).not.toBe(40012);
  });
});

/** Other ranges of the contract (§3.10); no code of their own, so the generic 40000. */
const RANGES = [
  { field: 'temperature', bad: [2.01, -0.1], ok: [0, 2] },
  { field: 'top_p', bad: [1.01, -0.1], ok: [0, 1] },
];

describe.each(RANGES)('$field: outside the contract range → 40000', ({ field, bad, ok }) => {
  const cases = taking(field, ['number', 'integer']).map((e) => [e.path, e] as const);
  test.each(cases)('%s', async (_path, e) => {
    for (const v of bad) expect((await call(e.path, bodyFor(e, field, v))).body).toMatchObject({ code: 40000, data: null });
    for (const v of ok) expect((await call(e.path, bodyFor(e, field, v))).body.code).toBe(0);
  });
});

/** The contract's defaults (§3.2, §3.3, §3.6, §3.10) on every MemOS API endpoint that declares the field. */
const DEFAULTS: Record<string, unknown> = {
  relativity: 0.45,
  memory_limit_number: 9,
  preference_limit_number: 9,
  tool_memory_limit_number: 6,
  skill_limit_number: 6,
  message_limit_number: 6,
  size: 10,
  include_preference: true,
  include_tool_memory: false,
  include_skill: false,
  add_message_on_answer: true,
  allow_public: false,
  async_mode: true,
};

describe('defaults', () => {
  const cases = endpoints
    .filter((e) => e.tag !== 'plugin')
    .flatMap((e) => Object.keys(DEFAULTS).filter((f) => e.schema.properties?.[f]).map((f) => [e.path, f, e] as const));
  test.each(cases)('%s %s', (_path, field, e) => {
    expect(e.schema.properties[field].default).toEqual(DEFAULTS[field]);
  });
  test('the Coze search_memory tool recalls 6 memories by default (§5), not the API default of 9', () => {
    const coze = endpoints.find((e) => e.path === '/plugin/search_memory');
    if (coze) expect(coze.schema.properties.memory_limit_number.default).toBe(6);
  });
});

/** Result-count limits: values above the maximum are clamped (contract §3.2 [IMPL]), never an error. */
const COUNT_LIMITS: Record<string, number> = {
  memory_limit_number: 25,
  preference_limit_number: 25,
  tool_memory_limit_number: 25,
  skill_limit_number: 25,
  message_limit_number: 50,
  size: 50,
};

describe('result-count limits above the maximum are clamped, not refused', () => {
  const cases = Object.keys(COUNT_LIMITS).flatMap((field) => taking(field, ['integer', 'number']).map((e) => [e.path, field, e] as const));
  test.each(cases)('%s %s', async (_path, field, e) => {
    const r = await call(e.path, bodyFor(e, field, 1000));
    expect(r.body.code).toBe(0);
  });
});

describe('clamped to the contract maximum, with enough data to exceed it', () => {
  const user = 'many-' + Math.random().toString(36).slice(2, 8);
  const conv = 'many-conv';
  const N = 60;
  beforeAll(async () => {
    const messages = Array.from({ length: N }, (_, i) => ({ role: 'user', content: `Note ${i}: the parcel for locker ${1000 + i} arrived.` }));
    const r = await call('/add/message', { user_id: user, conversation_id: conv, messages });
    expect(r.body.code).toBe(0);
    await waitForTask(call, r.body.data.task_id, 30_000);
  }, 60_000);

  test('/search/memory memory_limit_number 1000 → at most 25 facts', async () => {
    const r = await call('/search/memory', { user_id: user, query: 'parcel locker arrived', memory_limit_number: 1000, relativity: 0 });
    expect(r.body.code).toBe(0);
    expect(r.body.data.memory_detail_list.length).toBeGreaterThan(9);
    expect(r.body.data.memory_detail_list.length).toBeLessThanOrEqual(25);
  });

  test('/get/memory size 1000 → at most 50 per category', async () => {
    const r = await call('/get/memory', { user_id: user, size: 1000 });
    expect(r.body.code).toBe(0);
    expect(r.body.data.memory_detail_list.length).toBeGreaterThan(10);
    expect(r.body.data.memory_detail_list.length).toBeLessThanOrEqual(50);
  });

  test('/get/message message_limit_number 1000 → at most 50 messages', async () => {
    const r = await call('/get/message', { user_id: user, conversation_id: conv, message_limit_number: 1000 });
    expect(r.body.code).toBe(0);
    const list = r.body.data.message_detail_list ?? r.body.data;
    expect(list).toHaveLength(50);
  });
});

test('/search/memory: a 101-character user_id is 40010, before any search runs', async () => {
  const r = await call('/search/memory', { user_id: 'a'.repeat(101), query: 'anything' });
  expect(r.body).toMatchObject({ code: 40010, data: null });
  expect(r.body.message).toMatch(/user_id/);
  expect((await call('/search/memory', { user_id: 'a'.repeat(100), query: 'anything' })).body.code).toBe(0);
});
