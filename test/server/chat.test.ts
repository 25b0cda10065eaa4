/**
 * /chat with no language model configured: the offline answer (recalled memories quoted and labelled), the
 * server-sent-event frame format of contract §3.10, what is written back, and every refusal, which must come
 * back as the JSON error envelope even when a stream was asked for.
 */
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

beforeAll(async () => {
  const r = await call('/add/message', {
    user_id: 'dana',
    conversation_id: 'pets-1',
    agent_id: 'pet_shop',
    messages: [
      { role: 'user', content: 'My dog Max is allergic to chicken.', chat_time: '2025-05-01 10:00:00' },
      { role: 'user', content: 'I prefer short answers.', chat_time: '2025-05-01 10:01:00' },
    ],
    async_mode: false,
  });
  expect(r.body.code).toBe(0);
});

/** Raw SSE call: status, headers and the parsed frames in arrival order. */
async function stream(body: Record<string, unknown>) {
  const res = await fetch(server.baseUrl + '/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const text = await res.text();
  const frames = text
    .split('\n\n')
    .filter((f) => f.trim())
    .map((f) => {
      expect(f).toMatch(/^data: /);
      return JSON.parse(f.slice(6));
    });
  return { res, text, frames };
}

describe('offline answers', () => {
  test('the answer quotes the recalled memories and says it is not generated', async () => {
    const r = await call('/chat', { user_id: 'dana', conversation_id: 'pets-2', query: 'What food should I buy for my dog?', add_message_on_answer: false });
    expect(r.body).toMatchObject({ code: 0, message: 'ok', data: { answer_type: 'extractive', reference: expect.any(Array) } });
    const answer: string = r.body.data.response;
    expect(answer).toMatch(/^\(No language model is configured, so this answer quotes what was recalled/);
    expect(answer).toMatch(/allergic to chicken/);
    expect(r.body.data.reference.length).toBeGreaterThan(0);
  });

  test('nothing relevant: it says so', async () => {
    const r = await call('/chat', { user_id: 'dana', conversation_id: 'pets-2', query: 'Explain quantum chromodynamics', add_message_on_answer: false });
    expect(r.body.data.response).toMatch(/Nothing remembered or in the knowledge bases relates to this question\.$/);
    expect(r.body.data.reference).toEqual([]);
  });

  test('a Chinese question gets Chinese labels', async () => {
    await call('/add/message', { user_id: 'li', conversation_id: 'c1', messages: [{ role: 'user', content: '我对花生过敏。' }], async_mode: false });
    const r = await call('/chat', { user_id: 'li', conversation_id: 'c2', query: '我对什么过敏？', add_message_on_answer: false });
    expect(r.body.data.response).toMatch(/^\(未配置语言模型/);
    expect(r.body.data.response).toMatch(/花生/);
  });

  test('filters scope the recall as in /search/memory', async () => {
    const inside = await call('/chat', { user_id: 'dana', conversation_id: 'x', query: 'Is my dog allergic to anything?', filter: { and: [{ agent_id: 'pet_shop' }] }, add_message_on_answer: false });
    expect(inside.body.data.response).toMatch(/chicken/);
    const outside = await call('/chat', { user_id: 'dana', conversation_id: 'x', query: 'Is my dog allergic to anything?', filter: { and: [{ agent_id: 'travel' }] }, add_message_on_answer: false });
    expect(outside.body.data.response).not.toMatch(/chicken/);
  });
});

describe('streaming', () => {
  test('frames: text deltas, then reference, then end (contract §3.10)', async () => {
    const body = { user_id: 'dana', conversation_id: 'pets-3', query: 'What is my dog allergic to?', add_message_on_answer: false };
    const { res, frames } = await stream(body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const types = frames.map((f) => f.type);
    expect(types.length).toBeGreaterThan(3);
    expect(types.slice(0, -2).every((t) => t === 'text')).toBe(true);
    expect(types.slice(-2)).toEqual(['reference', 'end']);
    const streamed = frames.filter((f) => f.type === 'text').map((f) => f.data).join('');
    const plain = await call('/chat', body);
    expect(streamed).toBe(plain.body.data.response);
    expect(frames.at(-2).data).toEqual(plain.body.data.reference);
  });

  test.each([
    ['a missing conversation_id → 40002', { user_id: 'dana', query: 'hi' }, 40002],
    ['an unknown knowledge base → 50120', { user_id: 'dana', conversation_id: 'c', query: 'hi', knowledgebase_ids: ['base-nope'] }, 50120],
    ['an unknown knowledge base to write to → 50120', { user_id: 'dana', conversation_id: 'c', query: 'hi', allow_knowledgebase_ids: ['base-nope'] }, 50120],
    ['max_tokens over the allowance → 40302', { user_id: 'dana', conversation_id: 'c', query: 'hi', max_tokens: 100_000 }, 40302],
  ])('errors before the first frame are one SSE error frame (what a streaming client reads): %s', async (_n, body, code) => {
    const res = await fetch(server.baseUrl + '/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
      body: JSON.stringify({ ...body, stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const frames = (await res.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
    expect(frames).toEqual([{ type: 'error', code, message: expect.any(String) }]);
  });
});

describe('writing the turn back', () => {
  test('by default the question is remembered (an offline answer is not: it only quotes memories)', async () => {
    const r = await call('/chat', { user_id: 'eve', conversation_id: 'e-1', query: 'I am planning a trip to Lisbon in May, any tips?', agent_id: 'travel_bot', tags: ['Lisbon', 'Tokyo'] });
    expect(r.body.code).toBe(0);
    const msgs = await call('/get/message', { user_id: 'eve', conversation_id: 'e-1' });
    expect(msgs.body.data.message_detail_list.map((m: any) => [m.role, m.content])).toEqual([['user', 'I am planning a trip to Lisbon in May, any tips?']]);
    // The write is a normal /add/message: searchable, with the agent and the matching tag applied.
    const s = await call('/search/memory', { user_id: 'eve', query: 'Lisbon trip', filter: { and: [{ agent_id: 'travel_bot' }] } });
    expect(s.body.data.memory_detail_list[0]).toMatchObject({ memory_value: expect.stringMatching(/Lisbon/), tags: expect.arrayContaining(['Lisbon']) });
    expect(s.body.data.memory_detail_list[0].tags).not.toContain('Tokyo');
  });

  test('add_message_on_answer: false writes nothing', async () => {
    await call('/chat', { user_id: 'frank', conversation_id: 'f-1', query: 'Remember that I like jazz', add_message_on_answer: false });
    expect((await call('/get/message', { user_id: 'frank', conversation_id: 'f-1' })).body.data.message_detail_list).toEqual([]);
  });

  test('a streamed chat is remembered once the stream has ended', async () => {
    const { frames } = await stream({ user_id: 'gina', conversation_id: 'g-1', query: 'My favourite tea is oolong.' });
    expect(frames.at(-1)).toEqual({ type: 'end' });
    const msgs = await call('/get/message', { user_id: 'gina', conversation_id: 'g-1' });
    expect(msgs.body.data.message_detail_list).toHaveLength(1);
  });

  test('the question shows up in later recall, refined in the background', async () => {
    await call('/chat', { user_id: 'hugo', conversation_id: 'h-1', query: 'I live in Porto and I work as a nurse.' });
    const deadline = Date.now() + 10_000;
    let facts: string[] = [];
    while (Date.now() < deadline) {
      const s = await call('/get/memory', { user_id: 'hugo' });
      facts = s.body.data.memory_detail_list.map((m: any) => m.memory_value);
      if (facts.some((f) => !f.startsWith('user:'))) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(facts.join('\n')).toMatch(/Porto/);
    expect(facts.some((f) => !f.startsWith('user:') && /Porto|nurse/.test(f))).toBe(true);
  });
});

describe('refusals', () => {
  test.each([
    ['user_id over 100 characters → 40010', { user_id: 'u'.repeat(101), conversation_id: 'c', query: 'q' }, 40010],
    ['conversation_id over 100 characters → 40011', { user_id: 'u', conversation_id: 'c'.repeat(101), query: 'q' }, 40011],
    ['an empty query → 40002', { user_id: 'u', conversation_id: 'c', query: '' }, 40002],
    ['relativity out of range → 40012', { user_id: 'u', conversation_id: 'c', query: 'q', relativity: 2 }, 40012],
    ['temperature out of range → 40000', { user_id: 'u', conversation_id: 'c', query: 'q', temperature: 3 }, 40000],
    ['top_p out of range → 40000', { user_id: 'u', conversation_id: 'c', query: 'q', top_p: 1.5 }, 40000],
    ['stream not a boolean → 40000', { user_id: 'u', conversation_id: 'c', query: 'q', stream: 'yes' }, 40000],
    ['knowledgebase_ids of the wrong shape → 40000', { user_id: 'u', conversation_id: 'c', query: 'q', knowledgebase_ids: 'some' }, 40000],
  ])('%s', async (_n, body, code) => {
    expect((await call('/chat', body)).body.code).toBe(code);
  });

  test('a query over 8,000 tokens → 40301, and nothing is written', async () => {
    const r = await call('/chat', { user_id: 'ivan', conversation_id: 'i-1', query: 'word '.repeat(9000) });
    expect(r.body).toMatchObject({ code: 40301, message: expect.stringMatching(/8000/) });
    expect((await call('/get/message', { user_id: 'ivan', conversation_id: 'i-1' })).body.data.message_detail_list).toEqual([]);
  });

  test('an unknown allow_knowledgebase_ids → 50120 before answering, nothing written', async () => {
    const r = await call('/chat', { user_id: 'ivan', conversation_id: 'i-2', query: 'hello there', allow_knowledgebase_ids: ['base-missing'] });
    expect(r.body.code).toBe(50120);
    expect((await call('/get/message', { user_id: 'ivan', conversation_id: 'i-2' })).body.data.message_detail_list).toEqual([]);
  });
});
