/**
 * The contract's §8 scenarios that need no knowledge base, as conversations over HTTP, asserting on the
 * recalled text. Writes use async_mode:false so refined memories exist when the query runs.
 */
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

type Msg = { role: string; content?: string; chat_time?: string; tool_calls?: unknown[]; tool_call_id?: string };
const add = async (user: string, conv: string, messages: Msg[], extra: Record<string, unknown> = {}) => {
  const r = await call('/add/message', { user_id: user, conversation_id: conv, messages, async_mode: false, ...extra });
  expect(r.body).toMatchObject({ code: 0, data: { status: 'completed' } });
};
const search = async (user: string, query: string, extra: Record<string, unknown> = {}) => {
  const r = await call('/search/memory', { user_id: user, query, ...extra });
  expect(r.body.code).toBe(0);
  return r.body.data;
};
const texts = (list: any[], field = 'memory_value') => list.map((m) => (typeof m[field] === 'string' ? m[field] : JSON.stringify(m[field])));

test('1. travel: recalls the Guangzhou stay and infers a cost-effective hotel preference', async () => {
  await add('traveller', '0610', [
    { role: 'user', content: "I'm planning a summer trip to Guangzhou. Can you recommend some hotels?", chat_time: '2025-06-10 10:00:00' },
    { role: 'assistant', content: 'Sure! You could choose 7 Days Inn, Ji Hotel or Hilton.', chat_time: '2025-06-10 10:00:10' },
    { role: 'user', content: "I'll go with 7 Days Inn.", chat_time: '2025-06-10 10:01:00' },
  ]);
  const d = await search('traveller', "For National Day I want to travel to a city I haven't been to and stay at a hotel brand I haven't tried. Any suggestions?", {
    conversation_id: '0928',
  });
  const facts = texts(d.memory_detail_list).join('\n');
  expect(facts).toMatch(/Guangzhou/);
  expect(facts).toMatch(/7 Days Inn/);
  const prefs = d.preference_detail_list.filter((p: any) => p.preference_type === 'implicit_preference');
  expect(texts(prefs, 'preference').join('\n')).toMatch(/cost-effective|budget|affordable|economical/i);
});

