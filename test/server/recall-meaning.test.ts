/**
 * Recall by meaning without a model, over HTTP: advice and recommendation questions (English and Chinese) bring
 * the user's standing constraints and preferences that share no word with them, category questions find their
 * members through the lexicon (WordNet and the curated groups), and a plain factual question does not drag in
 * unrelated preferences. Assertions are on the recalled text.
 */
import fs from 'node:fs';
import path from 'node:path';

import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

const server = useServer();
const call = client(server);

/**
 * Each statement in a conversation of its own: turns of one conversation are indexed with their neighbours'
 * words (recall.test.ts), which would let an unrelated statement ride on a related one.
 */
async function tell(user: string, conversation: string, ...contents: string[]) {
  for (const [i, content] of contents.entries()) {
    const r = await call('/add/message', {
      user_id: user,
      conversation_id: `${conversation}-${i}`,
      messages: [{ role: 'user', content, chat_time: `2025-06-0${(i % 9) + 1} 10:00:00` }],
    });
    expect(r.body.code).toBe(0);
    expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
  }
}

/** Everything a search brings back (facts and preferences), one text per line. */
async function recalled(user: string, query: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call('/search/memory', { user_id: user, query, ...extra });
  expect(r.body.code).toBe(0);
  const d = r.body.data;
  return [...d.memory_detail_list.map((m: { memory_value: string }) => m.memory_value), ...d.preference_detail_list.map((p: { preference: string }) => p.preference)].join('\n');
}

describe("the README's Try it", () => {
  // The two request bodies exactly as the README's curl commands send them.
  const tryIt = readme.split('Try it:')[1].split('```bash')[1].split('```')[0];
  const [add, search] = [...tryIt.matchAll(/-d '(\{.*\})'/g)].map((m) => JSON.parse(m[1]));

  test('"What should I avoid eating?" recalls the allergy, as the README shows', async () => {
    expect(add.messages[0].content).toBe('I live in Shanghai and I am allergic to nuts.');
    const r = await call('/add/message', add);
    expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
    const found = await call('/search/memory', search);
    const values = found.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value);
    expect(values[0]).toBe('The user is allergic to nuts.');
    expect(values[1]).toMatch(/: I live in Shanghai and I am allergic to nuts\.$/);
    expect(readme).toContain('"memory_value":"The user is allergic to nuts."');
  });

  test('a plain factual question about something else stays empty', async () => {
    expect(await recalled('u1', 'What is my favourite colour?')).not.toMatch(/allergic/);
  });
});

describe('advice and recommendations, English', () => {
  beforeAll(() =>
    tell(
      'ana',
      'profile',
      'I am vegetarian and I cannot stand spicy food.',
      'My budget for eating out is about 30 dollars.',
      'My dog Biscuit is a golden retriever.',
      'Biscuit is allergic to chicken.',
      'I wear size M and I prefer cotton shirts.',
      'My laptop is a MacBook Air.',
      'I work as a nurse at the city hospital.',
    ),
  );

  test('"recommend a restaurant for me" brings the diet, the spice and the budget, not the laptop', async () => {
    const got = await recalled('ana', 'Can you recommend a restaurant for me?');
    expect(got).toMatch(/vegetarian/);
    expect(got).toMatch(/spicy/);
    expect(got).toMatch(/budget for eating out/);
    expect(got).not.toMatch(/MacBook/);
  });

  test('"what should I buy my dog" brings the breed and the dog\'s allergy', async () => {
    const got = await recalled('ana', 'What should I buy my dog?');
    expect(got).toMatch(/golden retriever/);
    expect(got).toMatch(/allergic to chicken/);
    expect(got).not.toMatch(/MacBook/);
  });

  test('a gift of clothes brings the size and the fabric', async () => {
    const got = await recalled('ana', 'Suggest a shirt I could buy for myself');
    expect(got).toMatch(/size M/);
    expect(got).toMatch(/cotton/);
  });

  test('the constraints rank by how well they fit the domain: the diet above the dog for a restaurant', async () => {
    const r = await call('/search/memory', { user_id: 'ana', query: 'Recommend a restaurant for me', include_preference: false });
    const values: string[] = r.body.data.memory_detail_list.map((m: { memory_value: string }) => m.memory_value);
    const diet = values.findIndex((v) => /vegetarian/.test(v));
    const dog = values.findIndex((v) => /golden retriever/.test(v));
    expect(diet).toBeGreaterThanOrEqual(0);
    expect(dog === -1 || diet < dog).toBe(true);
  });

  test('negative: a plain factual question does not drag in the preferences', async () => {
    const got = await recalled('ana', 'Where do I work?');
    expect(got).toMatch(/nurse/);
    expect(got).not.toMatch(/vegetarian|spicy|cotton|budget/);
  });

  test('negative: the same domain word in a factual question brings no constraints', async () => {
    const got = await recalled('ana', 'What is the name of my dog?');
    expect(got).toMatch(/Biscuit/);
    expect(got).not.toMatch(/vegetarian|cotton|budget/);
  });
});

