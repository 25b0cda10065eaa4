/** Real documents of every supported format → sections and chunks with their heading paths and pages. */
import JSZip from 'jszip';
import { parseDocument, parseToChunks, type Chunk } from '../../server/src/docs';
import { JSON_DOC, MARKDOWN, XML_DOC, makeDocx, makePdf, type PdfBlock } from '../fixtures/docs/generate';

const chunkWith = (chunks: Chunk[], needle: string) => {
  const found = chunks.find((c) => c.text.includes(needle));
  if (!found) throw new Error(`no chunk contains ${JSON.stringify(needle)}`);
  return found;
};

const HANDBOOK: PdfBlock[][] = [
  [
    { heading: 1, text: 'Employee Handbook' },
    {
      text: 'This handbook explains how the office works. It is long enough to wrap onto a second line when drawn at eleven points on an A4 page, so the parser has to join the lines again.',
    },
    { heading: 2, text: 'Office software' },
    { text: 'Everyone uses LibreOffice for documents and spreadsheets.' },
    { text: 'Passwords live in the team vault, never in documents.' },
  ],
  [
    { heading: 2, text: 'Travel' },
    { heading: 3, text: 'Booking' },
    { text: 'Trains are preferred over flights for trips under five hundred kilometres.' },
  ],
  [{ text: 'Receipts are due within thirty days of returning.' }],
];

describe('PDF', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await makePdf(HANDBOOK);
  });

  test('headings are recovered from font sizes, with pages', async () => {
    const sections = await parseDocument(pdf, 'pdf');
    expect(sections).toEqual([
      {
        headingPath: ['Employee Handbook'],
        text: expect.stringMatching(/^This handbook explains how the office works\. It is long enough .* join the lines again\.$/),
        page: 1,
      },
      {
        headingPath: ['Employee Handbook', 'Office software'],
        text: 'Everyone uses LibreOffice for documents and spreadsheets.\n\nPasswords live in the team vault, never in documents.',
        page: 1,
      },
      {
        headingPath: ['Employee Handbook', 'Travel', 'Booking'],
        text: 'Trains are preferred over flights for trips under five hundred kilometres.',
        page: 2,
      },
      { headingPath: ['Employee Handbook', 'Travel', 'Booking'], text: 'Receipts are due within thirty days of returning.', page: 3 },
    ]);
  });

  test('running footers and page numbers are dropped', async () => {
    const text = (await parseDocument(pdf, 'pdf')).map((s) => s.text).join('\n');
    expect(text).not.toMatch(/ACME Corp internal handbook/);
    expect(text).not.toMatch(/^\d$/m);
  });

  test('chunks carry heading path and page; the index text starts with the path', async () => {
    const chunks = await parseToChunks(pdf, 'pdf', 'handbook.pdf');
    const c = chunkWith(chunks, 'LibreOffice');
    expect(c).toMatchObject({ headingPath: ['Employee Handbook', 'Office software'], page: 1 });
    expect(c.indexText.startsWith('Employee Handbook > Office software\n\n')).toBe(true);
    expect(chunkWith(chunks, 'Receipts').page).toBe(3);
    expect(chunks.map((x) => x.index)).toEqual(chunks.map((_, i) => i));
  });

  test('the page limit is 50104 and names the limit', async () => {
    await expect(parseToChunks(pdf, 'pdf', 'handbook.pdf', { maxPages: 2 })).rejects.toMatchObject({
      code: 50104,
      message: 'handbook.pdf: PDF has 3 pages; the limit is 2 pages per file',
    });
  });

  test('content that is not a PDF is 50107', async () => {
    await expect(parseToChunks(Buffer.from('hello'), 'pdf', 'fake.pdf')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/fake\.pdf: not a valid PDF/) });
    const broken = Buffer.concat([pdf.subarray(0, 400), Buffer.from('garbage')]);
    await expect(parseToChunks(broken, 'pdf', 'broken.pdf')).rejects.toMatchObject({ code: 50107 });
  });

  test('a PDF without text is 50107 with a hint', async () => {
    const blank = await makePdf([[]], '');
    await expect(parseToChunks(blank, 'pdf', 'scan.pdf')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/no text could be extracted.*OCR/) });
  });
});

describe('DOCX', () => {
  test('Word headings become the heading path; lists, tables and CJK text survive', async () => {
    const sections = await parseDocument(await makeDocx(), 'docx');
    expect(sections).toEqual([
      { headingPath: ['Employee Handbook'], text: 'This handbook explains how the office works.' },
      { headingPath: ['Employee Handbook', 'Office software'], text: 'Everyone uses LibreOffice for documents & spreadsheets.' },
      { headingPath: ['Employee Handbook', 'Office software', 'Email'], text: 'Mail runs on Thunderbird.\n\n- Install it from the portal.' },
      { headingPath: ['Employee Handbook', 'Travel'], text: 'Trains are preferred over flights under 500 km.\n\nClass | Allowed\nSecond | Always' },
      { headingPath: ['Employee Handbook', 'Travel', '差旅报销'], text: '报销需要在出差结束后三十天内提交。请保留所有发票。' },
    ]);
  });

  test('a zip that is not a Word package, and random bytes, are 50107', async () => {
    const zip = new JSZip();
    zip.file('a.txt', 'hello');
    const notWord = Buffer.from(await zip.generateAsync({ type: 'nodebuffer' }));
    await expect(parseToChunks(notWord, 'docx', 'a.docx')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/word\/document\.xml/) });
    await expect(parseToChunks(Buffer.from('not a zip at all'), 'docx', 'b.docx')).rejects.toMatchObject({ code: 50107 });
  });

  test('declared XML sizes are capped before mammoth inflates anything', async () => {
    await expect(parseToChunks(await makeDocx(), 'docx', 'c.docx', { maxXmlBytes: 1000 })).rejects.toMatchObject({ code: 50104 });
  });
});

