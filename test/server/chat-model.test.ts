/**
 * The language-model path against a fake OpenAI-compatible endpoint (test/helpers/fake-openai.ts): what the
 * model is sent (recalled memories, knowledge-base passages, history, generation parameters), streaming
 * frame order, the model doing fine-mode extraction and feedback analysis, and clean offline fallbacks when
 * the model answers 429 or 500, times out, or sends something that is not JSON.
 */
import { answer, isChatPrompt, startFakeOpenAI, type ChatBody, type FakeOpenAI } from '../helpers/fake-openai';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

let fake: FakeOpenAI;
let kb: string;

const TIMEOUT_MS = 800;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const IT_HANDBOOK = '# IT handbook\n\n## Intranet proxy\n\nIntel Macs use ProxyClient-x64.pkg. Apple silicon Macs use ProxyClient-arm64.pkg.\n';

/** What the fake says to extraction prompts unless a test overrides it: nothing worth remembering. */
let extractionReply: (body: ChatBody) => string = () => '{"facts": [], "preferences": []}';
let feedbackReply: (body: ChatBody) => string = () => '{"kind": "irrelevant"}';

const isExtraction = (b: ChatBody) => b.messages[0]?.content.startsWith('You extract');
const isFeedback = (b: ChatBody) => b.messages[0]?.content.startsWith('You analyse');

beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.respondWith((body) => (isExtraction(body) ? extractionReply(body) : isFeedback(body) ? feedbackReply(body) : answer(body)));
});
afterAll(() => fake.close());
const server = useServer(() => ({
  env: {
    MEMOS_LLM_BASE_URL: fake.baseUrl,
    MEMOS_LLM_API_KEY: 'sk-test',
    MEMOS_LLM_MODEL: 'fake-small, fake-large',
    MEMOS_LLM_TIMEOUT_MS: String(TIMEOUT_MS),
  },
}));
const call = client(server);

beforeAll(async () => {
  kb = (await call('/create/knowledgebase', { knowledgebase_name: 'IT' })).body.data.id;
  const up = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: b64(IT_HANDBOOK), name: 'it-handbook.md' }] });
  for (let i = 0; i < 200; i++) {
    const f = await call('/get/knowledgebase-file', { file_ids: [up.body.data[0].id] });
    if (f.body.data.file_detail_list[0].status === 'completed') break;
    await new Promise((res) => setTimeout(res, 25));
  }
  const add = await call('/add/message', {
    user_id: 'sam',
    conversation_id: 'day-1',
    messages: [{ role: 'user', content: 'I use a 13-inch Intel MacBook Pro and I need the intranet proxy.', chat_time: '2025-03-01 09:00:00' }],
    async_mode: false,
  });
  expect(add.body.code).toBe(0);
});

const lastChat = () => fake.chatRequests().at(-1)!;
const chatOnly = (b: ChatBody) => isChatPrompt(b);

async function sse(body: Record<string, unknown>) {
  const res = await fetch(server.baseUrl + '/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
    body: JSON.stringify({ ...body, stream: true }),
  });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const frames: Array<{ at: number; frame: any }> = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      expect(raw).toMatch(/^data: /);
      frames.push({ at: Date.now(), frame: JSON.parse(raw.slice(6)) });
    }
  }
  return frames;
}

const textOf = (frames: Array<{ frame: any }>) =>
  frames
    .filter((f) => f.frame.type === 'text')
    .map((f) => f.frame.data)
    .join('');