describe('advice and recommendations, Chinese', () => {
  beforeAll(() => tell('mei', 'zh', '我对花生过敏。', '我不吃辣，口味比较清淡。', '我家的狗是一只柯基。', '我的电脑是联想的笔记本。'));

  test('"推荐一家适合我的餐厅" brings the allergy and the taste', async () => {
    const got = await recalled('mei', '推荐一家适合我的餐厅');
    expect(got).toMatch(/花生/);
    expect(got).toMatch(/清淡|辣/);
    expect(got).not.toMatch(/笔记本/);
  });

  test('"给我的狗买点什么" brings the breed', async () => {
    expect(await recalled('mei', '我应该给我的狗买点什么？')).toMatch(/柯基/);
  });

  test('negative: a factual question brings no preferences', async () => {
    const got = await recalled('mei', '我的电脑是什么牌子？');
    expect(got).toMatch(/联想/);
    expect(got).not.toMatch(/花生|清淡/);
  });
});

describe('categories and their members', () => {
  beforeAll(async () => {
    const r = await call('/add/message', {
      user_id: 'friends',
      conversation_id: 'gym',
      messages: [
        { role: 'user', name: 'John', content: 'I started taekwondo classes this spring.', chat_time: '2024-04-02 18:00:00' },
        { role: 'user', name: 'John', content: 'Last year I did judo for a while.', chat_time: '2024-04-02 18:02:00' },
        { role: 'assistant', name: 'Maria', content: 'We spent two weeks in Spain and then flew to Ireland.', chat_time: '2024-04-02 18:03:00' },
      ],
    });
    await waitForTask(call, r.body.data.task_id);
    await tell('friends', 'bakery', 'I went to the bakery this morning.');
    await tell('hob', 'h', 'On weekends I go hiking with my sister.', 'I have been learning the guitar for a year.', 'My flat is on the third floor.');
  });

  test('"what martial arts has John done" finds taekwondo and judo (WordNet kinds)', async () => {
    const got = await recalled('friends', 'What martial arts has John done?');
    expect(got).toMatch(/taekwondo/);
    expect(got).toMatch(/judo/);
    expect(got).not.toMatch(/bakery/);
  });

  test('"which European countries has Maria been to" finds Spain and Ireland', async () => {
    expect(await recalled('friends', 'Which European countries has Maria been to?')).toMatch(/Spain and then flew to Ireland/);
  });

  test('"what are my hobbies" finds the hiking and the guitar, not the flat', async () => {
    const got = await recalled('hob', 'What are my hobbies?');
    expect(got).toMatch(/hiking/);
    expect(got).toMatch(/guitar/);
    expect(got).not.toMatch(/third floor/);
  });

  test('"我有什么爱好" finds them in Chinese too', async () => {
    await tell('hobzh', 'h', '我周末喜欢爬山。', '我最近在学吉他。', '我住在三楼。');
    const got = await recalled('hobzh', '我有什么爱好？');
    expect(got).toMatch(/爬山/);
    expect(got).toMatch(/吉他/);
    expect(got).not.toMatch(/三楼/);
  });

  test("a related word counts less than the question's own: the memory that says it ranks first", async () => {
    await tell('rank', 'r', 'I practise karate on Mondays.', 'My favourite martial art is aikido.');
    const r = await call('/search/memory', { user_id: 'rank', query: 'my favourite martial art', include_preference: false });
    expect(r.body.data.memory_detail_list[0].memory_value).toMatch(/aikido/);
  });
});
