/** The README as a new user reads it: links that lead somewhere, one Development section, one story per fact. */
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '../../server/src/config';

const ROOT = path.join(__dirname, '../..');
const withoutCode = (md: string) => md.replace(/^```[\s\S]*?^```/gm, '');
const readme = withoutCode(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
const anchors = (md: string) => new Set([...withoutCode(md).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])));

const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/i.test(l));

test.each(links)('README link %s leads to a file (and heading) that exists', (link) => {
  const [file, anchor] = link.split('#');
  const target = file ? path.join(ROOT, file) : path.join(ROOT, 'README.md');
  expect(fs.existsSync(target)).toBe(true);
  if (anchor && target.endsWith('.md')) expect([...anchors(fs.readFileSync(target, 'utf8'))]).toContain(anchor);
});

test('one Development section', () => {
  expect([...readme.matchAll(/^#{1,6}\s+Development\s*$/gm)]).toHaveLength(1);
});

test('the mapped HTTP statuses read the same in the settings table, the endpoints section and the setting itself', () => {
  const lists = [...readme.matchAll(/(?:'mapped': |=mapped` for )([\d/x]+)/g)].map((m) => m[1]);
  expect(lists.length).toBeGreaterThanOrEqual(2);
  expect(new Set(lists)).toEqual(new Set([SETTINGS.httpErrorStatus.help.match(/'mapped': ([\d/x]+)/)![1]]));
  // ...and they name the statuses httpStatusFor can answer.
  expect(lists[0]).toBe('400/401/403/404/413/429/5xx');
});
