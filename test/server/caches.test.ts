/**
 * Per-user state the server keeps between requests must be keyed by project and user. The write path remembers
 * the last turns of recently active conversations (a new turn is indexed with its neighbours' words): two users,
 * or two projects, that happen to use the same conversation id must never lend each other those words.
 */
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

const rid = () => Math.random().toString(36).slice(2, 8);
const SECRET = 'I keep my passport in the zebra-striped drawer of the walnut cabinet.';
const QUERY = 'Where is the zebra-striped drawer of the walnut cabinet?';

async function say(c: typeof call, user: string, conversation: string, text: string) {
  const r = await c('/add/message', { user_id: user, conversation_id: conversation, messages: [{ role: 'user', content: text }] });
  expect(r.body.code).toBe(0);
}

async function recalled(c: typeof call, user: string): Promise<string> {
  const r = await c('/search/memory', { user_id: user, query: QUERY, relativity: 0, include_preference: false });
  expect(r.body.code).toBe(0);
  return JSON.stringify(r.body.data.memory_detail_list.map((m: any) => m.memory_value));
}

test("a turn is indexed with its own conversation's earlier turns (the control)", async () => {
  const user = 'owner-' + rid();
  await say(call, user, 'shared', SECRET);
  await say(call, user, 'shared', 'Thanks, that is all.');
  // The second turn is found through the first one's words.
  expect(await recalled(call, user)).toContain('that is all');
});

test("another user with the same conversation id does not get the first user's turns as context", async () => {
  const a = 'a-' + rid();
  const b = 'b-' + rid();
  const conversation = 'conv-' + rid();
  await say(call, a, conversation, SECRET);
  await say(call, b, conversation, 'Thanks, that is all.');
  expect(await recalled(call, b)).toBe('[]');
  expect(await recalled(call, a)).toContain('zebra-striped drawer');
});

test("a user of another project with the same user and conversation ids does not get them either", async () => {
  const other = client({ baseUrl: server.baseUrl, apiKey: await server.createKey('other-' + rid()) });
  const user = 'same-' + rid();
  const conversation = 'conv-' + rid();
  await say(call, user, conversation, SECRET);
  await say(other, user, conversation, 'Thanks, that is all.');
  expect(await recalled(other, user)).toBe('[]');
  expect(await recalled(call, user)).toContain('zebra-striped drawer');
});
