/** Durability: a task interrupted by a crash completes after a restart, and nothing written before is lost. */
import { client, startMemosLite, waitForTask } from '../helpers/memos-lite';

test('kill -9 mid-task, restart: the task completes and earlier data is intact', async () => {
  const first = await startMemosLite({ env: { MEMOS_TASK_DELAY_MS: '60000' } });
  const call1 = client(first);
  const w = await call1('/add/message', {
    user_id: 'zoe',
    conversation_id: 'c1',
    messages: [{ role: 'user', content: 'I live in Chengdu and I have a parrot named Kiwi.', chat_time: '2025-04-01 08:00:00' }],
  });
  const taskId = w.body.data.task_id;
  expect((await call1('/get/status', { task_id: taskId })).body.data.status).toBe('running');
  // The fast-mode memory is already durable and searchable.
  expect((await call1('/search/memory', { user_id: 'zoe', query: 'parrot' })).body.data.memory_detail_list[0].memory_value).toMatch(/Kiwi/);
  await first.kill();

  const second = await startMemosLite({ dataDir: first.dataDir, apiKey: first.apiKey });
  try {
    const call2 = client(second);
    expect(await waitForTask(call2, taskId)).toBe('completed');
    const g = await call2('/get/memory', { user_id: 'zoe', size: 50 });
    const values = g.body.data.memory_detail_list.map((m: any) => m.memory_value).join('\n');
    expect(values).toMatch(/user: .*parrot named Kiwi/);
    expect(values).toMatch(/lives in Chengdu/);
    const msgs = await call2('/get/message', { user_id: 'zoe', conversation_id: 'c1' });
    expect(msgs.body.data.message_detail_list[0].content).toMatch(/Chengdu/);
  } finally {
    await second.stop();
  }
});
