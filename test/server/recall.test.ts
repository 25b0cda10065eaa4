/**
 * Recall behaviours behind the LoCoMo figures (docs/benchmarks.md), over HTTP: a turn is found through the words
 * of its exchange while each memory stays one turn, a named speaker is an author the question can name, and a word
 * searched before anyone said it is found once it is.
 */
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

const search = async (user: string, query: string) => {
  const r = await call('/search/memory', { user_id: user, query, include_preference: false });
  expect(r.body.code).toBe(0);
  return r.body.data.memory_detail_list as Array<{ memory_value: string; relativity: number }>;
};

test('an answer is found through the question it answers, and comes back alone', async () => {
  const r = await call('/add/message', {
    user_id: 'musician',
    conversation_id: 's1',
    messages: [
      { role: 'assistant', content: 'Do you play any instruments?', chat_time: '2024-03-01 10:00:00' },
      { role: 'user', content: 'Yes, the clarinet, since I was eight.', chat_time: '2024-03-01 10:00:30' },
      { role: 'assistant', content: 'Nice. What did you cook last weekend?', chat_time: '2024-03-01 10:01:00' },
      { role: 'user', content: 'A big pot of lentil soup.', chat_time: '2024-03-01 10:01:30' },
    ],
  });
  await waitForTask(call, r.body.data.task_id);
  const found = await search('musician', 'Which instruments do I play?');
  const answer = found.find((m) => /clarinet/.test(m.memory_value));
  expect(answer).toBeDefined();
  // One turn per memory: the question lifted it but is not part of what comes back.
  expect(answer!.memory_value).not.toMatch(/Do you play/);
  const lentil = found.findIndex((m) => /lentil/.test(m.memory_value));
  expect(lentil === -1 || found.indexOf(answer!) < lentil).toBe(true);
});

test('a named speaker is the author a question can name', async () => {
  const r = await call('/add/message', {
    user_id: 'friends',
    conversation_id: 's1',
    messages: [
      { role: 'user', name: 'Ann', content: 'I painted a sunset over the lake last week.', chat_time: '2024-05-01 18:00:00' },
      { role: 'assistant', name: 'Bo', content: 'Ann, I painted a sunset too, over the sea!', chat_time: '2024-05-01 18:01:00' },
    ],
  });
  await waitForTask(call, r.body.data.task_id);
  const anns = await search('friends', 'What did Ann paint?');
  expect(anns[0].memory_value).toMatch(/^Ann \(user\): \[06:00 PM on 1 May, 2024 .*\]: I painted a sunset over the lake/);
  const bos = await search('friends', 'What did Bo paint?');
  expect(bos[0].memory_value).toMatch(/^Bo \(assistant\): .*over the sea/);
});

test('a word searched before anyone said it is found once it is', async () => {
  await call('/add/message', { user_id: 'later', conversation_id: 'c1', messages: [{ role: 'user', content: 'My bike is blue.' }], async_mode: false });
  // "bike" is known, "zanzibar" not yet: the search must not remember that.
  expect((await search('later', 'Zanzibar or my bike?')).map((m) => m.memory_value).join('\n')).not.toMatch(/Zanzibar/);
  await call('/add/message', { user_id: 'later', conversation_id: 'c2', messages: [{ role: 'user', content: 'We are flying to Zanzibar in June.' }] });
  const after = await search('later', 'Zanzibar or my bike?');
  expect(after.map((m) => m.memory_value).join('\n')).toMatch(/Zanzibar/);
});
