/** Skills: SKILL.md front matter and sections, zip skills, and every limit. */
import JSZip from 'jszip';
import { loadUpload, parseSkill } from '../../server/src/docs';
import { SKILL_MD, makeSkillZip } from '../fixtures/docs/generate';
import { startServer } from '../fixtures/docs/server';

const md = (s: string) => Buffer.from(s);

describe('a .md skill', () => {
  test('front matter and the five sections', async () => {
    const skill = await parseSkill(md(SKILL_MD), 'md');
    expect(skill).toMatchObject({
      name: 'travel-planner',
      description: 'Plans trips for a user who prefers trains and late starts.',
      files: ['SKILL.md'],
      metadata: { version: 2 },
      sections: {
        procedure: '1. Ask for the dates and the destination.\n2. Search trains before flights.',
        experience: 'Night trains sell out a month ahead.',
        userPreferences: '- No departures before 10:00.',
        examples: 'Berlin to Vienna: the 20:00 night train.',
        additionalInformation: 'Prices are in EUR.',
      },
    });
    expect(skill.body.startsWith('# Travel planner')).toBe(true);
  });

  test('Chinese section titles are recognised', async () => {
    const skill = await parseSkill(md('---\nname: 旅行规划\ndescription: 为喜欢火车的用户规划行程\n---\n## 步骤\n1. 询问日期\n\n## 用户偏好\n不坐早班车\n'), 'md');
    expect(skill.sections).toEqual({ procedure: '1. 询问日期', userPreferences: '不坐早班车' });
  });

  test('missing front matter, name or description → 40000; broken YAML → 50107', async () => {
    await expect(parseSkill(md('# Just markdown\n'), 'md')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/front matter/) });
    await expect(parseSkill(md('---\ndescription: no name\n---\nbody'), 'md')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/"name"/) });
    await expect(parseSkill(md('---\nname: x\n---\nbody'), 'md')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/"description"/) });
    await expect(parseSkill(md('---\nname: [unclosed\n---\n'), 'md')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/not valid YAML/) });
    await expect(parseSkill(md('---\n- a\n- b\n---\n'), 'md')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/mapping/) });
  });

  test('over 100 KB → 50104', async () => {
    const big = `${SKILL_MD}\n${'x'.repeat(100 * 1024)}`;
    await expect(parseSkill(md(big), 'md')).rejects.toMatchObject({ code: 50104, message: 'skill .md larger than 100 KB' });
  });
});

describe('a .zip skill', () => {
  test('SKILL.md at the top level plus its files', async () => {
    const skill = await parseSkill(await makeSkillZip({ 'assets/logo.svg': '<svg/>' }), 'zip');
    expect(skill.name).toBe('travel-planner');
    expect(skill.sections.procedure).toMatch(/^1\. Ask/);
    expect(skill.files.sort()).toEqual(['SKILL.md', 'assets/logo.svg', 'references/stations.md', 'scripts/plan.py']);
  });

  test('uploaded as a data URL, then parsed', async () => {
    const zip = await makeSkillZip();
    const file = await loadUpload({ content: `data:application/zip;base64,${zip.toString('base64')}`, type: 'skill', name: 'travel.zip' });
    expect(file).toMatchObject({ ext: 'zip', name: 'travel.zip' });
    expect((await parseSkill(file.bytes, 'zip')).name).toBe('travel-planner');
  });

  test('downloaded from a URL, then parsed', async () => {
    const srv = await startServer({ '/skills/travel.zip': { body: await makeSkillZip(), type: 'application/zip' } });
    try {
      const file = await loadUpload({ content: `${srv.base}/skills/travel.zip`, type: 'skill' }, { allowPrivate: true });
      expect(file).toMatchObject({ ext: 'zip', name: 'travel.zip' });
      expect((await parseSkill(file.bytes, 'zip')).files).toContain('scripts/plan.py');
    } finally {
      await srv.close();
    }
  });

  test('no SKILL.md → 40000; one in a subfolder is named in the message', async () => {
    await expect(parseSkill(await makeSkillZip({}, false), 'zip')).rejects.toMatchObject({
      code: 40000,
      message: 'the skill .zip has no SKILL.md at its top level',
    });
    const nested = await makeSkillZip({ 'travel/SKILL.md': SKILL_MD }, false);
    await expect(parseSkill(nested, 'zip')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/top level .*not at travel\/SKILL\.md/) });
  });

  test('SKILL.md without a name → 40000', async () => {
    const zip = await makeSkillZip({ 'SKILL.md': '---\ndescription: nameless\n---\n' });
    await expect(parseSkill(zip, 'zip')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/"name"/) });
  });

  test('more than the file limit → 50103', async () => {
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`references/r${i}.md`, `# ${i}`]));
    await expect(parseSkill(await makeSkillZip(many), 'zip', { maxFiles: 5 })).rejects.toMatchObject({
      code: 50103,
      message: 'skill .zip holds 13 files; at most 5 are allowed',
    });
  });

  test('the default limit is 200 files', async () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`assets/a${i}.txt`, 'x']));
    await expect(parseSkill(await makeSkillZip(many), 'zip')).rejects.toMatchObject({ code: 50103, message: expect.stringMatching(/at most 200/) });
  });

  test('an entry over the per-file limit → 50104, judged by its declared size without inflating', async () => {
    const zip = await makeSkillZip({ 'assets/blob.bin': Buffer.alloc(50_000) });
    await expect(parseSkill(zip, 'zip', { maxEntryBytes: 10_000 })).rejects.toMatchObject({
      code: 50104,
      message: expect.stringMatching(/^assets\/blob\.bin in the skill \.zip is 48\.83 KB once extracted; each file must be at most 9\.77 KB/),
    });
  });

  test('a zip over 20 MB (a small cap here) → 50104', async () => {
    await expect(parseSkill(await makeSkillZip(), 'zip', { maxZipBytes: 100 })).rejects.toMatchObject({ code: 50104, message: 'skill .zip larger than 100 bytes' });
  });

  test('SKILL.md over 100 KB inside the zip → 50104', async () => {
    const zip = await makeSkillZip({ 'SKILL.md': `${SKILL_MD}${'x'.repeat(2000)}` });
    await expect(parseSkill(zip, 'zip', { maxMdBytes: 1000 })).rejects.toMatchObject({ code: 50104, message: expect.stringMatching(/SKILL\.md/) });
  });

  test('not a zip, or a damaged one → 50107', async () => {
    await expect(parseSkill(Buffer.from('PK\x03\x04 definitely not a zip', 'latin1'), 'zip')).rejects.toMatchObject({
      code: 50107,
      message: expect.stringMatching(/not a valid zip archive/),
    });
    const zip = await makeSkillZip();
    await expect(parseSkill(zip.subarray(0, zip.length - 30), 'zip')).rejects.toMatchObject({ code: 50107 });
  });

  test('entries escaping the archive ("../") → 50107', async () => {
    const zip = new JSZip();
    zip.file('SKILL.md', SKILL_MD);
    zip.file('../evil.sh', 'rm -rf /');
    const bytes = Buffer.from(await zip.generateAsync({ type: 'nodebuffer' }));
    await expect(parseSkill(bytes, 'zip')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/invalid relative path/) });
  });
});
