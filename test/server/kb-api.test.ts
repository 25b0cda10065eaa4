/**
 * The knowledge-base endpoints over HTTP: create, upload, list/detail, delete, project isolation, and every
 * refusal with its contract code (bad types, broken base64, sizes, file count, unreachable and private URLs).
 * Size caps are lowered through settings (1 MB per file, 2 MB per call) so the limits are cheap to reach.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { client, REPO, startMemosLite, type MemosLite } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';
import { startServer, type TestServer } from '../fixtures/docs/server';

let files: TestServer;

const MB = 1024 * 1024;
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const NOTE = '# Office\n\nThe office opens at 8:30 and closes at 18:00.\n';

beforeAll(async () => {
  files = await startServer({ '/note.md': { body: NOTE, type: 'text/markdown' } });
});
afterAll(() => files.close());
const server = useServer({ env: { MEMOS_KB_MAX_FILE_MB: '1', MEMOS_KB_MAX_UPLOAD_MB: '2', MEMOS_MAX_KNOWLEDGEBASES: '5', MEMOS_FETCH_TIMEOUT_MS: '1500' } });
const call = client(server);

async function createKb(name = 'Handbook'): Promise<string> {
  const r = await call('/create/knowledgebase', { knowledgebase_name: name, knowledgebase_description: 'test' });
  expect(r.body).toMatchObject({ code: 0, data: { id: expect.stringMatching(/^base[0-9a-f-]{36}$/) } });
  return r.body.data.id;
}

async function waitForFiles(ids: string[], timeoutMs = 15_000): Promise<any[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('/get/knowledgebase-file', { file_ids: ids });
    expect(r.body.code).toBe(0);
    const list = r.body.data.file_detail_list;
    if (list.every((f: any) => f.status !== 'running')) return list;
    if (Date.now() > end) throw new Error('files still running: ' + JSON.stringify(list));
    await new Promise((res) => setTimeout(res, 50));
  }
}

const upload = (kb: string, file: unknown[]) => call('/add/knowledgebase-file', { knowledgebase_id: kb, file });

describe('create, upload, list, delete', () => {
  let kb: string;
  let ids: string[];

  beforeAll(async () => {
    kb = await createKb();
    const r = await upload(kb, [
      { content: b64(NOTE), name: 'office.md' },
      { content: `data:text/plain;base64,${b64('Parking is free for employees on level B2.')}`, name: 'parking.txt' },
      { content: `${files.base}/note.md`.replace('127.0.0.1', 'localhost'), type: 'document' },
    ]);
    // URLs to loopback are refused by default (this server does not allow private addresses).
    expect(r.body.code).toBe(40000);
    expect(r.body.message).toMatch(/^file\[2\].*(loopback|private)/);
    const ok = await upload(kb, [
      { content: b64(NOTE), name: 'office.md' },
      { content: `data:text/plain;base64,${b64('Parking is free for employees on level B2.')}`, name: 'parking.txt' },
    ]);
    expect(ok.body.code).toBe(0);
    ids = ok.body.data.map((f: any) => f.id);
  });

  test('the upload answers at once with one running entry per file (contract §3.12 shape)', async () => {
    const r = await upload(kb, [{ content: b64('Lunch is served from 12:00 in the canteen.'), name: 'lunch.txt' }]);
    expect(r.body.data).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'document', name: 'lunch.txt', sizeMB: 0.01, status: 'running' }]);
    ids.push(r.body.data[0].id);
  });

  test('files complete, and the detail mode reports them with their size and chunk count', async () => {
    const list = await waitForFiles(ids);
    expect(list.map((f: any) => [f.name, f.status])).toEqual([
      ['office.md', 'completed'],
      ['parking.txt', 'completed'],
      ['lunch.txt', 'completed'],
    ]);
    expect(list[0]).toMatchObject({ type: 'document', size: expect.stringMatching(/bytes|KB/), knowledgebase_id: kb, chunk_count: 1 });
  });

  test('list mode pages through the files, newest first, and filters by type', async () => {
    const page1 = await call('/get/knowledgebase-file', { knowledgebase_id: kb, page: 1, page_size: 2 });
    expect(page1.body.data).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(page1.body.data.file_detail_list.map((f: any) => f.name)).toEqual(['lunch.txt', expect.any(String)]);
    const page2 = await call('/get/knowledgebase-file', { knowledgebase_id: kb, page: 2, page_size: 2 });
    expect(page2.body.data.file_detail_list).toHaveLength(1);
    const skills = await call('/get/knowledgebase-file', { knowledgebase_id: kb, type: 'skill' });
    expect(skills.body.data).toMatchObject({ total: 0, file_detail_list: [] });
    const defaults = await call('/get/knowledgebase-file', { knowledgebase_id: kb });
    expect(defaults.body.data).toMatchObject({ page: 1, page_size: 20, total: 3 });
  });

  test('searching the knowledge base finds the files by content', async () => {
    const r = await call('/search/memory', { user_id: 'anyone', query: 'Where can I park?', knowledgebase_ids: [kb] });
    expect(r.body.data.memory_detail_list[0]).toMatchObject({
      memory_value: expect.stringMatching(/Parking is free/),
      memory_type: 'LongTermMemory',
      tags: ['knowledgebase'],
      conversation_id: 'default_session',
      knowledgebase_id: kb,
      knowledgebase_file: { name: 'parking.txt' },
    });
    // Without knowledgebase_ids the knowledge base is not searched.
    const none = await call('/search/memory', { user_id: 'anyone', query: 'Where can I park?' });
    expect(none.body.data.memory_detail_list).toEqual([]);
  });

  test('deleting a file deletes its memories; knowledge-base memories cannot be deleted one by one', async () => {
    const found = await call('/search/memory', { user_id: 'anyone', query: 'When is lunch served?', knowledgebase_ids: 'all' });
    const lunch = found.body.data.memory_detail_list.find((m: any) => /Lunch/.test(m.memory_value));
    expect(lunch).toBeDefined();
    const direct = await call('/delete/memory', { memory_ids: [lunch.id] });
    expect(direct.body.code).toBe(40000);
    const del = await call('/delete/knowledgebase-file', { file_ids: [ids[2]] });
    expect(del.body).toEqual({ code: 0, data: { success: true }, message: 'ok' });
    const after = await call('/search/memory', { user_id: 'anyone', query: 'When is lunch served?', knowledgebase_ids: 'all' });
    expect(after.body.data.memory_detail_list.map((m: any) => m.memory_value).join('\n')).not.toMatch(/Lunch/);
    const gone = await call('/get/knowledgebase-file', { file_ids: [ids[2]] });
    expect(gone.body.code).toBe(40001);
  });

  test('deleting the knowledge base unlinks it: its id is then unknown to search and upload', async () => {
    const other = await createKb('Temporary');
    await upload(other, [{ content: b64('The VPN server is vpn.example.test.'), name: 'vpn.txt' }]);
    const del = await call('/delete/knowledgebase', { knowledgebase_id: other });
    expect(del.body).toEqual({ code: 0, data: { success: true }, message: 'ok' });
    const search = await call('/search/memory', { user_id: 'u', query: 'vpn server', knowledgebase_ids: [other] });
    expect(search.body.code).toBe(50120);
    const again = await call('/delete/knowledgebase', { knowledgebase_id: other });
    expect(again.body.code).toBe(50120);
    const all = await call('/search/memory', { user_id: 'u', query: 'vpn server', knowledgebase_ids: 'all' });
    expect(all.body.data.memory_detail_list).toEqual([]);
  });
});

describe('refused uploads (nothing is written)', () => {
  let kb: string;
  beforeAll(async () => {
    kb = await createKb('Refusals');
  });
  afterEach(async () => {
    const r = await call('/get/knowledgebase-file', { knowledgebase_id: kb });
    expect(r.body.data.total).toBe(0);
  });

  test.each([
    ['an unknown knowledge base → 50120', { knowledgebase_id: 'base-nope', file: [{ content: b64('x') }] }, 50120, /not found/],
    ['no file list → 40002', { knowledgebase_id: 'KB' }, 40002, /file is required/],
    ['an empty file list → 40003', { knowledgebase_id: 'KB', file: [] }, 40003, /file must not be empty/],
    ['empty content → 40002', { knowledgebase_id: 'KB', file: [{ content: '' }] }, 40002, /content/],
    ['an unknown file type → 40006', { knowledgebase_id: 'KB', file: [{ content: b64('x'), type: 'video' }] }, 40006, /type/],
    ['a .csv → 40007', { knowledgebase_id: 'KB', file: [{ content: b64('a,b\n1,2'), name: 'table.csv' }] }, 40007, /\.csv/],
    ['a legacy .doc → 40007', { knowledgebase_id: 'KB', file: [{ content: b64('x'), name: 'old.doc' }] }, 40007, /\.docx/],
    ['a .rar skill → 40007', { knowledgebase_id: 'KB', file: [{ content: b64('Rar!\x1a\x07\x00'), name: 's.rar', type: 'skill' }] }, 40007, /zip/],
    ['illegal base64 characters → 40008', { knowledgebase_id: 'KB', file: [{ content: 'aGVsbG8*d29ybGQ=', name: 'a.txt' }] }, 40008, /illegal character/],
    ['truncated base64 → 40008', { knowledgebase_id: 'KB', file: [{ content: 'aGVsbG8gd', name: 'a.txt' }] }, 40008, /truncated/],
    ['misplaced padding → 40009', { knowledgebase_id: 'KB', file: [{ content: 'aGV=sbG8=', name: 'a.txt' }] }, 40009, /padding/],
    ['a malformed data URL → 40009', { knowledgebase_id: 'KB', file: [{ content: 'data:text/plain,hello', name: 'a.txt' }] }, 40009, /data URL/],
    ['an ftp URL → 40000', { knowledgebase_id: 'KB', file: [{ content: 'ftp://example.test/a.pdf' }] }, 40000, /http/],
  ])('%s', async (_name, body: any, code, message) => {
    const r = await call('/add/knowledgebase-file', { ...body, knowledgebase_id: body.knowledgebase_id === 'KB' ? kb : body.knowledgebase_id });
    expect(r.body.code).toBe(code);
    expect(r.body.message).toMatch(message);
  });

  test('21 files → 50103', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ content: b64(`file ${i}`), name: `f${i}.txt` }));
    const r = await upload(kb, many);
    expect(r.body).toMatchObject({ code: 50103, message: expect.stringMatching(/at most 20/) });
  });

  test('a file over the per-file cap → 50104, naming the file and the limit', async () => {
    const r = await upload(kb, [{ content: b64('a'.repeat(MB + 10)), name: 'big.txt' }]);
    expect(r.body).toMatchObject({ code: 50104, message: expect.stringMatching(/file\[0\] \(big\.txt\).*1 MB/) });
  });

  test('files over the per-call cap together → 50105', async () => {
    const part = b64('b'.repeat(0.9 * MB));
    const r = await upload(kb, [
      { content: part, name: '1.txt' },
      { content: part, name: '2.txt' },
      { content: part, name: '3.txt' },
    ]);
    expect(r.body).toMatchObject({ code: 50105, message: expect.stringMatching(/2 MB/) });
  });

  test('one bad file refuses the whole call', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const r = await upload(kb, [
      { content: b64('fine'), name: 'ok.txt' },
      { content: b64(png), name: 'photo.png' },
    ]);
    expect(r.body).toMatchObject({ code: 40007, message: expect.stringMatching(/^file\[1\] \(photo\.png\): unsupported file type "\.png"/) });
  });

  test('unreachable URLs → 40000 with the reason', async () => {
    // A public address nothing answers on: refused, unreachable or timed out, depending on the network.
    const refused = await upload(kb, [{ content: 'http://1.0.0.1:9/handbook.pdf' }]);
    expect(refused.body.code).toBe(40000);
    expect(refused.body.message).toMatch(/timed out|cannot fetch/);
    const dns = await upload(kb, [{ content: 'http://no-such-host.invalid/a.md' }]);
    expect(dns.body).toMatchObject({ code: 40000, message: expect.stringMatching(/does not resolve/) });
  });

  test.each(['http://127.0.0.1:9/a.md', 'http://10.1.2.3/a.md', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/a.md', 'http://192.168.0.10/a.md'])(
    'a private address is refused: %s',
    async (url) => {
      const r = await upload(kb, [{ content: url }]);
      expect(r.body).toMatchObject({ code: 40000, message: expect.stringMatching(/refusing to fetch.*only public addresses/) });
    },
  );
});

describe('files that fail while processing', () => {
  test('a document that does not parse is marked failed with the reason; the others complete', async () => {
    const kb = await createKb('Mixed');
    const r = await upload(kb, [
      { content: b64('%PDF-1.7\nthis is not a real pdf'), name: 'broken.pdf' },
      { content: b64('{"policy": '), name: 'broken.json' },
      { content: b64('---\nname: no description\n---\nbody'), name: 'SKILL.md', type: 'skill' },
      { content: b64('Visitors sign in at the front desk.'), name: 'visitors.txt' },
    ]);
    expect(r.body.code).toBe(0);
    const list = await waitForFiles(r.body.data.map((f: any) => f.id));
    expect(list.map((f: any) => f.status)).toEqual(['failed', 'failed', 'failed', 'completed']);
    expect(list[0].error).toMatch(/^50107: broken\.pdf/);
    expect(list[1].error).toMatch(/^50107: broken\.json/);
    expect(list[2].error).toMatch(/^40000: .*description/);
  });
});

describe('get/knowledgebase-file modes', () => {
  test('mixing the two modes → 40000; neither → 40002; empty file_ids → 40003', async () => {
    const kb = await createKb('Modes');
    expect((await call('/get/knowledgebase-file', { knowledgebase_id: kb, file_ids: ['x'] })).body.code).toBe(40000);
    expect((await call('/get/knowledgebase-file', { file_ids: ['x'], page: 1 })).body.code).toBe(40000);
    expect((await call('/get/knowledgebase-file', {})).body.code).toBe(40002);
    expect((await call('/get/knowledgebase-file', { file_ids: [] })).body.code).toBe(40003);
    expect((await call('/get/knowledgebase-file', { file_ids: ['0123'] })).body).toMatchObject({ code: 40001, message: expect.stringMatching(/0123/) });
    expect((await call('/delete/knowledgebase-file', { file_ids: ['0123'] })).body.code).toBe(40001);
    expect((await call('/delete/knowledgebase-file', { file_ids: [] })).body.code).toBe(40003);
  });
});

describe('projects', () => {
  let kb: string;
  let other: ReturnType<typeof client>;
  beforeAll(async () => {
    kb = await createKb('Private to the default project');
    const up = await upload(kb, [{ content: b64('The Wi-Fi password is rotated every Monday.'), name: 'wifi.txt' }]);
    await waitForFiles(up.body.data.map((f: any) => f.id));
    const bin = path.join(REPO, 'server/bin/memos-lite.js');
    const key = execFileSync(process.execPath, [bin, 'keys', 'create', '--project', 'elsewhere', '--data-dir', server.dataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: server.cliEnv }).trim();
    other = client({ baseUrl: server.baseUrl, apiKey: key });
  });

  test('a knowledge base of another project → 50123 everywhere', async () => {
    const q = { user_id: 'u', query: 'wifi password' };
    expect((await other('/search/memory', { ...q, knowledgebase_ids: [kb] })).body.code).toBe(50123);
    expect((await other('/chat', { ...q, conversation_id: 'c', knowledgebase_ids: [kb] })).body.code).toBe(50123);
    expect((await other('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: b64('x'), name: 'x.txt' }] })).body.code).toBe(50123);
    expect((await other('/get/knowledgebase-file', { knowledgebase_id: kb })).body.code).toBe(50123);
    expect((await other('/delete/knowledgebase', { knowledgebase_id: kb })).body.code).toBe(50123);
    expect((await other('/add/feedback', { user_id: 'u', conversation_id: 'c', feedback_content: 'x', allow_knowledgebase_ids: [kb] })).body.code).toBe(50123);
    // "all" means the project's own knowledge bases: none here.
    expect((await other('/search/memory', { ...q, knowledgebase_ids: 'all' })).body.data.memory_detail_list).toEqual([]);
  });

  test("another project's files are out of reach → 40103", async () => {
    const list = await call('/get/knowledgebase-file', { knowledgebase_id: kb });
    const id = list.body.data.file_detail_list[0].id;
    expect((await other('/get/knowledgebase-file', { file_ids: [id] })).body.code).toBe(40103);
    expect((await other('/delete/knowledgebase-file', { file_ids: [id] })).body.code).toBe(40103);
  });

  test('the knowledge-base cap of a project → 40304', async () => {
    // This server allows 5 per project; the other project has none yet.
    for (let i = 0; i < 5; i++) expect((await other('/create/knowledgebase', { knowledgebase_name: `kb ${i}` })).body.code).toBe(0);
    const r = await other('/create/knowledgebase', { knowledgebase_name: 'one too many' });
    expect(r.body).toMatchObject({ code: 40304, message: expect.stringMatching(/5 knowledge bases/) });
  });
});

test('create: name required → 40002', async () => {
  expect((await call('/create/knowledgebase', {})).body.code).toBe(40002);
  expect((await call('/create/knowledgebase', { knowledgebase_name: '' })).body.code).toBe(40002);
});

test('processing is durable: a file still queued when the server is killed completes after a restart', async () => {
  const first = await startMemosLite({ env: { MEMOS_TASK_DELAY_MS: '60000' } });
  let second: MemosLite | undefined;
  try {
    const call1 = client(first);
    const kb = (await call1('/create/knowledgebase', { knowledgebase_name: 'durable' })).body.data.id;
    const up = await call1('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content: b64('Fire drills happen on the first Monday of each quarter.'), name: 'drills.txt' }] });
    const id = up.body.data[0].id;
    expect((await call1('/get/knowledgebase-file', { file_ids: [id] })).body.data.file_detail_list[0].status).toBe('running');
    // Not searchable before it has been processed.
    expect((await call1('/search/memory', { user_id: 'u', query: 'fire drills', knowledgebase_ids: [kb] })).body.data.memory_detail_list).toEqual([]);
    await first.kill();

    second = await startMemosLite({ dataDir: first.dataDir, apiKey: first.apiKey });
    const call2 = client(second);
    const end = Date.now() + 10_000;
    let status = 'running';
    while (status === 'running' && Date.now() < end) {
      status = (await call2('/get/knowledgebase-file', { file_ids: [id] })).body.data.file_detail_list[0].status;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(status).toBe('completed');
    const s = await call2('/search/memory', { user_id: 'u', query: 'When are the fire drills?', knowledgebase_ids: [kb] });
    expect(s.body.data.memory_detail_list[0].memory_value).toMatch(/first Monday of each quarter/);
  } finally {
    await second?.stop();
    await first.stop();
  }
});
