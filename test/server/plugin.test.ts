/**
 * The plugin operations called the way Coze and Dify call an imported OpenAPI tool: the URL is the document's one
 * server plus the operation's path; Coze sends the service token it was given as the Authorization header
 * ("Token <key>") and the inputs the model filled in (Coze's own MemOS plugin passes memory_limit_number as text,
 * unfilled optional inputs as ""); Dify sends "Bearer <key>", typed inputs and the declared defaults. Every reply is
 * checked against the response schema the document publishes.
 */
import Ajv from 'ajv';
import { allEndpoints } from '../../server/src/http/app';
import { formatDate } from '../../server/src/engine/time';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';
import { operations } from './openapi-import-rules';

const server = useServer();
let doc: any;
const ajv = new Ajv({ strict: false, allErrors: true });
const hasChat = allEndpoints().some((e) => e.path === '/chat');

beforeAll(async () => {
  doc = await (await fetch(server.origin + '/openapi.json')).json();
});

type Platform = 'coze' | 'dify';

/** One tool call: resolve the operation in the imported document, send it, check the reply against its schema. */
async function tool(platform: Platform, operationId: string, inputs: Record<string, unknown>, key = server.apiKey) {
  const found = operations(doc).find((o) => o.op.operationId === operationId);
  if (!found) throw new Error(`operation ${operationId} is not in the document`);
  const body = found.op.requestBody.content['application/json'].schema;
  for (const name of Object.keys(inputs)) expect(Object.keys(body.properties)).toContain(name);
  const sent: Record<string, unknown> = { ...inputs };
  // Dify fills in the declared defaults of inputs the model left out.
  if (platform === 'dify') for (const [k, p] of Object.entries<any>(body.properties)) if (sent[k] === undefined && p.default !== undefined) sent[k] = p.default;
  const res = await fetch(doc.servers[0].url + found.path, {
    method: found.method.toUpperCase(),
    headers: { 'content-type': 'application/json', authorization: platform === 'coze' ? `Token ${key}` : `Bearer ${key}` },
    body: JSON.stringify(sent),
  });
  expect(res.status).toBe(200);
  const reply = (await res.json()) as { code: number; message: string; data: any };
  const schema = found.op.responses['200'].content['application/json'].schema;
  const valid = ajv.validate(schema, reply);
  if (!valid) throw new Error(`reply does not match the published schema: ${ajv.errorsText()}\n${JSON.stringify(reply)}`);
  return reply;
}

describe('plugin operations as Coze and Dify call them', () => {
  const user = 'buyer-' + Math.random().toString(36).slice(2, 8);

  it('add_message (Coze): remembers a user turn and the assistant reply', async () => {
    const r = await tool('coze', 'add_message', {
      user_id: user,
      conversation_id: 'chat-0610',
      user_message: 'I wear size M, I avoid polyester, and my budget is under $30.',
      assistant_message: 'Noted: size M, no polyester, under $30.',
      chat_time: '2025-06-10 09:00:00',
      tags: 'fashion, sizing',
      agent_id: '',
      async_mode: false,
    });
    expect(r).toMatchObject({ code: 0, message: 'ok', data: { success: true, status: 'completed' } });
    expect(r.data.task_id).toEqual(expect.any(String));
    const msgs = await client(server)('/get/message', { user_id: user, conversation_id: 'chat-0610' });
    expect(msgs.body.data.message_detail_list.map((m: any) => m.role)).toEqual(['user', 'assistant']);
  });

  it('search_memory (Coze, limit as text): the fact comes back, with prompt-ready context', async () => {
    const r = await tool('coze', 'search_memory', { user_id: user, query: 'recommend a summer dress', memory_limit_number: '6', knowledgebase_ids: '' });
    expect(r.code).toBe(0);
    expect(r.message).toBe('ok');
    expect(r.data.memory_count).toBeGreaterThan(0);
    expect(r.data.context).toMatch(/size M/);
    expect(r.data.context).toMatch(/^- \[2025-06-10 \d\d:\d\d\] /m);
    expect(r.data.memory_detail_list[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), memory_value: expect.any(String), memory_time: expect.any(String), relativity: expect.any(Number) }),
    );
  });

  it('search_memory (Dify, Bearer key, typed inputs and defaults): same memory', async () => {
    const r = await tool('dify', 'search_memory', { user_id: user, query: 'what size do I wear?', include_preference: true, relativity: 0 });
    expect(r.code).toBe(0);
    expect(r.data.context).toMatch(/size M/);
  });

  it('add_feedback: a correction is applied and then recalled', async () => {
    const r = await tool('coze', 'add_feedback', {
      user_id: user,
      conversation_id: 'chat-0612',
      feedback_content: 'My budget is under $40 now, not $30.',
      async_mode: false,
    });
    expect(r).toMatchObject({ code: 0, data: { success: true, status: 'completed' } });
    const s = await tool('dify', 'search_memory', { user_id: user, query: 'what is my budget?' });
    expect(s.data.context).toMatch(/\$40/);
  });

  it('add_message without a conversation id files the turn under one conversation per user and day', async () => {
    const r = await tool('dify', 'add_message', { user_id: user, user_message: 'Please ship to Berlin.' });
    expect(r.code).toBe(0);
    const conv = `plugin-${formatDate(Date.now(), 'Asia/Shanghai')}`;
    const msgs = await client(server)('/get/message', { user_id: user, conversation_id: conv });
    expect(msgs.body.data.message_detail_list.map((m: any) => m.content)).toContain('Please ship to Berlin.');
  });

  (hasChat ? it : it.skip)('chat_with_memory: answers from memory and remembers the turn', async () => {
    const r = await tool('coze', 'chat_with_memory', { user_id: user, conversation_id: 'chat-0615', query: 'Which size should I order?' });
    expect(r.code).toBe(0);
    expect(r.data.response.length).toBeGreaterThan(0);
    expect(r.data.response).toMatch(/\bM\b/);
  });

  it('errors come back as MemOS codes in the same envelope', async () => {
    const missing = await tool('coze', 'search_memory', { user_id: user });
    expect(missing).toMatchObject({ code: 40002, data: null });
    expect(missing.message).toMatch(/query/);
    const empty = await tool('coze', 'add_message', { user_id: user, user_message: '', assistant_message: '' });
    expect(empty.code).toBe(40002);
    const badKey = await tool('coze', 'search_memory', { user_id: user, query: 'x' }, 'mpg-wrong');
    expect(badKey.code).toBe(40132);
    const longId = await tool('dify', 'search_memory', { user_id: 'u'.repeat(101), query: 'x' });
    expect(longId.code).toBe(40010);
  });
});