describe('2. time awareness', () => {
  beforeAll(async () => {
    await add('timely', 'c-2501', [{ role: 'user', content: 'I live in Beijing.', chat_time: '2025-01-10 09:00:00' }]);
    await add('timely', 'c-2506', [{ role: 'user', content: 'I moved to Shanghai.', chat_time: '2025-06-01 09:00:00' }]);
    await add('timely', 'c-2510', [{ role: 'user', content: 'I went to Xi\'an last National Day.', chat_time: '2025-10-08 09:00:00' }]);
    await add('timely', 'c-2605', [{ role: 'user', content: 'I went to Hangzhou this May Day.', chat_time: '2026-05-02 09:00:00' }]);
  });
  test('"where do I live now" ranks Shanghai first', async () => {
    const d = await search('timely', 'Where do I live now?');
    expect(texts(d.memory_detail_list)[0]).toMatch(/Shanghai/);
  });
  test('"where did I live before" ranks Beijing first', async () => {
    const d = await search('timely', 'Where did I live before?');
    expect(texts(d.memory_detail_list)[0]).toMatch(/Beijing/);
  });
  test('"where have I traveled" gives both trips, Hangzhou first', async () => {
    const d = await search('timely', 'Where have I traveled?');
    const all = texts(d.memory_detail_list);
    const hz = all.findIndex((t) => /Hangzhou/.test(t));
    const xa = all.findIndex((t) => /Xi'an/.test(t));
    expect(hz).toBeGreaterThanOrEqual(0);
    expect(xa).toBeGreaterThanOrEqual(0);
    expect(hz).toBeLessThan(xa);
  });
  test('the old residence is archived, not deleted', async () => {
    const g = await call('/get/memory', { user_id: 'timely', size: 50 });
    const active = texts(g.body.data.memory_detail_list).filter((t) => !t.startsWith('user:'));
    expect(active.join('\n')).toMatch(/Shanghai/);
    expect(active.join('\n')).not.toMatch(/lives in Beijing/);
  });
  test('spicy → lighter food: the current preference wins', async () => {
    await add('eater', 'c1', [{ role: 'user', content: 'I love spicy food.', chat_time: '2025-09-12 12:00:00' }]);
    await add('eater', 'c2', [{ role: 'user', content: "I can't eat oily or spicy food now, I prefer lighter dishes.", chat_time: '2025-09-25 12:00:00' }]);
    const d = await search('eater', 'What kind of food should I order for lunch?');
    const prefs = texts(d.preference_detail_list, 'preference');
    expect(prefs[0]).toMatch(/light/i);
    expect(prefs.join('\n')).not.toMatch(/^The user (loves|likes) spicy/m);
  });
});

test('3. shopping: day-10 diarrhoea question recalls breed, age, no chicken and the lamb purchase', async () => {
  await add('dogowner', 'day1', [
    { role: 'user', content: "I have a 3-month-old Golden Retriever, about 12 catties. He won't eat chicken.", chat_time: '2025-03-01 10:00:00' },
    { role: 'assistant', content: 'I recommend lamb puppy food A: it has no chicken.', chat_time: '2025-03-01 10:00:20' },
    { role: 'user', content: 'OK, I bought the lamb puppy food A.', chat_time: '2025-03-01 10:02:00' },
  ]);
  const d = await search('dogowner', 'My dog has had diarrhea recently and I want to switch dog food. What do you recommend?', { conversation_id: 'day10' });
  const all = [...texts(d.memory_detail_list), ...texts(d.preference_detail_list, 'preference')].join('\n');
  expect(all).toMatch(/Golden Retriever/);
  expect(all).toMatch(/3-month/);
  expect(all).toMatch(/chicken/);
  expect(all).toMatch(/lamb/i);
});

test('agent isolation: a memory written by one agent is visible through that agent\'s filter only', async () => {
  await add('runner', 'c1', [{ role: 'user', content: 'I ran 5 km today and my knee is sore.' }], { agent_id: 'health_assistant' });
  const own = await search('runner', 'How is my knee after running?', { filter: { and: [{ agent_id: 'health_assistant' }] } });
  expect(texts(own.memory_detail_list).join('\n')).toMatch(/knee/);
  const other = await search('runner', 'How is my knee after running?', { filter: { and: [{ agent_id: 'shopping_assistant' }] } });
  expect(other.memory_detail_list).toEqual([]);
  expect(other.preference_detail_list).toEqual([]);
});

test('tool memory: a weather call becomes a schema and a trajectory, recalled for a clothing question', async () => {
  const schema = { type: 'function', function: { name: 'get_weather', description: 'Get the current weather for a city', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } };
  await add('tooluser', 'c1', [
    { role: 'system', content: `You can call these tools: ${JSON.stringify([schema])}` },
    { role: 'user', content: "What's the weather like in Beijing today?" },
    { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Beijing"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":"7°C","condition":"Cloudy"}' },
    { role: 'assistant', content: 'It is 7°C and cloudy in Beijing.' },
  ]);
  const d = await search('tooluser', 'What clothes should I wear in Beijing?', { include_tool_memory: true });
  const tools = d.tool_memory_detail_list;
  const schemaMem = tools.find((t: any) => t.tool_type === 'ToolSchemaMemory');
  const traj = tools.find((t: any) => t.tool_type === 'ToolTrajectoryMemory');
  expect(schemaMem.tool_value).toMatchObject({ name: 'get_weather' });
  expect(traj.tool_value).toMatch(/get_weather/);
  expect(traj.tool_value).toMatch(/7°C/);
  expect(traj.tool_used_status[0]).toMatchObject({ used_tool: 'get_weather', success_rate: 1 });
  expect(traj.experience).toMatch(/get_weather/);
  const without = await search('tooluser', 'What clothes should I wear in Beijing?');
  expect(without.tool_memory_detail_list).toEqual([]);
});

test('extraction: profile facts become UserMemory and "keep replies short" an explicit preference', async () => {
  await add('alex', 'c1', [{ role: 'user', content: "I'm Alex, 28, a backend developer in Hangzhou. I love playing badminton. Please keep replies short." }]);
  const g = await call('/get/memory', { user_id: 'alex', size: 50 });
  const facts = g.body.data.memory_detail_list.filter((m: any) => m.memory_type === 'UserMemory');
  expect(texts(facts).join('\n')).toMatch(/Hangzhou/);
  expect(texts(facts).join('\n')).toMatch(/badminton/);
  const prefs = g.body.data.preference_detail_list;
  expect(prefs.find((p: any) => /short/i.test(p.preference))).toMatchObject({ preference_type: 'explicit_preference' });
});

test('11. feedback: "actually I like mangosteens" archives the apple memory and adds the new one', async () => {
  await add('fruitfan', 'c1', [{ role: 'user', content: 'I like apples, but I don\'t like bananas.' }]);
  const before = await search('fruitfan', 'Which fruit do I like? apples?');
  expect(texts(before.preference_detail_list, 'preference').join('\n')).toMatch(/apple/i);

  const fb = await call('/add/feedback', { user_id: 'fruitfan', conversation_id: 'c1', feedback_content: 'Actually, I like mangosteens, not apples.' });
  expect(fb.body).toMatchObject({ code: 0, data: { success: true, status: 'running' } });
  expect(await waitForTask(call, fb.body.data.task_id)).toBe('completed');

  const after = await search('fruitfan', 'Which fruit do I like?');
  const all = [...texts(after.memory_detail_list), ...texts(after.preference_detail_list, 'preference')];
  expect(all[0] ?? '').toMatch(/mangosteen/i);
  const g = await call('/get/memory', { user_id: 'fruitfan', size: 50 });
  const activePrefs = texts(g.body.data.preference_detail_list, 'preference');
  expect(activePrefs.join('\n')).toMatch(/mangosteen/i);
  expect(activePrefs.filter((p) => /\blikes? apples/i.test(p))).toEqual([]);
});

test('feedback keyword replacement rewrites every matching memory', async () => {
  await add('renamer', 'c1', [{ role: 'user', content: 'User 1 is the owner of the Berlin project.' }]);
  await add('renamer', 'c2', [{ role: 'user', content: 'Send the weekly report to User 1.' }]);
  const fb = await call('/add/feedback', { user_id: 'renamer', conversation_id: 'c3', feedback_content: 'Replace User 1 with User 2 everywhere', async_mode: false });
  expect(fb.body.data.status).toBe('completed');
  const g = await call('/get/memory', { user_id: 'renamer', size: 50 });
  const all = texts(g.body.data.memory_detail_list).join('\n');
  expect(all).not.toMatch(/User 1\b/);
  expect(all).toMatch(/User 2 is the owner of the Berlin project/);
  expect(all).toMatch(/weekly report to User 2/);
});

test('irrelevant feedback completes with no change', async () => {
  await add('calm', 'c1', [{ role: 'user', content: 'My cat is called Mochi.' }]);
  const before = (await call('/get/memory', { user_id: 'calm', size: 50 })).body.data.total;
  const fb = await call('/add/feedback', { user_id: 'calm', conversation_id: 'c1', feedback_content: 'ok', async_mode: false });
  expect(fb.body.data.status).toBe('completed');
  expect((await call('/get/memory', { user_id: 'calm', size: 50 })).body.data.total).toBe(before);
});

test('Chinese: a question in other words than the statement still finds it (segmentation-independent)', async () => {
  await add('zh-user', 'c1', [
    { role: 'user', content: '我住在杭州，我对坚果过敏，不吃香菜。' },
    { role: 'assistant', content: '好的，我记住了。' },
  ]);
  const d = await search('zh-user', '我应该避免吃什么？');
  const all = [...texts(d.memory_detail_list), ...texts(d.preference_detail_list, 'preference')].join('\n');
  expect(all).toMatch(/香菜/);
  const home = await search('zh-user', '我住在哪个城市？');
  expect(texts(home.memory_detail_list).join('\n')).toMatch(/杭州/);
});
