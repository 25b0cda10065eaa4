/**
 * The contract's §8 scenarios that need a knowledge base, as HTTP conversations with no language model:
 *   4. customer-service refunds with an uploaded return skill,
 *   5. enterprise IT knowledge base (which proxy build to reinstall),
 *   6. finance reimbursement policy corrected through feedback.
 * Each asserts on what is recalled and on the (offline, quoted) chat answer.
 */
import { JSON_DOC } from '../fixtures/docs/generate';
import { client,  } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);

const b64 = (s: string) => Buffer.from(s).toString('base64');
const values = (list: any[]) => list.map((m) => m.memory_value as string);

async function knowledgebase(name: string, files: Array<{ name: string; text: string; type?: string }>): Promise<string> {
  const kb = (await call('/create/knowledgebase', { knowledgebase_name: name })).body.data.id as string;
  const up = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: files.map((f) => ({ content: b64(f.text), name: f.name, type: f.type ?? 'document' })) });
  expect(up.body.code).toBe(0);
  const ids = up.body.data.map((f: any) => f.id);
  const end = Date.now() + 15_000;
  for (;;) {
    const list = (await call('/get/knowledgebase-file', { file_ids: ids })).body.data.file_detail_list;
    if (list.every((f: any) => f.status === 'completed')) return kb;
    if (list.some((f: any) => f.status === 'failed') || Date.now() > end) throw new Error(JSON.stringify(list));
    await new Promise((res) => setTimeout(res, 50));
  }
}

const add = async (user: string, conv: string, messages: Array<{ role: string; content: string; chat_time?: string }>) => {
  const r = await call('/add/message', { user_id: user, conversation_id: conv, messages, async_mode: false });
  expect(r.body).toMatchObject({ code: 0, data: { status: 'completed' } });
};
const search = async (body: Record<string, unknown>) => {
  const r = await call('/search/memory', body);
  expect(r.body.code).toBe(0);
  return r.body.data;
};
const chat = async (body: Record<string, unknown>) => {
  const r = await call('/chat', body);
  expect(r.body.code).toBe(0);
  return r.body.data;
};

