/** The README documents every setting and every endpoint; this keeps it from drifting behind the code. */
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '../../server/src/config';
import { allEndpoints } from '../../server/src/http/app';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

test.each(Object.values(SETTINGS).map((s) => s.env))('README documents %s', (env) => {
  expect(readme).toContain('`' + env + '`');
});

test.each(allEndpoints().map((e) => `${e.method ?? 'POST'} ${e.path.replace(/:(\w+)/g, '{$1}')}`))('README documents %s', (p) => {
  expect(readme).toContain('`' + p + '`');
});

test('the quick start is exactly two commands', () => {
  const quick = readme.split('## Quick start')[1].split('\n## ')[0];
  const block = quick.split('```bash')[1].split('```')[0].trim().split('\n');
  expect(block.map((l) => l.split('#')[0].trim())).toEqual(['npm start', 'npm test']);
});
