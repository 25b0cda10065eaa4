/**
 * The default relativity threshold (0.45, contract §3.2) on lexical recall: a memory that shares only one common
 * word with a long question is dropped by default and kept with `relativity: 0`; everything at or above 0.45 is
 * kept. Both halves are asserted, so a cut-off that filters nothing at the default fails as surely as one that
 * filters too much.
 */
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

const DEFAULT = 0.45;
const user = 'rel-' + Math.random().toString(36).slice(2, 8);
const QUERY = 'Which tropical fruit does my cousin Bartholomew grow in his orchard near Lisbon, whatever the weather?';
/** Each shares only "weather" with the question; the second half of each pair is what identifies it in a result. */
const WEAK = [
  ['The weather was nice today.', 'nice today'],
  ['We talked about the weather again.', 'talked about the weather'],
  ['The weather report said rain.', 'report said rain'],
  ['I bought a new umbrella for the weather.', 'umbrella'],
] as const;
const WEAK_MARKS = WEAK.map(([, mark]) => mark);
const STRONG = 'My cousin Bartholomew grows mangosteen in his orchard near Lisbon.';

type Hit = { memory_value: string; relativity: number };

beforeAll(async () => {
  // One conversation each: a turn is also indexed with its neighbours' words, which would lift the weak ones.
  for (const [i, text] of [STRONG, ...WEAK.map(([t]) => t)].entries()) {
    const r = await call('/add/message', { user_id: user, conversation_id: `c${i}`, messages: [{ role: 'user', content: text }], async_mode: false });
    expect(r.body.code).toBe(0);
  }
});

async function search(extra: Record<string, unknown>): Promise<Hit[]> {
  const r = await call('/search/memory', { user_id: user, query: QUERY, memory_limit_number: 25, include_preference: false, ...extra });
  expect(r.body.code).toBe(0);
  return r.body.data.memory_detail_list;
}

const mentions = (hits: Hit[], mark: string) => hits.some((h) => h.memory_value.includes(mark));

test('with relativity 0 the weak matches are found, below the default threshold', async () => {
  const all = await search({ relativity: 0 });
  for (const mark of WEAK_MARKS) expect(mentions(all, mark)).toBe(true);
  const weak = all.filter((h) => WEAK_MARKS.some((mark) => h.memory_value.includes(mark)));
  for (const h of weak) expect(h.relativity).toBeLessThan(DEFAULT);
  expect(all.some((h) => h.relativity >= DEFAULT)).toBe(true);
});

test('by default (0.45) exactly the results at or above 0.45 are kept: the weak ones are dropped', async () => {
  const all = await search({ relativity: 0 });
  const byDefault = await search({});
  expect(byDefault.length).toBeGreaterThan(0);
  for (const h of byDefault) expect(h.relativity).toBeGreaterThanOrEqual(DEFAULT);
  expect(mentions(byDefault, 'Bartholomew grows mangosteen')).toBe(true);
  for (const mark of WEAK_MARKS) expect(mentions(byDefault, mark)).toBe(false);
  const key = (h: Hit) => `${h.memory_value}|${h.relativity}`;
  expect(byDefault.map(key).sort()).toEqual(all.filter((h) => h.relativity >= DEFAULT).map(key).sort());
  // The default is 0.45, not merely "some threshold".
  expect((await search({ relativity: DEFAULT })).map(key).sort()).toEqual(byDefault.map(key).sort());
});

test('/chat applies the same default: the weak matches are not quoted', async () => {
  const r = await call('/chat', { user_id: user, conversation_id: 'chat', query: QUERY, add_message_on_answer: false });
  expect(r.body.code).toBe(0);
  expect(r.body.data.response).toContain('mangosteen');
  for (const mark of WEAK_MARKS) expect(r.body.data.response).not.toContain(mark);
  const open = await call('/chat', { user_id: user, conversation_id: 'chat', query: QUERY, add_message_on_answer: false, relativity: 0 });
  expect(open.body.data.response).toMatch(/nice today|talked about the weather|report said rain|umbrella/);
});
