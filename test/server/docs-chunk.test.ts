/** Chunking: sizes, sentence boundaries (Latin and CJK), heading paths and pages carried through. */
import { chunkDocument, chunkIndexText, type Section } from '../../server/src/docs';

const sentence = (i: number) => `Sentence number ${i} talks about the office software policy in some detail.`;
const paragraph = (from: number, n: number) => Array.from({ length: n }, (_, k) => sentence(from + k)).join(' ');

describe('chunkDocument', () => {
  test('packs paragraphs up to the target and cuts only between sentences', () => {
    const text = Array.from({ length: 8 }, (_, p) => paragraph(p * 10, 10)).join('\n\n');
    const chunks = chunkDocument([{ headingPath: ['Guide', 'Office software'], text }], { targetChars: 800 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(1000);
      expect(c.text).toMatch(/^Sentence number \d+/);
      expect(c.text).toMatch(/detail\.$/);
      expect(c.headingPath).toEqual(['Guide', 'Office software']);
    }
    // Nothing lost, nothing duplicated.
    expect(chunks.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  test('Chinese text is cut after 。！？ even without spaces', () => {
    const text = Array.from({ length: 60 }, (_, i) => `这是第${i}句话，介绍办公软件的使用规定！`).join('');
    const chunks = chunkDocument([{ headingPath: ['办公软件'], text }], { targetChars: 200 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(250);
      expect(c.text).toMatch(/！$/);
      expect(c.text).toMatch(/^这是第\d+句话/);
    }
    expect(chunks.map((c) => c.text).join('')).toBe(text);
  });

  test('a sentence a little over the target stays whole; a huge one is cut at clauses, then words', () => {
    const long = `${'word '.repeat(190).trim()}.`; // ~950 chars, one sentence
    const whole = chunkDocument([{ headingPath: [], text: long }], { targetChars: 800, maxChars: 1000 });
    expect(whole).toHaveLength(1);
    const huge = `${'alpha beta, '.repeat(300)}end.`;
    const cut = chunkDocument([{ headingPath: [], text: huge }], { targetChars: 400 });
    expect(cut.length).toBeGreaterThan(5);
    for (const c of cut.slice(0, -1)) expect(c.text).toMatch(/beta,$/);
  });

  test('text with no boundaries at all is cut at the target size', () => {
    const chunks = chunkDocument([{ headingPath: [], text: 'x'.repeat(2500) }], { targetChars: 1000 });
    expect(chunks.map((c) => c.text.length)).toEqual([1000, 1000, 500]);
  });

  test('never mixes sections; keeps pages; indexes run across the document', () => {
    const sections: Section[] = [
      { headingPath: ['A'], text: 'Short one.', page: 1 },
      { headingPath: ['A', 'B'], text: 'Short two.', page: 1 },
      { headingPath: ['C'], text: 'Short three.', page: 2 },
    ];
    const chunks = chunkDocument(sections);
    expect(chunks).toEqual([
      { index: 0, text: 'Short one.', headingPath: ['A'], page: 1, indexText: 'A\n\nShort one.' },
      { index: 1, text: 'Short two.', headingPath: ['A', 'B'], page: 1, indexText: 'A > B\n\nShort two.' },
      { index: 2, text: 'Short three.', headingPath: ['C'], page: 2, indexText: 'C\n\nShort three.' },
    ]);
  });

  test('a short tail joins the chunk before it', () => {
    const text = `${paragraph(0, 10)}\n\nTail.`;
    const chunks = chunkDocument([{ headingPath: [], text }], { targetChars: 760 });
    expect(chunks[chunks.length - 1].text.endsWith('\n\nTail.')).toBe(true);
  });

  test('list lines stay whole when a paragraph is split by lines', () => {
    const list = Array.from({ length: 40 }, (_, i) => `- item ${i}: install the approved tool number ${i}`).join('\n');
    const chunks = chunkDocument([{ headingPath: ['Tools'], text: list }], { targetChars: 300 });
    for (const c of chunks) for (const line of c.text.split('\n')) expect(line).toMatch(/^- item \d+: install the approved tool number \d+$/);
  });

  test('hard-wrapped prose is cut between sentences, not at its line breaks', () => {
    const prose = paragraph(0, 30);
    const wrapped = prose.replace(/(.{1,70})(\s+|$)/g, '$1\n').trim();
    expect(wrapped.split('\n').length).toBeGreaterThan(20);
    const chunks = chunkDocument([{ headingPath: [], text: wrapped }], { targetChars: 500 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.text).toMatch(/^Sentence number \d+[\s\S]*detail\.$/);
  });

  test('blank sections produce nothing; the heading path is copied, not shared', () => {
    const path = ['X'];
    const chunks = chunkDocument([{ headingPath: path, text: '  \n ' }, { headingPath: path, text: 'Body.' }]);
    expect(chunks).toHaveLength(1);
    chunks[0].headingPath.push('changed');
    expect(path).toEqual(['X']);
  });

  test('chunkIndexText', () => {
    expect(chunkIndexText([], 'Body')).toBe('Body');
    expect(chunkIndexText(['Handbook', 'Office software'], 'Body')).toBe('Handbook > Office software\n\nBody');
  });
});
