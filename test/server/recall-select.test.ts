/**
 * How recall fills its lists (engine/recall.ts select, resolveScope): a memory that repeats another (same text, or
 * the transcript line a refined fact came from) only takes a slot nothing new wants; "all" knowledge bases means
 * every linked one; a memory found only through a related word still clears the default threshold.
 */
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

const rid = () => Math.random().toString(36).slice(2, 8);
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function add(user: string, text: string, extra: Record<string, unknown> = {}) {
  const r = await call('/add/message', { user_id: user, conversation_id: 'c-' + rid(), messages: [{ role: 'user', content: text, ...extra }], async_mode: false });
  expect(r.body.code).toBe(0);
}

async function facts(body: Record<string, unknown>): Promise<string[]> {
  const r = await call('/search/memory', { include_preference: false, ...body });
  expect(r.body.code).toBe(0);
  return r.body.data.memory_detail_list.map((m: any) => m.memory_value as string);
}

describe('a refined fact and the transcript line it came from', () => {
  const user = 'sel-' + rid();
  beforeAll(async () => {
    await add(user, 'My locker code is 4711.');
    await add(user, 'My gym locker is on the second floor.');
  });

  test('the transcript line waits: with two slots the second goes to another memory', async () => {
    const two = await facts({ user_id: user, query: 'What is my locker code?', memory_limit_number: 2, relativity: 0 });
    expect(two).toHaveLength(2);
    expect(two[0]).toBe("The user's locker code is 4711.");
    expect(two.join('\n')).toMatch(/second floor/);
    expect(two.filter((v) => v.includes('4711'))).toHaveLength(1);
  });

  test('with a slot to spare it comes back, after the memories that add something', async () => {
    const all = await facts({ user_id: user, query: 'What is my locker code?', memory_limit_number: 10, relativity: 0 });
    const transcript = all.findIndex((v) => /^user: \[.*My locker code is 4711\.$/.test(v));
    expect(transcript).toBeGreaterThan(-1);
    expect(all.findIndex((v) => /second floor/.test(v) && !v.startsWith('user:'))).toBeLessThan(transcript);
  });
});

test('the same text twice (two conversations, same time) is returned once', async () => {
  const user = 'dup-' + rid();
  await add(user, 'I collect vintage typewriters.', { chat_time: '2025-05-01 10:00:00' });
  await add(user, 'I collect vintage typewriters.', { chat_time: '2025-05-01 10:00:00' });
  const list = await facts({ user_id: user, query: 'What do I collect?', relativity: 0 });
  expect(list.length).toBeGreaterThan(0);
  expect(new Set(list.map((v) => v.toLowerCase())).size).toBe(list.length);
});

describe('knowledgebase_ids "all"', () => {
  let kb: string;
  let other: string;
  const knowledgebase = async (text: string) => {
    const id = (await call('/create/knowledgebase', { knowledgebase_name: 'Desk ' + rid() })).body.data.id as string;
    const up = await call('/add/knowledgebase-file', { knowledgebase_id: id, file: [{ content: b64(text), name: 'desk.md' }] });
    for (let i = 0; i < 300; i++) {
      const [f] = (await call('/get/knowledgebase-file', { file_ids: [up.body.data[0].id] })).body.data.file_detail_list;
      if (f.status === 'completed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    return id;
  };
  beforeAll(async () => {
    kb = await knowledgebase('The lobby locker code is 5555.\n');
    other = await knowledgebase('The basement locker code is 6666.\n');
  });
  test('one id searches that knowledge base only; "all" searches both', async () => {
    const one = (await facts({ ...query, query: 'What is the locker code?', knowledgebase_ids: [kb] })).join('\n');
    expect(one).toContain('5555');
    expect(one).not.toContain('6666');
    const all = (await facts({ ...query, query: 'What is the locker code?', knowledgebase_ids: 'all' })).join('\n');
    expect(all).toContain('5555');
    expect(all).toContain('6666');
  });
  test('"all" inside a longer list is an id like any other: no such knowledge base', async () => {
    const r = await call('/search/memory', { ...query, knowledgebase_ids: ['all', kb] });
    expect([50120, 50123]).toContain(r.body.code);
  });
  const query = { user_id: 'kb-reader', query: 'What is the lobby locker code?', relativity: 0 };
  test.each([['"all"', 'all'], ['["all"]', ['all']], ['its id', undefined]])('%s searches the linked knowledge base', async (_what, ids) => {
    expect((await facts({ ...query, knowledgebase_ids: ids ?? [kb] })).join('\n')).toContain('5555');
  });
  test('no knowledgebase_ids, or an empty list: no knowledge base is searched', async () => {
    expect((await facts(query)).join('\n')).not.toContain('5555');
    expect((await facts({ ...query, knowledgebase_ids: [] })).join('\n')).not.toContain('5555');
  });
});

test('a memory found only through a related word ("fruit" → mangosteen) clears the default threshold', async () => {
  const user = 'rel-word-' + rid();
  await add(user, 'I adore mangosteen.');
  const found = await facts({ user_id: user, query: 'Which fruit?' });
  expect(found.join('\n')).toMatch(/mangosteen/);
});
