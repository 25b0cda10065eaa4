/** Upload items given inline: base64, data URLs, type detection, and the errors each defect maps to. */
import { decodeBase64, loadUpload, parseDataUrl } from '../../server/src/docs';
import { JSON_DOC, MARKDOWN, XML_DOC, makeDocx, makePdf, makeSkillZip } from '../fixtures/docs/generate';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const dataUrl = (mime: string, s: string | Buffer) => `data:${mime};base64,${b64(s)}`;

let pdf: Buffer;
let docx: Buffer;
beforeAll(async () => {
  pdf = await makePdf([[{ heading: 1, text: 'Title' }, { text: 'Body.' }]]);
  docx = await makeDocx();
});

describe('base64 and data URLs', () => {
  test('raw base64 with a name', async () => {
    const file = await loadUpload({ content: b64(MARKDOWN), name: 'handbook.md' });
    expect(file).toMatchObject({ name: 'handbook.md', ext: 'md', type: 'document', sizeMB: 0.01 });
    expect(file.bytes.toString('utf8')).toBe(MARKDOWN);
  });

  test('a data URL: its media type gives the extension', async () => {
    const file = await loadUpload({ content: dataUrl('text/markdown', MARKDOWN) });
    expect(file).toMatchObject({ name: 'document.md', ext: 'md' });
    const named = await loadUpload({ content: `data:text/plain;name=notes.md;base64,${b64('# Notes')}` });
    expect(named).toMatchObject({ name: 'notes.md', ext: 'md' });
  });

  test('line-wrapped and URL-safe unpadded base64 are accepted', async () => {
    const wrapped = b64(MARKDOWN).replace(/(.{76})/g, '$1\r\n');
    expect((await loadUpload({ content: wrapped, name: 'a.md' })).bytes.toString()).toBe(MARKDOWN);
    const raw = Buffer.from([0xfb, 0xff, 0xbf, 0x41]);
    expect(decodeBase64(raw.toString('base64url'))).toEqual(raw);
  });

  test('binary types are recognised from their bytes, whatever the name lacks', async () => {
    expect(await loadUpload({ content: b64(pdf) })).toMatchObject({ ext: 'pdf', name: 'document.pdf' });
    expect(await loadUpload({ content: dataUrl('application/octet-stream', docx) })).toMatchObject({ ext: 'docx' });
    // Magic bytes outrank a wrong name.
    expect(await loadUpload({ content: b64(pdf), name: 'report.txt' })).toMatchObject({ ext: 'pdf', name: 'report.txt' });
  });

  test('text types are sniffed when nothing is declared', async () => {
    expect((await loadUpload({ content: b64(JSON_DOC) })).ext).toBe('json');
    expect((await loadUpload({ content: b64(XML_DOC) })).ext).toBe('xml');
    expect((await loadUpload({ content: b64(MARKDOWN) })).ext).toBe('md');
    expect((await loadUpload({ content: b64('Just a plain note.\nNothing more.') })).ext).toBe('txt');
  });

  test('a version number is not an extension', async () => {
    expect(await loadUpload({ content: b64(MARKDOWN), name: 'Handbook v1.2' })).toMatchObject({ ext: 'md', name: 'Handbook v1.2' });
  });

  test('a declared type wins over sniffing, so a fake PDF fails later as a PDF', async () => {
    expect((await loadUpload({ content: b64('hello'), name: 'x.pdf' })).ext).toBe('pdf');
  });

  test.each([
    ['illegal characters', 'SGVsbG8$$$', /illegal character "\$" at position 7/],
    ['a truncated string', 'SGVsbG8gd', /truncated/],
    ['mixed alphabets', 'ab+c-d==', /mixes/],
  ])('%s → 40008', async (_label, content, message) => {
    await expect(loadUpload({ content, name: 'a.txt' })).rejects.toMatchObject({ code: 40008, message: expect.stringMatching(message) });
  });

  test.each([
    ['three pad characters', 'SGVsbG8===', /bad padding/],
    ['padding in the middle', 'SGV=sbG8', /before its end/],
    ['padding with a wrong length', 'SGVsbG8gdw=', /bad padding/],
  ])('%s → 40009', async (_label, content, message) => {
    await expect(loadUpload({ content, name: 'a.txt' })).rejects.toMatchObject({ code: 40009, message: expect.stringMatching(message) });
  });

  test.each([
    ['no ;base64', 'data:text/markdown,hello', /base64-encoded/],
    ['no comma', 'data:text/markdown;base64', /no comma/],
    ['a bad media type', 'data:text markdown;base64,aGVsbG8=', /invalid media type/],
    ['a bad parameter', 'data:text/plain;oops;base64,aGVsbG8=', /invalid parameter/],
  ])('a data URL with %s → 40009', async (_label, content, message) => {
    await expect(loadUpload({ content })).rejects.toMatchObject({ code: 40009, message: expect.stringMatching(message) });
  });

  test('bad base64 inside a valid data URL is still 40008', async () => {
    await expect(loadUpload({ content: 'data:text/plain;base64,@@@@' })).rejects.toMatchObject({ code: 40008 });
  });

  test('parseDataUrl reads the media type and a name parameter', () => {
    expect(parseDataUrl('data:Text/Markdown;charset=utf-8;name=a%20b.md;base64,QQ==')).toEqual({ mime: 'text/markdown', name: 'a b.md', base64: 'QQ==' });
  });

  test('a URL without its scheme gets a hint', async () => {
    await expect(loadUpload({ content: 'www.example.com/files/a.pdf' })).rejects.toMatchObject({
      code: 40008,
      message: expect.stringMatching(/must start with http:\/\/ or https:\/\//),
    });
  });

  test('empty content → 40002, unknown type → 40006', async () => {
    await expect(loadUpload({ content: '  ' })).rejects.toMatchObject({ code: 40002 });
    await expect(loadUpload({ content: 'QQ==', type: 'image' as never })).rejects.toMatchObject({ code: 40006 });
  });
});

describe('unsupported types → 40007', () => {
  test('an extension outside the list', async () => {
    await expect(loadUpload({ content: b64('a,b\n1,2'), name: 'table.csv' })).rejects.toMatchObject({
      code: 40007,
      message: expect.stringMatching(/"\.csv".*pdf, docx, doc, txt, json, md, xml/),
    });
  });

  test('binary content of another kind', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await expect(loadUpload({ content: b64(png), name: 'scan.pdf' })).rejects.toMatchObject({ code: 40007, message: expect.stringMatching(/\.png/) });
    await expect(loadUpload({ content: b64(Buffer.from([0, 1, 2, 3, 0, 0, 7])) })).rejects.toMatchObject({
      code: 40007,
      message: expect.stringMatching(/unrecognised binary/),
    });
  });

  test('legacy .doc, by name or by its bytes', async () => {
    await expect(loadUpload({ content: b64('whatever'), name: 'old.doc' })).rejects.toMatchObject({
      code: 40007,
      message: expect.stringMatching(/legacy \.doc .*save it as \.docx/),
    });
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(100), Buffer.from('WordDocument', 'utf16le')]);
    await expect(loadUpload({ content: b64(ole) })).rejects.toMatchObject({ code: 40007, message: expect.stringMatching(/save it as \.docx/) });
  });

  test('skills accept only .md and standard .zip', async () => {
    await expect(loadUpload({ content: b64('text'), name: 'skill.txt', type: 'skill' })).rejects.toMatchObject({
      code: 40007,
      message: expect.stringMatching(/a skill must be one of md, zip/),
    });
    const rar = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(20)]);
    await expect(loadUpload({ content: b64(rar), name: 'skill.zip', type: 'skill' })).rejects.toMatchObject({
      code: 40007,
      message: expect.stringMatching(/only standard \.zip/),
    });
    await expect(loadUpload({ content: b64(pdf), type: 'skill' })).rejects.toMatchObject({ code: 40007 });
  });

  test('skill types: a zip by its bytes, Markdown by default', async () => {
    const zip = await makeSkillZip();
    expect(await loadUpload({ content: dataUrl('application/zip', zip), type: 'skill' })).toMatchObject({ ext: 'zip', name: 'skill.zip', type: 'skill' });
    expect(await loadUpload({ content: dataUrl('text/plain', '---\nname: x\n---\n'), type: 'skill' })).toMatchObject({ ext: 'md', name: 'SKILL.md' });
  });
});