describe('Markdown', () => {
  test('ATX and setext headings, code fences ignored, front matter kept', async () => {
    const sections = await parseDocument(Buffer.from(MARKDOWN), 'md');
    expect(sections.map((s) => s.headingPath)).toEqual([
      [],
      ['Handbook'],
      ['Handbook', 'Office software'],
      ['Handbook', 'Office software', 'Email'],
      ['Handbook', 'Travel'],
      ['Handbook', 'Setext heading'],
    ]);
    expect(sections[0].text).toBe('title: Handbook');
    expect(sections[3].text).toContain('# not a heading: inside a code fence');
  });

  test('heading decoration is stripped and empty leaf headings keep their words', async () => {
    const md = '# **Guide** to [tools](http://x)\n\n## Phone: 555-0100\n\n## Office software ##\nLibreOffice.\n';
    const sections = await parseDocument(Buffer.from(md), 'md');
    expect(sections).toEqual([
      { headingPath: ['Guide to tools', 'Phone: 555-0100'], text: 'Phone: 555-0100' },
      { headingPath: ['Guide to tools', 'Office software'], text: 'LibreOffice.' },
    ]);
  });
});

describe('JSON', () => {
  test('top-level keys and records of a list become sections', async () => {
    const sections = await parseDocument(Buffer.from(JSON_DOC), 'json');
    expect(sections).toEqual([
      { headingPath: ['company'], text: 'ACME' },
      { headingPath: ['policies', 'Office software'], text: 'title: Office software\nbody: We use LibreOffice.\ntags: office, tools' },
      { headingPath: ['policies', 'Travel'], text: 'title: Travel\nbody: Trains before flights.\nlimits:\n  hotel: 120\n  meal: 30' },
      { headingPath: ['contacts'], text: 'it: it@acme.test\nhr: hr@acme.test' },
    ]);
  });

  test('a top-level array: one section per item', async () => {
    const sections = await parseDocument(Buffer.from(JSON.stringify([{ q: 'a' }, { id: 7, q: 'b' }, 'plain'])), 'json');
    expect(sections.map((s) => s.headingPath)).toEqual([['item #1'], ['item #2 (id 7)'], ['item #3']]);
  });

  test('invalid JSON is 50107', async () => {
    await expect(parseToChunks(Buffer.from('{"a": 1,'), 'json', 'x.json')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/x\.json: not valid JSON/) });
  });
});

describe('XML', () => {
  test('child elements of the root become sections named by their titles', async () => {
    const chunks = await parseToChunks(Buffer.from(XML_DOC), 'xml', 'handbook.xml');
    expect(chunks.map((c) => c.headingPath)).toEqual([['Office software'], ['Travel']]);
    expect(chunks[0].text).toContain('We use LibreOffice for documents');
    expect(chunks[0].text).toContain('tool (name=mail): Thunderbird');
    expect(chunks[1].text).toContain('Trains are preferred & flights need approval');
  });

  test('mixed content is flattened and nested groups are descended into', async () => {
    const xml = '<lib><shelf><book><title>Hobbit</title><p>A <b>small</b> hobbit.</p></book><book><title>Dune</title><p>Sand.</p></book></shelf><note>Closed on Sundays.</note></lib>';
    const sections = await parseDocument(Buffer.from(xml), 'xml');
    expect(sections).toEqual([
      { headingPath: ['shelf', 'Hobbit'], text: 'title: Hobbit\np: A small hobbit.' },
      { headingPath: ['shelf', 'Dune'], text: 'title: Dune\np: Sand.' },
      { headingPath: ['note'], text: 'Closed on Sundays.' },
    ]);
  });

  test('malformed XML is 50107 with its position', async () => {
    await expect(parseToChunks(Buffer.from('<a><b></a>'), 'xml', 'bad.xml')).rejects.toMatchObject({
      code: 50107,
      message: expect.stringMatching(/bad\.xml: not valid XML: .*line 1/),
    });
  });
});

describe('plain text', () => {
  test('UTF-8, UTF-16 with BOM and GB18030 are all read', async () => {
    expect(await parseDocument(Buffer.from('Line one.\r\n\r\nLine two.'), 'txt')).toEqual([{ headingPath: [], text: 'Line one.\n\nLine two.' }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße 你好', 'utf16le')]);
    expect((await parseDocument(utf16, 'txt'))[0].text).toBe('Grüße 你好');
    const gbk = Buffer.from('c4e3bac3a3accac0bde7', 'hex'); // 你好，世界
    expect((await parseDocument(gbk, 'txt'))[0].text).toBe('你好，世界');
  });

  test('binary content declared as text is 50107; empty text has nothing to index', async () => {
    await expect(parseToChunks(Buffer.from([1, 0, 2, 0, 3]), 'txt', 'x.txt')).rejects.toMatchObject({ code: 50107, message: expect.stringMatching(/binary/) });
    await expect(parseToChunks(Buffer.from('  \n '), 'txt', 'empty.txt')).rejects.toMatchObject({ code: 50107, message: 'empty.txt: no text could be extracted' });
  });
});

describe('limits and unsupported', () => {
  test('legacy .doc is 40007', async () => {
    await expect(parseToChunks(Buffer.from('x'), 'doc', 'old.doc')).rejects.toMatchObject({ code: 40007, message: expect.stringMatching(/save it as \.docx/) });
  });

  test('the per-file cap applies to parsing too', async () => {
    await expect(parseToChunks(Buffer.alloc(2000, 'a'), 'txt', 'big.txt', { maxBytes: 1000 })).rejects.toMatchObject({
      code: 50104,
      message: 'big.txt: file larger than 1000 bytes',
    });
  });
});
