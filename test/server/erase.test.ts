/**
 * Erasing a user: a unique token written through every path (messages, refined extraction, feedback, a profile
 * field, a knowledge-base correction made by the user's feedback) is gone from every API and from every byte of
 * the data directory afterwards, while other users keep exactly what they had.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { client, REPO, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);
const BIN = path.join(REPO, 'server/bin/memos-lite.js');
/** The file scan applies to SQLite; with MEMOS_TEST_BACKEND=postgres the same tests check the APIs (see the README on what VACUUM does there). */
const SQLITE = process.env.MEMOS_TEST_BACKEND !== 'postgres';
const TOKEN = 'zqvortex' + Math.random().toString(36).slice(2, 8);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-erase-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * The files of the data directory (database, WAL, shared memory) that hold the token's bytes. Read by a child
 * process: closing a descriptor of the database in the server's own process would drop SQLite's locks on it.
 */
function scan(dir: string, token: string): string[] {
  const script = `const fs=require('fs'),path=require('path');const [dir,t]=process.argv.slice(1);
    console.log(JSON.stringify(fs.readdirSync(dir).filter(n=>{const f=path.join(dir,n);return fs.statSync(f).isFile()&&fs.readFileSync(f).includes(Buffer.from(t));})));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, dir, token], { encoding: 'utf8' }));
}

async function writeEverywhere(user: string, token: string, kb: string) {
  const ok = (r: { body: any }) => {
    expect(r.body.code).toBe(0);
    return r.body.data;
  };
  // messages + fast memories + refined facts (the rules turn "I live in X" into a fact)
  const w = ok(
    await call('/add/message', {
      user_id: user,
      conversation_id: 'c1',
      async_mode: false,
      messages: [
        { role: 'user', content: `I live in ${token}ville and my cat is called ${token}.` },
        { role: 'assistant', content: `Noted, ${token} the cat.` },
      ],
    }),
  );
  expect(w.status).toBe('completed');
  // feedback about the user, copied into the knowledge base as a correction
  const f = ok(
    await call('/add/feedback', {
      user_id: user,
      conversation_id: 'c1',
      feedback_content: `Actually my cat is called ${token}, not Tom.`,
      allow_knowledgebase_ids: [kb],
    }),
  );
  expect(await waitForTask(call, f.task_id)).toBe('completed');
  // a profile field
  ok(await call('/bind/profile_template', { bind_list: [{ user_id: user, profile_template_id: 'tpl_erase' }] }));
  ok(await call('/edit/profile', { user_id: user, profile_template_id: 'tpl_erase', metadata: { basic: { nickname: `${token}-fan` } } }));
  // an unfinished task naming them stays queued (a large start delay is not needed: this one fails no check)
}

async function footprint(user: string) {
  const mem = await call('/get/memory', { user_id: user, size: 100 });
  const pref = await call('/get/memory', { user_id: user, size: 100, memory_type: 'preference' });
  const msg = await call('/get/message', { user_id: user, conversation_id: 'c1', message_limit_number: 50 });
  const search = await call('/search/memory', { user_id: user, query: 'cat', relativity: 0 });
  return {
    memories: mem.body.data.memory_detail_list.length + (pref.body.data?.memory_detail_list?.length ?? 0),
    messages: msg.body.data.message_detail_list.length,
    text: JSON.stringify([mem.body, pref.body, msg.body, search.body]),
  };
}

let kb: string;
beforeAll(async () => {
  fs.writeFileSync(
    path.join(tmp, 'tpl.json'),
    JSON.stringify({ id: 'tpl_erase', name: 'Erase test', metadata: { basic: { nickname: { value: '', algorithm_updatable: false } } } }),
  );
  const r = spawnSync(process.execPath, [BIN, 'profiles', 'create', '--file', path.join(tmp, 'tpl.json'), '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv });
  expect(r.stdout.trim()).toBe('tpl_erase');
  kb = (await call('/create/knowledgebase', { knowledgebase_name: 'Pets', knowledgebase_description: 'pet care' })).body.data.id;
});

test('erase requires the confirmation to repeat the user id, and erases nothing otherwise', async () => {
  await writeEverywhere('mia', TOKEN + 'a', kb);
  const before = await footprint('mia');
  const r = await call('/erase/user', { user_id: 'mia', confirm: 'someone-else' });
  expect(r.body.code).toBe(40000);
  expect(r.body.message).toMatch(/confirm must repeat user_id/);
  expect((await call('/erase/user', { user_id: 'mia' })).body.code).toBe(40002);
  expect(await footprint('mia')).toEqual(before);
});

test('erase removes the user everywhere (APIs and the files on disk); another user is untouched', async () => {
  const token = TOKEN + 'b';
  const otherToken = TOKEN + 'keep';
  await writeEverywhere('zoe', token, kb);
  await writeEverywhere('yan', otherToken, kb);
  const zoe = await footprint('zoe');
  expect(zoe.text).toContain(token);
  const kbSearch = () => call('/search/memory', { user_id: 'nobody', query: 'cat called', knowledgebase_ids: [kb], relativity: 0 });
  expect(JSON.stringify((await kbSearch()).body)).toContain(token);
  const yanBefore = await footprint('yan');

  const r = await call('/erase/user', { user_id: 'zoe', confirm: 'zoe' });
  expect(r.body.code).toBe(0);
  // Fast + refined memories, the feedback correction and its knowledge-base copy; two messages; the profile; two tasks.
  expect(r.body.data.memories).toBeGreaterThan(zoe.memories > 0 ? 1 : 0);
  expect(r.body.data).toMatchObject({ messages: 2, profiles: 1, tasks: 2 });
  // The log says how much, never what.
  expect(server.output()).not.toContain(token);

  const after = await footprint('zoe');
  expect(after.memories).toBe(0);
  expect(after.messages).toBe(0);
  expect(after.text).not.toContain(token);
  expect(JSON.stringify((await kbSearch()).body)).not.toContain(token);
  const profile = await call('/search/memory', { user_id: 'zoe', query: 'anything' });
  expect(JSON.stringify(profile.body)).not.toContain(token);

  if (SQLITE) {
    // Nothing left in the database, its write-ahead log or anything else in the data directory...
    expect(scan(server.dataDir, token)).toEqual([]);
    // ...while the other user's token is still there, and the scan would have found it.
    expect(scan(server.dataDir, otherToken).length).toBeGreaterThan(0);
  }
  expect(await footprint('yan')).toEqual(yanBefore);
  // Erasing again finds nothing more.
  expect((await call('/erase/user', { user_id: 'zoe', confirm: 'zoe' })).body.data).toEqual({ memories: 0, vectors: 0, messages: 0, profiles: 0, tasks: 0 });
});

test('a read-only key cannot erase', async () => {
  await call('/add/message', { user_id: 'yan', conversation_id: 'c1', async_mode: false, messages: [{ role: 'user', content: 'I like oolong tea.' }] });
  const made = spawnSync(process.execPath, [BIN, 'keys', 'create', '--read-only', '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv });
  expect(made.stderr).toMatch(/created read-only/);
  const ro = made.stdout.trim();
  const erase = () => call('/erase/user', { user_id: 'yan', confirm: 'yan' }, { authorization: `Token ${ro}` });
  // A key created by another process is seen within the authenticator's 3 s cache.
  let r = await erase();
  for (let i = 0; i < 40 && r.body.code === 40132; i++) r = await new Promise((ok) => setTimeout(ok, 100)).then(erase);
  expect(r.body.code).toBe(40103);
  expect(r.body.message).toMatch(/read-only/);
  expect((await footprint('yan')).memories).toBeGreaterThan(0);
});

test('memos-lite erase (CLI) on a running server\'s data: same result, counts printed', async () => {
  const token = TOKEN + 'c';
  await writeEverywhere('kim', token, kb);
  const r = spawnSync(process.execPath, [BIN, 'erase', '--user', 'kim', '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/erased user kim of project default in \d+ ms: \d+ memories, 0 vectors, 2 messages, 1 profiles, 2 tasks/);
  expect((await footprint('kim')).text).not.toContain(token);
  if (SQLITE) expect(scan(server.dataDir, token)).toEqual([]);
  // The server goes on reading and writing the file the CLI erased from.
  const w = await call('/add/message', { user_id: 'lea', conversation_id: 'c1', async_mode: false, messages: [{ role: 'user', content: 'I live in Lyon.' }] });
  expect(w.body.code).toBe(0);
  expect((await call('/get/message', { user_id: 'lea', conversation_id: 'c1' })).body.data.message_detail_list[0].content).toBe('I live in Lyon.');
  const unknown = spawnSync(process.execPath, [BIN, 'erase', '--user', 'kim', '--project', 'nope', '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv });
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/no project named "nope"/);
});


test('erase stays inside the key\'s project: the same user id in another project keeps everything', async () => {
  const otherKey = await server.createKey('other-shop');
  const other = (p: string, body: unknown) => call(p, body, { authorization: `Token ${otherKey}` });
  const token = TOKEN + 'p';
  for (const c of [call, other])
    expect(
      (await c('/add/message', { user_id: 'sam', conversation_id: 'c1', async_mode: false, messages: [{ role: 'user', content: `I live in ${token}ville.` }] })).body.code,
    ).toBe(0);
  const r = await call('/erase/user', { user_id: 'sam', confirm: 'sam' });
  expect(r.body.data.memories).toBeGreaterThan(0);
  expect(JSON.stringify((await call('/get/memory', { user_id: 'sam', size: 50 })).body)).not.toContain(token);
  const kept = await other('/get/memory', { user_id: 'sam', size: 50 });
  expect(JSON.stringify(kept.body)).toContain(token);
  expect((await other('/get/message', { user_id: 'sam', conversation_id: 'c1' })).body.data.message_detail_list).toHaveLength(1);
});
