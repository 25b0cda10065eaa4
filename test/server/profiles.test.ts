/**
 * Profiles: templates registered with `memos-lite profiles`, bound over the API, filled by what users say, edited,
 * deleted; a subject's profile comes back with search/memory and get/memory. Isolated per project and subject.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { client, REPO } from '../helpers/memos-lite';
import { fieldKind, readField, type ProfileFieldKind } from '../../server/src/engine/profile-extract';
import { useServer } from '../helpers/server';

// Each CLI call is a process start: slow on a busy machine.
jest.setTimeout(90_000);

const server = useServer();
const call = client(server);
const BIN = path.join(REPO, 'server/bin/memos-lite.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-profiles-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'profiles', ...args, '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv });

const SHOPPER = {
  id: 'tpl_shopper',
  name: 'Shopper',
  metadata: {
    basic: { city: { value: '', algorithm_updatable: true }, job: { value: '' } },
    shopping: { size: { value: '' }, budget: { value: '', extract: 'budget' }, vip_level: { value: 'gold', algorithm_updatable: false } },
  },
};

/** The user's profile from the template, as search/memory returns it. */
async function profileOf(subject: Record<string, string>, key?: string) {
  const r = await call('/search/memory', { ...subject, query: 'anything' }, key ? { authorization: `Token ${key}` } : {});
  expect(r.body.code).toBe(0);
  return (r.body.data.profile_detail_list as any[]).find((p) => p.profile_template_id === 'tpl_shopper');
}

const say = (subject: Record<string, string>, text: string) =>
  call('/add/message', { ...subject, conversation_id: 'shop-1', messages: [{ role: 'user', content: text }] }).then((r) => expect(r.body.code).toBe(0));

beforeAll(() => {
  fs.writeFileSync(path.join(tmp, 'shopper.json'), JSON.stringify(SHOPPER));
  const r = cli('create', '--file', path.join(tmp, 'shopper.json'));
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('tpl_shopper');
});

test('profiles list shows the template and its field paths', () => {
  expect(execFileSync(process.execPath, [BIN, 'profiles', 'list', '--data-dir', server.dataDir], { encoding: 'utf8', env: server.cliEnv })).toMatch(
    /tpl_shopper {2}Shopper {2}fields: basic\.city, basic\.job, shopping\.size, shopping\.budget, shopping\.vip_level/,
  );
});

