/**
 * The filter language (contract §4.4) end to end: the root forms the parser accepts and refuses, and every kind of
 * condition (column, info key, tag, time; and/or) narrowing a real search to the memories it names.
 */
import { parseFilter } from '../../server/src/engine/filter';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const TZ = 'UTC';
const codeOf = (raw: unknown) => {
  try {
    parseFilter(raw, TZ);
    return 0;
  } catch (err) {
    return (err as { code?: number }).code;
  }
};

describe('root forms', () => {
  test('absent, null and {} mean no filter', () => {
    expect(parseFilter(undefined, TZ)).toBeUndefined();
    expect(parseFilter(null, TZ)).toBeUndefined();
    expect(parseFilter({}, TZ)).toBeUndefined();
  });
  test('a global group applies to every source; source keys each to their own', () => {
    expect(parseFilter({ and: [{ agent_id: 'a' }] }, TZ)).toEqual({ global: { op: 'and', children: [{ op: 'eq', field: 'agent_id', value: 'a' }] } });
    expect(parseFilter({ user: { and: [{ agent_id: 'a' }] }, public: { or: [{ app_id: 'b' }] } }, TZ)).toEqual({
      user: { op: 'and', children: [{ op: 'eq', field: 'agent_id', value: 'a' }] },
      public: { op: 'or', children: [{ op: 'eq', field: 'app_id', value: 'b' }] },
    });
  });
  test.each([
    ['a group mixed with a source key', { and: [{ agent_id: 'a' }], user: { and: [{ agent_id: 'a' }] } }, /mixes a global/],
    ['a source key mixed with a group', { user: { and: [{ agent_id: 'a' }] }, or: [{ agent_id: 'a' }] }, /mixes a global/],
    ['two root groups', { and: [{ agent_id: 'a' }], or: [{ agent_id: 'b' }] }, /exactly one "and" or "or" group/],
    ['an unknown source key next to a known one', { user: { and: [{ agent_id: 'a' }] }, everyone: { and: [{ agent_id: 'a' }] } }, /filter\.everyone: unknown source key/],
    ['a source that is not a group', { user: 'a' }, /filter\.user: must be an \{"and"/],
    ['an unknown root key', { agent_id: 'a' }, /unknown key "agent_id"/],
    ['not an object', 'agent_id=a', /must be an object/],
    ['more than 100 conditions', { or: Array.from({ length: 101 }, (_, i) => ({ agent_id: `a${i}` })) }, /more than 100 conditions/],
  ])('%s → 40000', (_what, raw, message) => {
    expect(codeOf(raw)).toBe(40000);
    expect(() => parseFilter(raw, TZ)).toThrow(message);
  });
  test('100 conditions are accepted', () => {
    expect(codeOf({ or: Array.from({ length: 100 }, (_, i) => ({ agent_id: `a${i}` })) })).toBe(0);
  });
});

describe('conditions narrowing a search', () => {
  const server = useServer();
  const call = client(server);
  const user = 'filt-' + Math.random().toString(36).slice(2, 8);
  beforeAll(async () => {
    const write = async (text: string, extra: Record<string, unknown>) => {
      const r = await call('/add/message', { user_id: user, conversation_id: 'c-' + text.length, messages: [{ role: 'user', content: text }], async_mode: false, ...extra });
      expect(r.body.code).toBe(0);
    };
    await write('My locker code at the pool is 1111.', { agent_id: 'a1', info: { scene: 'sport' }, tags: ['pool'] });
    await write('My locker code at the office is 2222.', { agent_id: 'a2', info: { scene: 'work' }, tags: ['office'] });
  });
  const codes = async (filter: unknown) => {
    const r = await call('/search/memory', { user_id: user, query: 'What is my locker code?', relativity: 0, filter });
    expect(r.body.code).toBe(0);
    // The memories' own text only: an id, a time or a score can hold "1111" too (it did, one run in a few hundred).
    const text = r.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value).join('\n');
    return ['1111', '2222'].filter((c) => text.includes(c));
  };
  test.each([
    ['a column', { and: [{ agent_id: 'a1' }] }, ['1111']],
    ['an info key', { and: [{ scene: 'work' }] }, ['2222']],
    ['an info key, info. prefixed', { and: [{ 'info.scene': 'sport' }] }, ['1111']],
    ['a tag', { and: [{ tags: { contains: 'office' } }] }, ['2222']],
    ['and: both must hold', { and: [{ agent_id: 'a1' }, { scene: 'work' }] }, []],
    ['or: either may hold', { or: [{ agent_id: 'a1' }, { scene: 'work' }] }, ['1111', '2222']],
    ['time: created before 2000', { and: [{ create_time: { lt: '2000-01-01' } }] }, []],
    ['time: created since 2000', { and: [{ create_time: { gte: '2000-01-01' } }] }, ['1111', '2222']],
    ['no filter', undefined, ['1111', '2222']],
  ])('%s', async (_what, filter, expected) => {
    expect(await codes(filter)).toEqual(expected);
  });
});
