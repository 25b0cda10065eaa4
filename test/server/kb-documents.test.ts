/**
 * Real documents through the whole knowledge-base pipeline over HTTP: generated here (PDF with pdf-lib, DOCX
 * with docx, skill zips with jszip, Markdown/JSON/XML text), uploaded by URL from a local file server and as
 * base64, parsed, chunked with their headings and pages, and then found by /search/memory by their content.
 * The server allows private addresses (MEMOS_FETCH_ALLOW_PRIVATE) because the file server is on 127.0.0.1.
 */
import { JSON_DOC, MARKDOWN, SKILL_MD, XML_DOC, makeDocx, makePdf, makeSkillZip } from '../fixtures/docs/generate';
import { startServer, type TestServer } from '../fixtures/docs/server';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

let files: TestServer;
let pdf: Buffer;
let docx: Buffer;
let zip: Buffer;

const b64 = (b: string | Buffer) => Buffer.from(b).toString('base64');

beforeAll(async () => {
  pdf = await makePdf([
    [
      { heading: 1, text: 'Security policy' },
      { text: 'Laptops lock themselves after five minutes without input. Screens must be locked before leaving the desk.' },
      { heading: 2, text: 'Badges' },
      { text: 'Visitor badges are handed back at the reception desk before leaving the building.' },
    ],
    [{ heading: 2, text: 'Incidents' }, { text: 'Report a lost laptop to the security hotline within one hour.' }],
  ]);
  docx = await makeDocx();
  zip = await makeSkillZip();
  files = await startServer({
    '/docs/security.pdf': { body: pdf, type: 'application/pdf' },
    '/docs/handbook.docx': { body: docx, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    '/files/handbook.md': { body: MARKDOWN, type: 'text/markdown' },
    '/api/policies': { body: JSON_DOC, type: 'application/json' },
    '/docs/handbook.xml': { body: XML_DOC, type: 'application/xml' },
    '/skills/travel.zip': { body: zip, type: 'application/zip' },
    '/skills/SKILL.md': { body: SKILL_MD, type: 'text/markdown' },
  });
});
afterAll(() => files.close());
const server = useServer({ env: { MEMOS_FETCH_ALLOW_PRIVATE: 'true', MEMOS_FETCH_TIMEOUT_MS: '1500', MEMOS_FETCH_MAX_REDIRECTS: '3' } });
const call = client(server);

async function kbWith(file: Record<string, unknown>): Promise<{ kb: string; detail: any }> {
  const created = await call('/create/knowledgebase', { knowledgebase_name: String(file.name ?? file.content).slice(0, 50) });
  const kb = created.body.data.id;
  const up = await call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [file] });
  expect(up.body).toMatchObject({ code: 0, data: [{ status: 'running' }] });
  const id = up.body.data[0].id;
  const end = Date.now() + 20_000;
  for (;;) {
    const r = await call('/get/knowledgebase-file', { file_ids: [id] });
    const detail = r.body.data.file_detail_list[0];
    if (detail.status !== 'running') {
      expect(detail).toMatchObject({ status: 'completed' });
      return { kb, detail };
    }
    if (Date.now() > end) throw new Error('still running');
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function top(kb: string, query: string, extra: Record<string, unknown> = {}) {
  const r = await call('/search/memory', { user_id: 'reader', query, knowledgebase_ids: [kb], ...extra });
  expect(r.body.code).toBe(0);
  return r.body.data;
}

describe.each(['url', 'base64'] as const)('documents by %s', (via) => {
  const content = (urlPath: string, bytes: () => Buffer | string, mime: string) =>
    via === 'url' ? { content: `${files.base}${urlPath}` } : { content: `data:${mime};base64,${b64(bytes())}`, name: urlPath.split('/').pop() };

  test('PDF: headings from font sizes, pages kept, passages found by content', async () => {
    const { kb, detail } = await kbWith(content('/docs/security.pdf', () => pdf, 'application/pdf'));
    expect(detail).toMatchObject({ name: 'security.pdf', chunk_count: 3 });
    const d = await top(kb, 'How long until my laptop locks?');
    expect(d.memory_detail_list[0]).toMatchObject({
      memory_key: 'Security policy',
      memory_value: expect.stringMatching(/^Laptops lock themselves after five minutes/),
      knowledgebase_file: { name: 'security.pdf', heading_path: ['Security policy'], page: 1 },
    });
    const lost = await top(kb, 'I lost my laptop, who do I call?');
    expect(lost.memory_detail_list[0]).toMatchObject({
      memory_key: 'Security policy > Incidents',
      knowledgebase_file: { page: 2 },
    });
  });

  test('DOCX: Word headings become the chunk path; Chinese text is searchable', async () => {
    const { kb } = await kbWith(content('/docs/handbook.docx', () => docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
    const mail = await top(kb, 'Which mail client do we use?');
    expect(mail.memory_detail_list[0]).toMatchObject({
      memory_key: 'Employee Handbook > Office software > Email',
      memory_value: expect.stringMatching(/Thunderbird/),
    });
    const zh = await top(kb, '出差报销什么时候提交？');
    expect(zh.memory_detail_list[0].memory_value).toMatch(/三十天内提交/);
  });

  test('Markdown: headings (ATX and setext) give the path; a code fence is not a heading', async () => {
    const { kb } = await kbWith(content('/files/handbook.md', () => MARKDOWN, 'text/markdown'));
    const d = await top(kb, 'What do we use for mail?');
    expect(d.memory_detail_list[0]).toMatchObject({ memory_key: 'Handbook > Office software > Email', memory_value: expect.stringMatching(/Thunderbird/) });
    const setext = await top(kb, 'What is under the setext heading?');
    expect(setext.memory_detail_list[0]).toMatchObject({ memory_key: 'Handbook > Setext heading' });
    const all = (await call('/search/memory', { user_id: 'r', query: 'handbook heading', knowledgebase_ids: [kb], relativity: 0 })).body.data.memory_detail_list;
    expect(all.map((m: any) => m.memory_key).join('\n')).not.toMatch(/not a heading/);
  });

  test('JSON: objects become sections named by their keys and titles', async () => {
    const { kb } = await kbWith(content('/api/policies', () => JSON_DOC, 'application/json'));
    const d = await top(kb, 'What is the hotel limit when travelling?');
    expect(d.memory_detail_list[0]).toMatchObject({ memory_key: 'policies > Travel', memory_value: expect.stringMatching(/hotel: 120/) });
  });

  test('XML: elements with titles become sections; entities decoded', async () => {
    const { kb } = await kbWith(content('/docs/handbook.xml', () => XML_DOC, 'application/xml'));
    const d = await top(kb, 'Do flights need approval?');
    expect(d.memory_detail_list[0]).toMatchObject({ memory_key: 'Travel', memory_value: expect.stringMatching(/Trains are preferred & flights need approval/) });
  });
});

describe('skills', () => {
  const expectTravelSkill = (d: any) => {
    expect(d.skill_detail_list[0]).toMatchObject({
      skill_type: 'SkillMemory',
      skill_value: {
        name: 'travel-planner',
        description: 'Plans trips for a user who prefers trains and late starts.',
        procedure: expect.stringMatching(/^1\. Ask for the dates/),
        experience: 'Night trains sell out a month ahead.',
        user_preferences: '- No departures before 10:00.',
      },
      status: 'activated',
      tags: ['knowledgebase', 'skill'],
    });
  };

  test('a SKILL.md by base64 is recalled with include_skill and only then', async () => {
    const { kb, detail } = await kbWith({ content: b64(SKILL_MD), name: 'SKILL.md', type: 'skill' });
    expect(detail).toMatchObject({ type: 'skill', chunk_count: 1 });
    const d = await top(kb, 'Plan a train trip to Vienna for me', { include_skill: true });
    expectTravelSkill(d);
    const without = await top(kb, 'Plan a train trip to Vienna for me');
    expect(without.skill_detail_list).toBeUndefined();
    // A skill is not a fact: it never shows up among the facts.
    expect(without.memory_detail_list.map((m: any) => m.memory_value).join('\n')).not.toMatch(/travel-planner/);
  });

  test('a .zip skill by URL lists its files and links its source', async () => {
    const { kb } = await kbWith({ content: `${files.base}/skills/travel.zip`, type: 'skill' });
    const d = await top(kb, 'Which trains should I book for my trip?', { include_skill: true });
    expectTravelSkill(d);
    expect(d.skill_detail_list[0].skill_value.files.sort()).toEqual(['SKILL.md', 'references/stations.md', 'scripts/plan.py']);
    expect(d.skill_detail_list[0].skill_url).toBe(`${files.base}/skills/travel.zip`);
    const list = await call('/get/knowledgebase-file', { knowledgebase_id: kb, type: 'skill' });
    expect(list.body.data.file_detail_list).toEqual([expect.objectContaining({ name: 'travel.zip', type: 'skill', status: 'completed' })]);
  });

  test('deleting the skill file deletes the skill', async () => {
    const { kb, detail } = await kbWith({ content: `${files.base}/skills/SKILL.md`, type: 'skill' });
    expect((await top(kb, 'plan a train trip', { include_skill: true })).skill_detail_list).toHaveLength(1);
    await call('/delete/knowledgebase-file', { file_ids: [detail.id] });
    expect((await top(kb, 'plan a train trip', { include_skill: true })).skill_detail_list).toEqual([]);
  });

  test('a zip without SKILL.md at its top level is marked failed with the reason', async () => {
    const created = await call('/create/knowledgebase', { knowledgebase_name: 'bad skills' });
    const bad = await makeSkillZip({ 'nested/SKILL.md': SKILL_MD }, false);
    const up = await call('/add/knowledgebase-file', { knowledgebase_id: created.body.data.id, file: [{ content: b64(bad), name: 'bad.zip', type: 'skill' }] });
    expect(up.body.code).toBe(0);
    const end = Date.now() + 10_000;
    let detail: any;
    do {
      detail = (await call('/get/knowledgebase-file', { file_ids: [up.body.data[0].id] })).body.data.file_detail_list[0];
      await new Promise((res) => setTimeout(res, 50));
    } while (detail.status === 'running' && Date.now() < end);
    expect(detail).toMatchObject({ status: 'failed', error: expect.stringMatching(/SKILL\.md must be at the top level.*not at nested\/SKILL\.md/) });
  });
});

describe('downloads', () => {
  let kb: string;
  beforeAll(async () => {
    kb = (await call('/create/knowledgebase', { knowledgebase_name: 'downloads' })).body.data.id;
  });
  const up = (content: string) => call('/add/knowledgebase-file', { knowledgebase_id: kb, file: [{ content }] });

  test('redirects are followed up to the configured number', async () => {
    expect((await up(`${files.base}/redirect/3`)).body).toMatchObject({ code: 0, data: [{ name: 'handbook.md' }] });
    expect((await up(`${files.base}/redirect/4`)).body).toMatchObject({ code: 40000, message: expect.stringMatching(/too many redirects \(more than 3\)/) });
    expect((await up(`${files.base}/loop/a`)).body).toMatchObject({ code: 40000, message: expect.stringMatching(/redirect loop/) });
  });

  test('a server that never answers times out → 40000', async () => {
    const started = Date.now();
    const r = await up(`${files.base}/hang`);
    expect(r.body).toMatchObject({ code: 40000, message: expect.stringMatching(/timed out after 1\.5 s/) });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a declared size over the cap is refused before downloading → 50104', async () => {
    expect((await up(`${files.base}/declared-huge`)).body).toMatchObject({ code: 50104, message: expect.stringMatching(/larger than 100 MB/) });
  });

  test('HTTP errors and closed ports → 40000 with the reason', async () => {
    expect((await up(`${files.base}/missing.pdf`)).body).toMatchObject({ code: 40000, message: expect.stringMatching(/HTTP 404/) });
    const closed = await startServer({});
    await closed.close();
    expect((await up(`${closed.base}/a.md`)).body).toMatchObject({ code: 40000, message: expect.stringMatching(/ECONNREFUSED/) });
  });
});
