/** The filter grammar (§4.4) and chat_time parsing, as pure functions. */
import { parseFilter } from '../../server/src/engine/filter';
import { formatLong, formatShort, parseChatTime, parseTimeBound } from '../../server/src/engine/time';
import { indexText, queryTerms } from '../../server/src/engine/text';
import { ApiError } from '../../server/src/errors';

const TZ = 'Asia/Shanghai';

describe('parseFilter', () => {
  test('global and/or groups with nested groups', () => {
    const f = parseFilter({ and: [{ agent_id: 'a1' }, { or: [{ scene: 'chat' }, { tags: { contains: 'vip' } }] }] }, TZ)!;
    expect(f.global).toEqual({
      op: 'and',
      children: [
        { op: 'eq', field: 'agent_id', value: 'a1' },
        { op: 'or', children: [{ op: 'eq', field: 'scene', value: 'chat' }, { op: 'tagContains', tag: 'vip' }] },
      ],
    });
  });
  test('source mode and info.alias', () => {
    const f = parseFilter({ user: { and: [{ 'info.biz_id': 'o-1' }] }, public: { or: [{ app_id: 'x' }] } }, TZ)!;
    expect(f.user).toEqual({ op: 'and', children: [{ op: 'eq', field: 'biz_id', value: 'o-1' }] });
    expect(f.public).toBeDefined();
    expect(f.global).toBeUndefined();
  });
  test('several time operators in one condition are ANDed; date-only lte covers the whole day', () => {
    const f = parseFilter({ and: [{ create_time: { gte: '2025-12-01', lte: '2025-12-31' } }] }, TZ)!;
    const node = (f.global as any).children[0];
    expect(node.op).toBe('and');
    expect(node.children[1].value).toBe(parseChatTime('2026-01-01', TZ)! - 1);
  });
  test.each([
    [[1], /object/],
    [{ and: [] }, /empty/],
    [{ and: [{ user_id: 'x' }] }, /user_id/],
    [{ and: [{ info: { a: 'b' } }] }, /bare/],
    [{ and: [{ tags: 'x' }] }, /contains/],
    [{ and: [{ create_time: { near: '2025-01-01' } }] }, /operator/],
    [{ and: [{ a: 'x', b: 'y' }] }, /exactly one field/],
    [{ and: [{ agent_id: { nested: 1 } }] }, /string/],
    [{ foo: [] }, /unknown key/],
    [{ and: [{ agent_id: 'a' }], or: [{ agent_id: 'b' }] }, /exactly one/],
  ])('rejects %j', (input, msg) => {
    try {
      parseFilter(input, TZ);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe(40000);
      expect((e as ApiError).message).toMatch(msg);
    }
  });
});

describe('chat_time', () => {
  test.each([
    ['2025-09-12 08:00:00', '2025-09-12T00:00:00.000Z'],
    ['2025-09-12T08:00:00Z', '2025-09-12T08:00:00.000Z'],
    ['2025-09-12T08:00:00+02:00', '2025-09-12T06:00:00.000Z'],
    ['2025/09/12', '2025-09-11T16:00:00.000Z'],
    ['1:56 pm on 8 May, 2023', '2023-05-08T05:56:00.000Z'],
    ['09:44 AM on 10 December, 2025 UTC', '2025-12-10T09:44:00.000Z'],
    ['2025年9月12日 下午3:30', '2025-09-12T07:30:00.000Z'],
    ['1757664000', '2025-09-12T08:00:00.000Z'],
  ])('%s', (input, iso) => {
    expect(new Date(parseChatTime(input, TZ)!).toISOString()).toBe(iso);
  });
  test('free text is read relative to now', () => {
    const now = Date.parse('2025-06-10T04:00:00Z');
    expect(new Date(parseChatTime('yesterday at noon', TZ, now)!).toISOString()).toBe('2025-06-09T04:00:00.000Z');
  });
  test('nonsense is undefined', () => {
    expect(parseChatTime('not a date at all', TZ)).toBeUndefined();
    expect(parseTimeBound('2025-13-45', 'gte', TZ)).toBeUndefined();
  });
  test('formats', () => {
    const ms = Date.parse('2025-12-10T01:44:00Z');
    expect(formatShort(ms, TZ)).toBe('2025-12-10 09:44');
    expect(formatLong(ms, 'UTC')).toBe('01:44 AM on 10 December, 2025 UTC');
  });
});

describe('text', () => {
  test('Chinese is segmented into words for the index', () => {
    expect(indexText('我喜欢吃辣')).toBe('我 喜欢 喜 欢 吃 辣');
    // A compound's characters are indexed too, so "吃" finds "不吃香菜".
    expect(indexText('不吃香菜').split(' ')).toEqual(expect.arrayContaining(['吃', '香菜']));
  });
  test('query terms drop function words and stem', () => {
    expect(queryTerms('Where do I live now?')).toEqual(['live']);
    expect(queryTerms('我现在住在哪里？')).toEqual(['住在']);
    expect(queryTerms('Which hotels did I like?')).toEqual(['hotel']);
  });
});