describe('size limits → 50104', () => {
  test('a document over the cap is refused before decoding', async () => {
    await expect(loadUpload({ content: b64('x'.repeat(200)), name: 'a.txt' }, { maxBytes: 100 })).rejects.toMatchObject({
      code: 50104,
      message: 'file larger than 100 bytes',
    });
    await expect(loadUpload({ content: b64('x'.repeat(100)), name: 'a.txt' }, { maxBytes: 100 })).resolves.toBeDefined();
  });

  test('skill caps depend on the kind of skill', async () => {
    const md = `---\nname: a\ndescription: b\n---\n${'x'.repeat(300)}`;
    await expect(loadUpload({ content: b64(md), type: 'skill' }, { maxSkillMdBytes: 200 })).rejects.toMatchObject({
      code: 50104,
      message: 'skill .md larger than 200 bytes',
    });
    const zip = await makeSkillZip();
    await expect(loadUpload({ content: b64(zip), type: 'skill' }, { maxSkillZipBytes: 300 })).rejects.toMatchObject({
      code: 50104,
      message: 'skill .zip larger than 300 bytes',
    });
  });

  test('sizeMB is a two-decimal number', async () => {
    const file = await loadUpload({ content: b64(Buffer.alloc(3 * 1024 * 1024, 'a')), name: 'big.txt' });
    expect(file.sizeMB).toBe(3);
  });
});
