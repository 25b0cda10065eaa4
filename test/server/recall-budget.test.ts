/**
 * Related words under the postings budget (engine/recall.ts candidateMatch): on an index where a related word, or
 * a query word, is in more memories than one search may score, recall still finds what the question's own words
 * find, and related words still rank the candidates the own words picked. Its own server: the 1,400 turns of
 * another user would change the word frequencies every other recall test relies on.
 */
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

/** More turns than MATCH_BUDGET (1,200 postings) in all. */
const NOISE_TURNS = 1400;

async function tell(user: string, ...contents: string[]) {
  for (const [i, content] of contents.entries()) {
    // Each statement in a conversation of its own, so no statement is indexed with another's words.
    const r = await call('/add/message', { user_id: user, conversation_id: `${user}-${i}`, messages: [{ role: 'user', content }] });
    expect(r.body.code).toBe(0);
    expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
  }
}

async function facts(user: string, query: string): Promise<string[]> {
  const r = await call('/search/memory', { user_id: user, query, include_preference: false, relativity: 0 });
  expect(r.body.code).toBe(0);
  return r.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value);
}

beforeAll(async () => {
  // Another user, all of whose turns say "allergy" (a related word of "allergic") and "cousin".
  for (let c = 0; c < NOISE_TURNS / 100; c++) {
    const messages = Array.from({ length: 100 }, (_, i) => ({ role: 'user', content: `My cousin number ${c * 100 + i} has a pollen allergy.` }));
    const r = await call('/add/message', { user_id: 'noisy', conversation_id: `noise-${c}`, messages });
    expect(r.body.code).toBe(0);
  }
  await tell('budget', 'I am allergic to shellfish.', 'My cousin loves mangosteens from the market every summer.', 'My cousin drives a red car.', 'I like mangosteens.');
}, 120_000);

test('a related word too common to pick candidates leaves the match of the query word itself', async () => {
  // "allergy" is in 1,400 memories, "allergic" in one: the search is matched with "allergic" and finds it.
  const got = await facts('budget', 'What am I allergic to?');
  expect(got[0]).toMatch(/shellfish/);
});

test('when a query word fills the budget, related words still rank what it found', async () => {
  // "cousin" alone fills the budget, so "mangosteen" (a kind of fruit) picks no candidates; it still decides
  // which of the cousin's memories answers the question (by words alone the shorter one, the car, would win).
  const got = await facts('budget', 'Which fruit does my cousin eat?');
  expect(got.findIndex((v) => /cousin loves mangosteens/.test(v))).toBe(0);
  expect(got.join('\n')).toMatch(/red car/);
});

test('a rare query word on the same index still brings in its related words', async () => {
  expect((await facts('budget', 'Which fruit do I like?')).join('\n')).toMatch(/I like mangosteens|user likes mangosteens/i);
});