test.each([
  ['no name', { metadata: { a: { b: '' } } }, /name/],
  ['no fields', { name: 'x', metadata: {} }, /at least one field/],
  ['four levels of groups', { name: 'x', metadata: { a: { b: { c: { d: '' } } } } }, /at most 3 levels/],
  ['a dotted field name', { name: 'x', metadata: { 'a.b': '' } }, /contain no "\."/],
  ['a non-boolean lock', { name: 'x', metadata: { a: { value: '', algorithm_updatable: 'no' } } }, /algorithm_updatable/],
])('profiles create refuses a template with %s (exit 2, nothing stored)', (_n, template, message) => {
  const file = path.join(tmp, 'bad.json');
  fs.writeFileSync(file, JSON.stringify(template));
  const r = cli('create', '--file', file);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('a refused template stores nothing', () => {
  expect(cli('list').stdout.trim().split('\n')).toEqual([expect.stringMatching(/^tpl_shopper /)]);
});

test('bind/profile_template gives users and agents a profile with the template defaults', async () => {
  const r = await call('/bind/profile_template', {
    bind_list: [
      { user_id: 'ann', profile_template_id: 'tpl_shopper' },
      { agent_id: 'stylist', profile_template_id: 'tpl_shopper' },
    ],
  });
  expect(r.body).toEqual({ code: 0, data: { success: true }, message: 'ok' });
  const p = await profileOf({ user_id: 'ann' });
  expect(p).toMatchObject({ profile_template_name: 'Shopper', user_id: 'ann', agent_id: null, profile: { shopping: { vip_level: 'gold', size: '' } } });
  expect(p.profile_value).toBe('shopping.vip_level: gold');
  expect(await profileOf({ agent_id: 'stylist' })).toMatchObject({ user_id: null, agent_id: 'stylist' });
  // A user without a binding has no profile.
  expect(await profileOf({ user_id: 'bob' })).toBeUndefined();
});

test('bind errors: unknown template 40001 (nothing bound), empty list 40002, missing subject 40002, both subjects 40000, over 20 40000', async () => {
  const bad = await call('/bind/profile_template', { bind_list: [{ user_id: 'carl', profile_template_id: 'tpl_shopper' }, { user_id: 'carl', profile_template_id: 'tpl_nope' }] });
  expect(bad.body.code).toBe(40001);
  expect(await profileOf({ user_id: 'carl' })).toBeUndefined();
  expect((await call('/bind/profile_template', { bind_list: [] })).body.code).toBe(40002);
  expect((await call('/bind/profile_template', { bind_list: [{ profile_template_id: 'tpl_shopper' }] })).body.code).toBe(40002);
  expect((await call('/bind/profile_template', { bind_list: [{ user_id: 'a', agent_id: 'b', profile_template_id: 'tpl_shopper' }] })).body.code).toBe(40000);
  const many = Array.from({ length: 21 }, (_, i) => ({ user_id: `u${i}`, profile_template_id: 'tpl_shopper' }));
  expect((await call('/bind/profile_template', { bind_list: many })).body.code).toBe(40000);
});

test('what the user says fills the fields; a new value supersedes the old one, which is kept in history', async () => {
  await say({ user_id: 'ann' }, 'I moved to Shanghai last month. I wear size M and my budget is under $30.');
  let p = await profileOf({ user_id: 'ann' });
  expect(p.profile).toMatchObject({ basic: { city: 'Shanghai' }, shopping: { size: 'M', budget: 'under $30', vip_level: 'gold' } });
  expect(p.profile_value).toContain('basic.city: Shanghai');
  await say({ user_id: 'ann' }, 'Big news: I moved to Hangzhou.');
  p = await profileOf({ user_id: 'ann' });
  expect(p.profile.basic.city).toBe('Hangzhou');
  expect(p.metadata.basic.city.history).toEqual([{ value: 'Shanghai', until: expect.any(Number) }]);
  // The assistant's words do not fill the user's profile.
  await call('/add/message', { user_id: 'ann', conversation_id: 'shop-1', messages: [{ role: 'assistant', content: 'I moved to Paris once.' }] });
  expect((await profileOf({ user_id: 'ann' })).profile.basic.city).toBe('Hangzhou');
});

test('a locked field is not changed by messages; Chinese statements fill fields too', async () => {
  await call('/bind/profile_template', { bind_list: [{ user_id: 'xiaoyun', profile_template_id: 'tpl_shopper' }] });
  await call('/edit/profile', { user_id: 'xiaoyun', profile_template_id: 'tpl_shopper', metadata: { basic: { city: { value: '北京', algorithm_updatable: false } } } });
  await say({ user_id: 'xiaoyun' }, '我搬到了上海。预算300元以内。');
  const p = await profileOf({ user_id: 'xiaoyun' });
  expect(p.profile.basic.city).toBe('北京');
  expect(p.profile.shopping.budget).toBe('300元以内');
});

test('edit/profile merges metadata (new fields too), keeps the lock of a bare value, and removes dotted paths', async () => {
  const r = await call('/edit/profile', {
    user_id: 'ann',
    agent_id: null,
    profile_template_id: 'tpl_shopper',
    metadata: { shopping: { size: 'L', colour: { value: 'navy' } }, basic: { job: { value: 'nurse', algorithm_updatable: false } } },
    remove_fields: null,
  });
  expect(r.body).toEqual({ code: 0, data: { success: true }, message: 'ok' });
  let p = await profileOf({ user_id: 'ann' });
  expect(p.profile).toMatchObject({ shopping: { size: 'L', colour: 'navy' }, basic: { job: 'nurse' } });
  expect(p.metadata.shopping.size).toMatchObject({ value: 'L', algorithm_updatable: true, history: [{ value: 'M' }] });
  expect(p.metadata.basic.job.algorithm_updatable).toBe(false);
  await call('/edit/profile', { user_id: 'ann', profile_template_id: 'tpl_shopper', remove_fields: ['shopping.colour', 'basic.job'] });
  p = await profileOf({ user_id: 'ann' });
  expect(p.profile.shopping.colour).toBeUndefined();
  expect(p.profile.basic).toEqual({ city: 'Hangzhou' });
});

test('edit/profile errors: no profile 40001, nothing to change 40002, a bad tree 40000', async () => {
  expect((await call('/edit/profile', { user_id: 'bob', profile_template_id: 'tpl_shopper', metadata: { basic: { city: 'x' } } })).body.code).toBe(40001);
  expect((await call('/edit/profile', { user_id: 'ann', profile_template_id: 'tpl_shopper', metadata: null, remove_fields: [] })).body.code).toBe(40002);
  expect((await call('/edit/profile', { user_id: 'ann', profile_template_id: 'tpl_shopper', metadata: { basic: { city: { value: { nested: 1 } } } } })).body.code).toBe(40000);
});

test('profiles are per project and per subject: another project, and a user named like the agent, see none of them', async () => {
  const other = await server.createKey('profiles-other');
  expect(await profileOf({ user_id: 'ann' }, other)).toBeUndefined();
  // The other project cannot edit or delete this project's profile either.
  expect((await call('/edit/profile', { user_id: 'ann', profile_template_id: 'tpl_shopper', metadata: { basic: { city: 'Rome' } } }, { authorization: `Token ${other}` })).body.code).toBe(40001);
  expect((await call('/delete/profile', { user_id: 'ann', profile_template_id: 'tpl_shopper' }, { authorization: `Token ${other}` })).body.code).toBe(40001);
  expect((await profileOf({ user_id: 'ann' })).profile.basic.city).toBe('Hangzhou');
  // The agent's profile is its own: the user "stylist" has none, and what the agent hears fills only the agent's.
  expect(await profileOf({ user_id: 'stylist' })).toBeUndefined();
  await say({ agent_id: 'stylist' }, 'I live in Milan.');
  expect((await profileOf({ agent_id: 'stylist' })).profile.basic.city).toBe('Milan');
  expect((await profileOf({ user_id: 'ann' })).profile.basic.city).toBe('Hangzhou');
});

test('get/memory returns the profile too', async () => {
  const r = await call('/get/memory', { user_id: 'ann' });
  expect(r.body.data.profile_detail_list).toEqual([expect.objectContaining({ profile_template_id: 'tpl_shopper', profile: expect.objectContaining({ basic: { city: 'Hangzhou' } }) })]);
});

test('delete/profile removes it; deleting again is 40001', async () => {
  expect((await call('/delete/profile', { user_id: 'xiaoyun', agent_id: null, profile_template_id: 'tpl_shopper' })).body).toMatchObject({ code: 0, data: { success: true } });
  expect(await profileOf({ user_id: 'xiaoyun' })).toBeUndefined();
  expect((await call('/delete/profile', { user_id: 'xiaoyun', profile_template_id: 'tpl_shopper' })).body.code).toBe(40001);
});

test('profiles remove deletes the template and every profile made from it', async () => {
  expect(cli('remove', 'tpl_shopper').stdout).toMatch(/removed tpl_shopper/);
  expect(await profileOf({ user_id: 'ann' })).toBeUndefined();
  expect(await profileOf({ agent_id: 'stylist' })).toBeUndefined();
  const again = cli('remove', 'tpl_shopper');
  expect(again.status).toBe(2);
  expect(again.stderr).toMatch(/no profile template/);
});

describe('what the write path reads into profile fields offline', () => {
  test.each<[ProfileFieldKind, string, string | undefined]>([
    ['city', 'I moved to Shanghai last month.', 'Shanghai'],
    ['city', 'I live in New York City with my sister', 'New York City'],
    ["city", "I'm based in Berlin", 'Berlin'],
    ['city', 'I want to move to Paris one day', undefined],
    ['city', "I'm moving to Berlin next month", undefined],
    ['city', '我搬到了上海', '上海'],
    ['city', '我去年搬到杭州工作了', '杭州'],
    ['city', '我下个月要搬到柏林', undefined],
    ['city', '我现在住在深圳，挺好的', '深圳'],
    ['size', 'I wear size M, usually', 'M'],
    ['size', 'I am 28 years old', undefined],
    ['size', '我的尺码是XL', 'XL'],
    ['budget', 'My budget is under $30.', 'under $30'],
    ['budget', 'a budget of 500 yuan', '500 yuan'],
    ['budget', '预算300元以内', '300元以内'],
    ['job', 'I work as a nurse at the city hospital', 'nurse'],
    ['name', 'Hi, my name is Ann Lee.', 'Ann Lee'],
    ['name', '我叫小云。', '小云'],
  ])('%s from %j → %j', (kind, text, expected) => {
    expect(readField(kind, text)).toBe(expected);
  });

  test('a field holds what its extract says, else what its name says, else nothing', () => {
    expect(fieldKind('anything', 'budget')).toBe('budget');
    expect(fieldKind('anything', 'nonsense')).toBeUndefined();
    expect(fieldKind('居住地', undefined)).toBe('city');
    expect(fieldKind('shoe_size', undefined)).toBe('size');
    expect(fieldKind('vip_level', undefined)).toBeUndefined();
  });
});
