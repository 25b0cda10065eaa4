/**
 * The MCP endpoint, driven by the MCP SDK's own client over Streamable HTTP against the real memos-lite process:
 * tool listing, each tool's result (text + structured content), the same API keys, and MemOS error codes.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { allEndpoints } from '../../server/src/http/app';
import { client as rest } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const open: Client[] = [];
const paths = new Set(allEndpoints().map((e) => e.path));
const hasKb = paths.has('/create/knowledgebase') && paths.has('/add/knowledgebase-file') && paths.has('/get/knowledgebase-file');
const hasChat = paths.has('/chat');

async function connect(authorization = `Bearer ${server.apiKey}`): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(server.origin + '/mcp'), { requestInit: { headers: { authorization } } });
  const c = new Client({ name: 'memos-test', version: '1.0.0' });
  await c.connect(transport);
  open.push(c);
  return c;
}

type ToolResult = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };
const call = async (c: Client, name: string, args: Record<string, unknown>) => (await c.callTool({ name, arguments: args })) as ToolResult;

afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
});

describe('MCP over Streamable HTTP', () => {
  const user = 'mcp-' + Math.random().toString(36).slice(2, 8);

  it('initialises and lists the memory tools with object input schemas', async () => {
    const c = await connect();
    expect(c.getServerVersion()?.name).toBe('memos-lite');
    expect(c.getInstructions()).toMatch(/search_memory/);
    const { tools } = await c.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['search_memory', 'add_message', 'add_feedback']));
    if (hasChat) expect(names).toContain('chat_with_memory');
    if (hasKb) expect(names).toEqual(expect.arrayContaining(['create_knowledge_base', 'add_kb_document', 'get_kb_documents']));
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.description!.length).toBeGreaterThan(20);
    }
    const search = tools.find((t) => t.name === 'search_memory')!;
    expect(search.inputSchema.required).toEqual(['user_id', 'query']);
    expect(search.outputSchema?.type).toBe('object');
  });

  it('add_message then search_memory: the turn is recalled, as text for the model and as structured content', async () => {
    const c = await connect(`Token ${server.apiKey}`);
    const add = await call(c, 'add_message', {
      user_id: user,
      conversation_id: 'day-1',
      user_message: 'My golden retriever Max is 3 months old and cannot eat chicken.',
      assistant_message: 'Got it, no chicken for Max.',
      async_mode: false,
    });
    expect(add.isError).toBeFalsy();
    expect(add.structuredContent).toMatchObject({ success: true, status: 'completed' });

    const found = await call(c, 'search_memory', { user_id: user, query: 'Max has diarrhea, which food should I switch to?' });
    expect(found.isError).toBeFalsy();
    expect(found.content[0].text).toMatch(/chicken/);
    expect(found.structuredContent.memory_count).toBeGreaterThan(0);
    expect(found.structuredContent.memory_detail_list.some((m: any) => /chicken/.test(m.memory_value))).toBe(true);
  });

  it('add_feedback corrects a memory', async () => {
    const c = await connect();
    const r = await call(c, 'add_feedback', { user_id: user, conversation_id: 'day-2', feedback_content: 'Max is 4 months old now, not 3 months.', async_mode: false });
    expect(r.structuredContent).toMatchObject({ success: true, status: 'completed' });
    const found = await call(c, 'search_memory', { user_id: user, query: 'How old is Max?' });
    expect(found.content[0].text).toMatch(/4 months/);
  });

  it('a bad argument is a tool error carrying the MemOS code', async () => {
    const c = await connect();
    const r = await call(c, 'search_memory', { user_id: user });
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toMatch(/^MemOS error 40002: .*query/);
    const unknown = await call(c, 'no_such_tool', {});
    expect(unknown.isError).toBe(true);
  });

  it('uses the API keys: a wrong or missing key is refused with 401', async () => {
    await expect(connect('Bearer mpg-not-a-key')).rejects.toThrow(/401|40132/);
    const res = await fetch(server.origin + '/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toMatch(/40100/);
  });

  it('is stateless: GET (no server stream) is refused with 405', async () => {
    const res = await fetch(server.origin + '/mcp', { headers: { accept: 'text/event-stream', authorization: `Bearer ${server.apiKey}` } });
    expect(res.status).toBe(405);
  });

  (hasKb ? it : it.skip)('knowledge base: create, upload text, list, then recall a passage together with user memory', async () => {
    const c = await connect();
    const kb = await call(c, 'create_knowledge_base', { name: 'Pet food catalogue', description: 'Products and allergy notes' });
    const kbId = kb.structuredContent.knowledgebase_id;
    expect(kbId).toEqual(expect.any(String));
    const doc = [
      '# Puppy food',
      '',
      '## Food B',
      'Chicken recipe for puppies.',
      '',
      '## Food C',
      'Salmon recipe, hypoallergenic, gentle on sensitive stomachs; a good switch when a puppy has diarrhea.',
    ].join('\n');
    const up = await call(c, 'add_kb_document', { knowledgebase_id: kbId, text: doc, name: 'puppy-food.md' });
    expect(up.isError).toBeFalsy();
    expect(up.structuredContent.files[0]).toMatchObject({ name: 'puppy-food.md', status: 'completed' });
    const list = await call(c, 'get_kb_documents', { knowledgebase_id: kbId });
    expect(JSON.stringify(list.structuredContent)).toMatch(/puppy-food\.md/);
    const found = await call(c, 'search_memory', { user_id: user, query: 'Max has diarrhea, which puppy food should I switch to?', knowledgebase_ids: kbId, relativity: 0 });
    expect(found.content[0].text).toMatch(/Salmon/);
    expect(found.content[0].text).toMatch(/chicken/i);
  });

  (hasChat ? it : it.skip)('chat_with_memory answers and the turn is remembered', async () => {
    const c = await connect();
    const r = await call(c, 'chat_with_memory', { user_id: user, conversation_id: 'day-10', query: 'What can Max not eat?' });
    expect(r.isError).toBeFalsy();
    expect(r.content[0].text.length).toBeGreaterThan(0);
    expect(r.content[0].text).toMatch(/chicken/i);
    // The turn is written in the background.
    const call2 = rest(server);
    let stored = false;
    for (let i = 0; i < 50 && !stored; i++) {
      const m = await call2('/get/message', { user_id: user, conversation_id: 'day-10' });
      stored = (m.body.data?.message_detail_list ?? []).some((x: any) => x.content === 'What can Max not eat?');
      if (!stored) await new Promise((res) => setTimeout(res, 100));
    }
    expect(stored).toBe(true);
  });
});
