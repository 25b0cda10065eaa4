/** Each memos-lite command's --help lists the options that command reads, and none of the server's. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../helpers/memos-lite';

const BIN = path.join(REPO, 'server/bin/memos-lite.js');
const help = (...cmd: string[]) => execFileSync(process.execPath, [BIN, ...cmd, '--help'], { encoding: 'utf8' });
const flags = (text: string) => [...text.matchAll(/^\s+(?:-\w, )?(--[a-z0-9-]+)/gm)].map((m) => m[1]).filter((f) => f !== '--help');

const SERVER_ONLY = ['--host', '--port', '--bootstrap-key', '--api-prefix', '--public-url', '--llm-base-url', '--workers'];

test('start lists every server setting', () => {
  const f = flags(help('start'));
  for (const flag of ['--host', '--port', '--data-dir', '--bootstrap-key', '--public-url', '--llm-base-url', '--embedding-model']) expect(f).toContain(flag);
});

test('import-templates lists its own options and the data directory, not the server-listen ones', () => {
  const f = flags(help('import-templates'));
  expect(f.sort()).toEqual(['--credential-name', '--data-dir', '--database-url', '--db-pool-size', '--dir', '--memos-key', '--memos-url', '--n8n-api-key', '--n8n-url', '--no-activate'].sort());
});

test.each([['keys', 'create'], ['keys', 'list'], ['keys', 'revoke'], ['profiles', 'create'], ['profiles', 'list'], ['profiles', 'remove']])('%s %s does not list server-listen options', (...cmd) => {
  const f = flags(help(...cmd));
  expect(f).toContain('--data-dir');
  for (const flag of SERVER_ONLY) expect(f).not.toContain(flag);
});

test.each([
  [['export'], ['--project', '--user', '--out', '--with-vectors']],
  [['import'], ['--project']],
  [['erase'], ['--project', '--user']],
  [['backup'], []],
  [['restore'], []],
])('%s lists the data directory and its own options only', (cmd, own) => {
  const f = flags(help(...cmd));
  expect(f).toContain('--data-dir');
  for (const flag of own) expect(f).toContain(flag);
  for (const flag of SERVER_ONLY) expect(f).not.toContain(flag);
});