describe('what the model is sent', () => {
  test('the system prompt holds the recalled memory and the knowledge-base passage (§4.16 template)', async () => {
    const r = await call('/chat', {
      user_id: 'sam',
      conversation_id: 'day-20',
      query: "The proxy won't start. Which installer should I use?",
      knowledgebase_ids: [kb],
      max_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
    });
    expect(r.body).toMatchObject({ code: 0, data: { answer_type: 'model', response: expect.stringMatching(/^MODEL ANSWER \(fake-small\)/) } });
    const req = lastChat();
    expect(req).toMatchObject({ model: 'fake-small', max_tokens: 300, temperature: 0.2, top_p: 0.9 });
    const system = req.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/^# Role\n/);
    expect(system.content).toMatch(/# System context\nCurrent time: \d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Shanghai\)/);
    expect(system.content).toMatch(/## Facts\n-\[2025-03-01 09:00\] I use a 13-inch Intel MacBook Pro and I need the intranet proxy\./);
    expect(system.content).toMatch(/## Knowledge base\n-\[it-handbook\.md > IT handbook > Intranet proxy\] Intel Macs use ProxyClient-x64\.pkg\./);
    expect(system.content).toMatch(/# Safety protocol[\s\S]*Source[\s\S]*Attribution[\s\S]*Relevance[\s\S]*Freshness/);
    expect(system.content).toMatch(/follow its guidance[\s\S]*say so[\s\S]*language of the user's question/);
    expect(req.messages.at(-1)).toEqual({ role: 'user', content: "The proxy won't start. Which installer should I use?" });
    expect(r.body.data.reference.length).toBeGreaterThanOrEqual(2);
  });

  test('the earlier turns of the conversation come before the query, and the model answer is remembered', async () => {
    await waitIdle();
    const second = await call('/chat', { user_id: 'sam', conversation_id: 'day-20', query: 'And where do I download it?' });
    expect(second.body.code).toBe(0);
    const roles = lastChat().messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
    expect(lastChat().messages[2].content).toMatch(/^MODEL ANSWER/);
    const history = await call('/get/message', { user_id: 'sam', conversation_id: 'day-20' });
    expect(history.body.data.message_detail_list.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  test('model_name picks a configured model; an unknown name falls back to the default', async () => {
    await call('/chat', { user_id: 'sam', conversation_id: 'm', query: 'hello', model_name: 'fake-large', add_message_on_answer: false });
    expect(lastChat().model).toBe('fake-large');
    await call('/chat', { user_id: 'sam', conversation_id: 'm', query: 'hello', model_name: 'qwen3-32b', add_message_on_answer: false });
    expect(lastChat().model).toBe('fake-small');
  });

  test('system_prompt replaces the template; {{memories}} marks where the memories go', async () => {
    await call('/chat', { user_id: 'sam', conversation_id: 'p', query: 'Which laptop do I use?', system_prompt: 'You are Jeeves.\nKnown:\n{{memories}}\nBe brief.', add_message_on_answer: false });
    const custom = lastChat().messages[0].content;
    expect(custom).toMatch(/^You are Jeeves\.\nKnown:\n## Facts\n-\[2025-03-01 09:00\] I use a 13-inch Intel MacBook Pro/);
    expect(custom).toMatch(/\nBe brief\.$/);
    expect(custom).not.toMatch(/# Safety protocol/);
    await call('/chat', { user_id: 'sam', conversation_id: 'p', query: 'Which laptop do I use?', system_prompt: 'You are Jeeves.', add_message_on_answer: false });
    expect(lastChat().messages[0].content).toMatch(/^You are Jeeves\.\n\n# Memory data\n## Facts\n/);
  });
});

describe('streaming with a model', () => {
  test('deltas arrive in order, one frame per model chunk, then reference and end', async () => {
    const frames = await sse({ user_id: 'sam', conversation_id: 's-1', query: 'Which proxy installer fits my laptop?', knowledgebase_ids: 'all', add_message_on_answer: false });
    const types = frames.map((f) => f.frame.type);
    expect(types.slice(-2)).toEqual(['reference', 'end']);
    const texts = frames.filter((f) => f.frame.type === 'text');
    expect(texts.length).toBeGreaterThan(3);
    expect(textOf(frames)).toBe(answer(lastChat()));
    // Frames were written as the model produced them, not all at the end.
    expect(texts.at(-1)!.at - texts[0].at).toBeGreaterThan(0);
    expect(lastChat().stream).toBe(true);
  });

  test('a client that leaves mid-stream: the turn is not remembered', async () => {
    fake.respondWith((body) => (isChatPrompt(body) ? 'A long answer. '.repeat(300) : '{"facts": [], "preferences": []}'));
    try {
      const leave = new AbortController();
      const res = await fetch(server.baseUrl + '/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
        body: JSON.stringify({ user_id: 'sam', conversation_id: 's-left', query: 'Tell me everything.', stream: true }),
        signal: leave.signal,
      });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toMatch(/^data: \{"type":"text"/);
      leave.abort();
      await new Promise((r) => setTimeout(r, 1200));
      const msgs = await call('/get/message', { user_id: 'sam', conversation_id: 's-left' });
      expect(msgs.body.data.message_detail_list).toEqual([]);
    } finally {
      fake.respondWith((body) => (isExtraction(body) ? extractionReply(body) : isFeedback(body) ? feedbackReply(body) : answer(body)));
    }
  });

  test('reasoning models: a leading <think> block is not shown', async () => {
    fake.respondWith((body) => (isChatPrompt(body) ? '<think>The user has an Intel Mac, so x64.</think>Use ProxyClient-x64.pkg.' : '{"facts": [], "preferences": []}'));
    try {
      const frames = await sse({ user_id: 'sam', conversation_id: 's-2', query: 'Which installer?', add_message_on_answer: false });
      expect(textOf(frames)).toBe('Use ProxyClient-x64.pkg.');
      const plain = await call('/chat', { user_id: 'sam', conversation_id: 's-2', query: 'Which installer?', add_message_on_answer: false });
      expect(plain.body.data.response).toBe('Use ProxyClient-x64.pkg.');
    } finally {
      fake.respondWith((body) => (isExtraction(body) ? extractionReply(body) : isFeedback(body) ? feedbackReply(body) : answer(body)));
    }
  });
});

describe('a failing model falls back to the offline answer', () => {
  test.each(['429', '500', 'timeout', 'bad-json'] as const)('non-stream, model %s', async (mode) => {
    fake.failNext(mode, 1, chatOnly);
    const started = Date.now();
    const r = await call('/chat', { user_id: 'sam', conversation_id: `f-${mode}`, query: 'Which proxy installer do I need?', knowledgebase_ids: [kb] });
    expect(r.body).toMatchObject({ code: 0, data: { answer_type: 'extractive' } });
    expect(r.body.data.response).toMatch(/^\(The language model could not answer just now/);
    expect(r.body.data.response).toMatch(/ProxyClient-x64/);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 2000);
    expect(server.output()).toMatch(/chat model failed; answering offline/);
    // The question is still remembered.
    const msgs = await call('/get/message', { user_id: 'sam', conversation_id: `f-${mode}` });
    expect(msgs.body.data.message_detail_list.map((m: any) => m.role)).toEqual(['user']);
  });

  test.each(['429', '500', 'timeout', 'bad-json'] as const)('stream, model %s before the first token', async (mode) => {
    fake.failNext(mode, 1, chatOnly);
    const frames = await sse({ user_id: 'sam', conversation_id: `fs-${mode}`, query: 'Which proxy installer do I need?', knowledgebase_ids: [kb] });
    expect(frames.map((f) => f.frame.type).slice(-2)).toEqual(['reference', 'end']);
    expect(textOf(frames)).toMatch(/^\(The language model could not answer just now[\s\S]*ProxyClient-x64/);
  });

  test('stream cut off after the first tokens: the text so far, then an error frame', async () => {
    fake.failNext('cut-stream', 1, chatOnly);
    const frames = await sse({ user_id: 'sam', conversation_id: 'fs-cut', query: 'Which proxy installer do I need?' });
    const last = frames.at(-1)!.frame;
    expect(last).toMatchObject({ type: 'error', code: 50002, message: expect.stringMatching(/stopped in the middle of the answer/) });
    expect(textOf(frames)).toMatch(/^MODEL ANSWER/);
    expect(frames.some((f) => f.frame.type === 'end')).toBe(false);
    // A half answer is not remembered.
    const msgs = await call('/get/message', { user_id: 'sam', conversation_id: 'fs-cut' });
    expect(msgs.body.data.message_detail_list).toEqual([]);
  });
});

/** Waits until the fake has seen no new request for a moment (background extraction settled). */
async function waitIdle() {
  let n = -1;
  while (n !== fake.requests.length) {
    n = fake.requests.length;
    await new Promise((res) => setTimeout(res, 150));
  }
}

describe('fine-mode extraction by the model', () => {
  test('the model reply becomes facts and preferences with their sources and times', async () => {
    extractionReply = (body) => {
      const turn = body.messages[1].content;
      if (!/teal/.test(turn)) return '{"facts": [], "preferences": []}';
      return (
        'Here you go:\n```json\n' +
        JSON.stringify({
          facts: [
            { key: 'Favourite colour', value: 'The user\'s favourite colour is teal.', memory_type: 'UserMemory', state_key: 'favourite colour', event: false, tags: ['colour'], source_indexes: [0] },
            { key: 'broken', memory_type: 'UserMemory' },
          ],
          preferences: [{ type: 'explicit_preference', text: 'The user wants teal accents in every design.', reasoning: 'Stated directly.', tags: [], source_indexes: [0] }],
        }) +
        '\n```'
      );
    };
    const r = await call('/add/message', {
      user_id: 'tess',
      conversation_id: 't-1',
      messages: [{ role: 'user', content: 'Teal is my favourite colour; put teal accents in every design.', chat_time: '2025-07-01 08:00:00' }],
      async_mode: false,
    });
    expect(r.body.data.status).toBe('completed');
    const seen = fake.requests.filter(isExtraction).at(-1)!;
    expect(seen.messages[1].content).toBe('[0] user (2025-07-01 08:00): Teal is my favourite colour; put teal accents in every design.');
    const mem = await call('/get/memory', { user_id: 'tess' });
    const fact = mem.body.data.memory_detail_list.find((m: any) => m.memory_key === 'Favourite colour');
    expect(fact).toMatchObject({ memory_value: "The user's favourite colour is teal.", memory_type: 'UserMemory', tags: expect.arrayContaining(['mode:fine', 'colour']), memory_time: '2025-07-01 08:00' });
    expect(fact.sources[0]).toMatchObject({ role: 'user', content: expect.stringMatching(/^Teal is my favourite/) });
    expect(mem.body.data.preference_detail_list.map((p: any) => p.preference)).toContain('The user wants teal accents in every design.');
    // The malformed item was dropped, not the whole answer.
    expect(mem.body.data.memory_detail_list.map((m: any) => m.memory_key)).not.toContain('broken');
  });

  test.each(['bad-json', '500', 'timeout'] as const)('model %s during extraction: the rules extract instead, nothing is lost', async (mode) => {
    fake.failNext(mode, 1, isExtraction);
    const user = `ursula-${mode}`;
    const r = await call('/add/message', { user_id: user, conversation_id: 'u-1', messages: [{ role: 'user', content: 'I live in Lyon.' }], async_mode: false });
    expect(r.body.data.status).toBe('completed');
    const mem = await call('/get/memory', { user_id: user });
    const values = mem.body.data.memory_detail_list.map((m: any) => m.memory_value);
    expect(values.some((v: string) => /^The user lives in Lyon/.test(v))).toBe(true);
    expect(server.output()).toMatch(/model extraction failed; using the rule-based extraction/);
  });
});

describe('feedback analysis by the model', () => {
  test('a correction in words the rules do not know archives the memories the model names', async () => {
    extractionReply = (body) =>
      /Priya/.test(body.messages[1].content) && !/Tom/.test(body.messages[1].content)
        ? JSON.stringify({ facts: [{ key: 'Manager', value: "The user's manager is Priya.", memory_type: 'UserMemory', state_key: 'manager', source_indexes: [0] }], preferences: [] })
        : '{"facts": [], "preferences": []}';
    await call('/add/message', { user_id: 'vic', conversation_id: 'v-1', messages: [{ role: 'user', content: 'My manager is Priya.' }], async_mode: false });
    const before = await call('/get/memory', { user_id: 'vic' });
    const target = before.body.data.memory_detail_list.find((m: any) => m.memory_value === "The user's manager is Priya.");
    expect(target).toBeDefined();
    feedbackReply = (body) => {
      const ids = [...body.messages[1].content.matchAll(/^\[([^\]]+)\] .*Priya/gm)].map((m) => m[1]);
      return JSON.stringify({ kind: 'correct', wrong_value: null, outdated_ids: [...ids, 'not-a-real-id'] });
    };
    const fb = await call('/add/feedback', { user_id: 'vic', conversation_id: 'v-2', feedback_content: 'Priya left the team last month; Tom manages me now.', async_mode: false });
    expect(fb.body.data.status).toBe('completed');
    const seen = fake.requests.filter(isFeedback).at(-1)!;
    expect(seen.messages[1].content).toMatch(/^Feedback: Priya left the team last month; Tom manages me now\.\n\nMemories:\n\[/);
    const after = await call('/get/memory', { user_id: 'vic' });
    const active = after.body.data.memory_detail_list.map((m: any) => m.memory_value).join('\n');
    expect(active).not.toMatch(new RegExp(target.memory_value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    expect(active).toMatch(/\[user correction\] Priya left the team/);
  });

  test('a replacement the rules do not recognise is applied as one', async () => {
    await call('/add/message', { user_id: 'wes', conversation_id: 'w-1', messages: [{ role: 'user', content: 'Project Alpha ships in June.' }], async_mode: false });
    feedbackReply = () => JSON.stringify({ kind: 'replace', from: 'Alpha', to: 'Nova', wrong_value: null, outdated_ids: [] });
    const fb = await call('/add/feedback', { user_id: 'wes', conversation_id: 'w-2', feedback_content: 'We renamed the project: it is called Nova from now on, in every note.', async_mode: false });
    expect(fb.body.data.status).toBe('completed');
    const mem = await call('/get/memory', { user_id: 'wes' });
    const values = mem.body.data.memory_detail_list.map((m: any) => m.memory_value).join('\n');
    expect(values).toMatch(/Project Nova ships in June/);
    expect(values).not.toMatch(/Alpha/);
  });

  test('feedback the model finds irrelevant changes nothing', async () => {
    await call('/add/message', { user_id: 'zed', conversation_id: 'z-1', messages: [{ role: 'user', content: 'I drive a blue Volvo.' }], async_mode: false });
    feedbackReply = () => '{"kind": "irrelevant", "outdated_ids": []}';
    const before = (await call('/get/memory', { user_id: 'zed' })).body.data.memory_detail_list.length;
    const fb = await call('/add/feedback', { user_id: 'zed', conversation_id: 'z-2', feedback_content: 'Thanks, my Volvo question was answered nicely!', async_mode: false });
    expect(fb.body.data.status).toBe('completed');
    const after = (await call('/get/memory', { user_id: 'zed' })).body.data.memory_detail_list;
    expect(after).toHaveLength(before);
    expect(after.map((m: any) => m.memory_value).join('\n')).not.toMatch(/user correction/);
  });

  test('the model failing on feedback: the rules apply it', async () => {
    await call('/add/message', { user_id: 'xan', conversation_id: 'x-1', messages: [{ role: 'user', content: 'The office limit is 800 yuan.' }], async_mode: false });
    fake.failNext('429', 1, isFeedback);
    const fb = await call('/add/feedback', { user_id: 'xan', conversation_id: 'x-2', feedback_content: 'The office limit is 600, not 800.', async_mode: false });
    expect(fb.body.data.status).toBe('completed');
    expect(server.output()).toMatch(/model feedback analysis failed; using the rules/);
    const s = await call('/search/memory', { user_id: 'xan', query: 'What is the office limit?' });
    expect(s.body.data.memory_detail_list[0].memory_value).toMatch(/600, not 800/);
  });
});

test('a chat write-back is refined by the model like any other turn', async () => {
  const before = fake.requests.filter(isExtraction).length;
  const r = await call('/chat', { user_id: 'yara', conversation_id: 'y-1', query: 'I just adopted a cat named Miso.' });
  expect(r.body.data.answer_type).toBe('model');
  const deadline = Date.now() + 10_000;
  while (fake.requests.filter(isExtraction).length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  const seen = fake.requests.filter(isExtraction).at(-1)!;
  expect(seen.messages[1].content).toMatch(/^\[0\] user \(.*\): I just adopted a cat named Miso\.\n\[1\] assistant \(.*\): MODEL ANSWER/);
});