describe('4. customer-service refunds and returns', () => {
  const RETURN_SKILL = `---
name: return-and-refund
description: Handle return and refund requests from customers according to the store policy.
---
# Returns and refunds

## Procedure
1. Confirm the order and the date the goods were received.
2. No-reason returns are accepted within 7 days of receipt.
3. Fresh goods cannot be returned; offer compensation instead.
4. Items over $70 need supervisor approval before the return is accepted.
5. Offer a courier pickup first.
6. Refund to the original payment method.

## Experience
Customers calm down quickly when the pickup time is confirmed in the same message.
`;
  let kb: string;
  beforeAll(async () => {
    kb = await knowledgebase('Customer service', [{ name: 'SKILL.md', text: RETURN_SKILL, type: 'skill' }]);
    await add('shopper', 'order_refund_001', [
      { role: 'user', content: 'Where is my refund for order 1001?', chat_time: '2025-11-02 10:00:00' },
      { role: 'assistant', content: 'Your refund is being processed and is expected within 24 hours.', chat_time: '2025-11-02 10:00:20' },
    ]);
  });

  test('the return skill is recalled for "return headphones bought 3 days ago"', async () => {
    const d = await search({ user_id: 'shopper', query: 'I want to return the headphones I bought 3 days ago', include_skill: true, knowledgebase_ids: [kb] });
    expect(d.skill_detail_list).toHaveLength(1);
    expect(d.skill_detail_list[0].skill_value).toMatchObject({
      name: 'return-and-refund',
      procedure: expect.stringMatching(/within 7 days of receipt[\s\S]*over \$70 need supervisor approval[\s\S]*original payment method/),
    });
    expect(d.skill_detail_list[0].knowledgebase_id).toBe(kb);
  });

  test('the refund in progress is remembered in its conversation', async () => {
    const d = await search({ user_id: 'shopper', query: 'Is my refund still being processed?', conversation_id: 'order_refund_001' });
    expect(values(d.memory_detail_list).join('\n')).toMatch(/expected within 24 hours/);
  });

  test('chat offers the skill alongside what was said about the refund', async () => {
    const d = await chat({
      user_id: 'shopper',
      conversation_id: 'order_refund_002',
      query: 'I want to return the headphones I bought 3 days ago. And where is my refund?',
      knowledgebase_ids: [kb],
    });
    expect(d.answer_type).toBe('extractive');
    expect(d.response).toMatch(/^\(No language model is configured/);
    expect(d.response).toMatch(/return-and-refund/);
    expect(d.response).toMatch(/24 hours/);
  });
});

describe('5. enterprise IT knowledge base', () => {
  const IT_HANDBOOK = `# IT handbook

## Intranet proxy

The intranet proxy client is required for every internal site.
Apple silicon Macs (M1, M2, M3, M4) use ProxyClient-arm64.pkg.
Intel Macs use ProxyClient-x64.pkg; the arm64 build does not start on them.
Windows laptops use ProxyClient-setup.exe.
If the client does not open, uninstall it, restart, and reinstall the build that matches your processor.

## Printers

Printers are on every floor next to the lifts. Scan to email is enabled.
`;
  let kb: string;
  beforeAll(async () => {
    kb = await knowledgebase('IT', [{ name: 'it-handbook.md', text: IT_HANDBOOK }]);
    await add('engineer5', 'it-day1', [
      { role: 'user', content: 'I just got a 13-inch Intel MacBook Pro. How do I install the intranet proxy?', chat_time: '2025-03-01 09:00:00' },
      { role: 'assistant', content: 'Download the proxy client from the IT portal and follow the handbook.', chat_time: '2025-03-01 09:00:30' },
    ]);
  });

  test('day 20: search recalls the Intel laptop and the proxy section together', async () => {
    const d = await search({ user_id: 'engineer5', query: "The proxy won't open. Which version should I reinstall?", conversation_id: 'it-day20', knowledgebase_ids: 'all' });
    const all = values(d.memory_detail_list).join('\n');
    expect(all).toMatch(/Intel MacBook Pro/);
    expect(all).toMatch(/Intel Macs use ProxyClient-x64\.pkg/);
    const kbHit = d.memory_detail_list.find((m: any) => m.knowledgebase_id === kb);
    expect(kbHit).toMatchObject({ memory_key: 'IT handbook > Intranet proxy', knowledgebase_file: { name: 'it-handbook.md' } });
  });

  test('day 20: the chat answer points at the Intel build', async () => {
    const d = await chat({ user_id: 'engineer5', conversation_id: 'it-day20', query: "The proxy won't open. Which version should I reinstall?", knowledgebase_ids: [kb] });
    expect(d.response).toMatch(/Intel MacBook Pro/);
    expect(d.response).toMatch(/Intel Macs use ProxyClient-x64\.pkg/);
    // The printers section has nothing to do with it.
    expect(d.response).not.toMatch(/Printers/);
  });

  test('the chat turn is remembered: the question is in the conversation history', async () => {
    const r = await call('/get/message', { user_id: 'engineer5', conversation_id: 'it-day20' });
    expect(r.body.data.message_detail_list.map((m: any) => [m.role, m.content])).toEqual([['user', "The proxy won't open. Which version should I reinstall?"]]);
  });
});

describe('6. finance reimbursement knowledge base and feedback', () => {
  const POLICY = `# Software purchase reimbursement policy

Applies to every employee who buys software for work. Limits are per person per year, in yuan.

## Limits by category

- Design software: 1000 yuan
- Development software: 1500 yuan
- Office software: 800 yuan
- Data analysis software: 1200 yuan
- Security software: 1000 yuan
- Collaboration software: 900 yuan
- Special industry software: 2000 yuan (special approval required)

## Over the limit

Any purchase over its category limit needs a written justification and special approval from the finance director.
`;
  let kb: string;
  beforeAll(async () => {
    // A second, unrelated document in the same knowledge base: ranking must still pick the policy.
    kb = await knowledgebase('Finance', [
      { name: 'software-policy.md', text: POLICY },
      { name: 'policies.json', text: JSON_DOC },
    ]);
    await add('designer01', 'fin-1', [{ role: 'user', content: "I'm a designer in the Creative Platform Department.", chat_time: '2025-04-01 10:00:00' }]);
  });

  test('search returns the policy chunk and the user fact in one ranking', async () => {
    const d = await search({ user_id: 'designer01', query: 'How much can I get reimbursed for design software?', knowledgebase_ids: [kb] });
    const all = values(d.memory_detail_list);
    expect(all.join('\n')).toMatch(/Design software: 1000 yuan/);
    expect(all.join('\n')).toMatch(/designer in the Creative Platform Department/);
    expect(d.memory_detail_list.map((m: any) => m.knowledgebase_id ?? 'user')).toEqual(expect.arrayContaining([kb, 'user']));
  });

  test('"office limit is 600, not 800" with allow_knowledgebase_ids reaches every user of the project, ranked first', async () => {
    const fb = await call('/add/feedback', {
      user_id: 'designer01',
      conversation_id: 'fin-2',
      feedback_content: 'The office software limit is 600, not 800.',
      allow_knowledgebase_ids: [kb],
      async_mode: false,
    });
    expect(fb.body).toMatchObject({ code: 0, data: { success: true, status: 'completed' } });

    // Another user, who never spoke to the assistant.
    const d = await search({ user_id: 'analyst02', query: 'What is the reimbursement limit for office software?', knowledgebase_ids: [kb] });
    const all = values(d.memory_detail_list);
    expect(all[0]).toMatch(/office software limit is 600, not 800/);
    expect(d.memory_detail_list[0]).toMatchObject({ knowledgebase_id: kb, tags: expect.arrayContaining(['correction']) });
    // The original chunk is still there (contract §4.7: both come back), below the correction.
    expect(all.slice(1).join('\n')).toMatch(/Office software: 800 yuan/);

    // Without the knowledge base, the other user sees nothing of it.
    const alone = await search({ user_id: 'analyst02', query: 'What is the reimbursement limit for office software?' });
    expect(alone.memory_detail_list).toEqual([]);
  });

  test('chat for another user quotes the correction first', async () => {
    const d = await chat({ user_id: 'analyst02', conversation_id: 'fin-9', query: 'What is the reimbursement limit for office software?', knowledgebase_ids: 'all' });
    const correction = d.response.indexOf('600, not 800');
    expect(correction).toBeGreaterThan(0);
    expect(d.response.indexOf('Office software: 800 yuan')).toBeGreaterThan(correction);
  });

  test('keyword replacement: "Replace User 1 with User 2 everywhere"', async () => {
    await add('finops', 'fin-3', [{ role: 'user', content: 'User 1 approved the design software budget for Q3.', chat_time: '2025-04-03 10:00:00' }]);
    const fb = await call('/add/feedback', { user_id: 'finops', conversation_id: 'fin-4', feedback_content: 'Replace User 1 with User 2 everywhere', async_mode: false });
    expect(fb.body.data.status).toBe('completed');
    const d = await search({ user_id: 'finops', query: 'Who approved the design software budget?' });
    const all = values(d.memory_detail_list).join('\n');
    expect(all).toMatch(/User 2 approved the design software budget/);
    expect(all).not.toMatch(/User 1/);
  });
});
