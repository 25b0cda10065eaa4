/**
 * add/knowledgebase-file as multipart/form-data keeps the caps and codes of the JSON path: a file over
 * MEMOS_KB_MAX_FILE_MB is 50104, files over MEMOS_KB_MAX_UPLOAD_MB together are 50105, more than 20 files 50103
 * (clients.test.ts), and a form carries the knowledge base and the file type as fields as well as in the query.
 */
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

// 10 KB per file, 16 KB per upload.
const server = useServer({ env: { MEMOS_KB_MAX_FILE_MB: String(10 / 1024), MEMOS_KB_MAX_UPLOAD_MB: String(16 / 1024) } });
const call = client(server);

let kb = '';
beforeAll(async () => {
  kb = (await call('/create/knowledgebase', { knowledgebase_name: 'caps' })).body.data.id;
});

async function upload(form: FormData, query = `?knowledgebase_id=${kb}`) {
  const res = await fetch(`${server.baseUrl}/add/knowledgebase-file${query}`, { method: 'POST', headers: { authorization: `Token ${server.apiKey}` }, body: form });
  return (await res.json()) as any;
}
const text = (kb: number, fill = 'a') => new Blob([(fill + ' ').repeat(kb * 512)], { type: 'text/plain' });

test('a file over the per-file cap is 50104, and nothing is stored', async () => {
  const form = new FormData();
  form.append('file', text(11), 'big.txt');
  expect(await upload(form)).toMatchObject({ code: 50104, data: null });
  expect((await call('/get/knowledgebase-file', { knowledgebase_id: kb })).body.data.total).toBe(0);
});

test('files that each fit but together exceed the upload cap are 50105', async () => {
  const form = new FormData();
  form.append('file', text(9), 'a.txt');
  form.append('file', text(9, 'b'), 'b.txt');
  expect(await upload(form)).toMatchObject({ code: 50105, data: null });
  expect((await call('/get/knowledgebase-file', { knowledgebase_id: kb })).body.data.total).toBe(0);
});

test('knowledgebase_id and type as form fields; a skill uploaded as a form is a skill', async () => {
  const form = new FormData();
  form.append('knowledgebase_id', kb);
  form.append('type', 'skill');
  form.append('file', new Blob(['---\nname: returns\ndescription: How to handle a return\n---\n## Procedure\n1. Offer pickup first.\n'], { type: 'text/markdown' }), 'SKILL.md');
  const r = await upload(form, '');
  expect(r.code).toBe(0);
  expect(r.data).toEqual([expect.objectContaining({ type: 'skill', name: 'SKILL.md' })]);
});

test('an unsupported file type in a form is 40007, as in JSON', async () => {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])], { type: 'image/png' }), 'photo.png');
  expect((await upload(form)).code).toBe(40007);
});

test('a form on an endpoint that takes JSON only is 40000', async () => {
  const form = new FormData();
  form.append('user_id', 'u');
  form.append('query', 'x');
  const res = await fetch(`${server.baseUrl}/search/memory`, { method: 'POST', headers: { authorization: `Token ${server.apiKey}` }, body: form });
  expect(((await res.json()) as any).code).toBe(40000);
});
