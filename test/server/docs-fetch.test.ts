/** URL uploads: download limits, redirects and the private-address guard, against a server on 127.0.0.1. */
import { blockedRange, fetchDocument, loadUpload, parseToChunks } from '../../server/src/docs';
import { MARKDOWN, makePdf } from '../fixtures/docs/generate';
import { startServer, type TestServer } from '../fixtures/docs/server';

let srv: TestServer;
let pdf: Buffer;

beforeAll(async () => {
  pdf = await makePdf([[{ heading: 1, text: 'Quarterly report' }, { text: 'Revenue grew by ten percent.' }]]);
  srv = await startServer({
    '/files/handbook.md': { body: MARKDOWN, type: 'text/markdown; charset=utf-8' },
    '/download?id=1': { body: pdf, disposition: 'attachment; filename="report.pdf"' },
    '/download?id=2': { body: pdf, disposition: "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf" },
    '/api/policies': { body: JSON.stringify({ travel: 'Trains first.' }), type: 'application/json' },
    '/files/table.csv': { body: 'a,b\n1,2\n', type: 'text/csv' },
  });
});
afterAll(() => srv.close());

const open = { allowPrivate: true };

describe('downloading', () => {
  test('a Markdown file: name and type come from the URL', async () => {
    const file = await loadUpload({ content: `${srv.base}/files/handbook.md` }, open);
    expect(file).toMatchObject({ name: 'handbook.md', ext: 'md', type: 'document', sizeMB: 0.01 });
    expect(file.bytes.toString('utf8')).toBe(MARKDOWN);
    if (file.type !== 'document') throw new Error('expected a document');
    const chunks = await parseToChunks(file.bytes, file.ext, file.name);
    expect(chunks.find((c) => c.text.includes('LibreOffice'))?.headingPath).toEqual(['Handbook', 'Office software']);
  });

  test('Content-Disposition names the file when the URL does not', async () => {
    const file = await loadUpload({ content: `${srv.base}/download?id=1` }, open);
    expect(file).toMatchObject({ name: 'report.pdf', ext: 'pdf' });
    expect(file.bytes.equals(pdf)).toBe(true);
    const unicode = await loadUpload({ content: `${srv.base}/download?id=2` }, open);
    expect(unicode.name).toBe('报告.pdf');
  });

  test('the Content-Type decides when nothing else does', async () => {
    const file = await loadUpload({ content: `${srv.base}/api/policies` }, open);
    expect(file).toMatchObject({ ext: 'json', name: 'policies' });
  });

  test('an unsupported type from the URL is 40007', async () => {
    await expect(loadUpload({ content: `${srv.base}/files/table.csv` }, open)).rejects.toMatchObject({
      code: 40007,
      message: expect.stringContaining('.csv'),
    });
  });

  test('HTTP errors and unreachable hosts are 40000 with the reason', async () => {
    await expect(fetchDocument(`${srv.base}/missing`, open)).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/HTTP 404/) });
    const closed = await startServer({});
    await closed.close();
    await expect(fetchDocument(`${closed.base}/x`, open)).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  test('only http and https', async () => {
    await expect(fetchDocument('ftp://example.com/a.pdf')).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/only http/) });
    await expect(loadUpload({ content: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 40000 });
  });
});

describe('size cap', () => {
  test('a body without Content-Length is cut off once it passes the cap', async () => {
    await expect(fetchDocument(`${srv.base}/stream?bytes=100000`, { ...open, maxBytes: 1000 })).rejects.toMatchObject({
      code: 50104,
      message: expect.stringMatching(/^file larger than 1000 bytes/),
    });
    const ok = await fetchDocument(`${srv.base}/stream?bytes=512`, { ...open, maxBytes: 1000 });
    expect(ok.bytes.length).toBe(512);
  });

  test('a declared Content-Length over 100 MB is refused before reading', async () => {
    const started = Date.now();
    await expect(fetchDocument(`${srv.base}/declared-huge`, open)).rejects.toMatchObject({
      code: 50104,
      message: expect.stringMatching(/^file larger than 100 MB/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('loadUpload passes its cap to the download', async () => {
    await expect(loadUpload({ content: `${srv.base}/stream?bytes=5000` }, { ...open, maxBytes: 2048 })).rejects.toMatchObject({
      code: 50104,
      message: expect.stringMatching(/larger than 2 KB/),
    });
  });
});

describe('redirects', () => {
  test('up to five are followed', async () => {
    const got = await fetchDocument(`${srv.base}/redirect/5`, open);
    expect(got.url).toBe(`${srv.base}/files/handbook.md`);
    expect(got.bytes.toString('utf8')).toBe(MARKDOWN);
  });

  test('a sixth is refused', async () => {
    await expect(fetchDocument(`${srv.base}/redirect/6`, open)).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/too many redirects \(more than 5\)/),
    });
  });

  test('a loop is named as such', async () => {
    await expect(fetchDocument(`${srv.base}/loop/a`, open)).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/redirect loop/) });
  });

  test('each hop is checked again: scheme', async () => {
    await expect(fetchDocument(`${srv.base}/to?u=${encodeURIComponent('file:///etc/passwd')}`, open)).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/only http and https/),
    });
  });

  test('each hop is checked again: address', async () => {
    // The resolver vouches for "localhost" as public, so only the redirect target can trip the guard.
    const lookup = async () => [{ address: '93.184.215.14', family: 4 }];
    const url = `http://localhost:${srv.port}/to?u=${encodeURIComponent('http://10.0.0.1/secret')}`;
    await expect(fetchDocument(url, { lookup })).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(/10\.0\.0\.1 is a private address/) });
  });
});

describe('timeouts', () => {
  test('a server that never answers', async () => {
    const started = Date.now();
    await expect(fetchDocument(`${srv.base}/hang`, { ...open, timeoutMs: 300 })).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/timed out after 0.3 s/),
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a body that never ends', async () => {
    await expect(fetchDocument(`${srv.base}/slow-body`, { ...open, timeoutMs: 300 })).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/timed out/),
    });
  });
});

describe('private addresses are refused unless allowPrivate', () => {
  test.each([
    ['127.0.0.1', () => `${srv.base}/files/handbook.md`, /127\.0\.0\.1 is a loopback address/],
    ['10.0.0.1', () => 'http://10.0.0.1/doc.pdf', /private/],
    ['169.254.169.254 (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data/', /linkLocal/],
    ['::1', () => `http://[::1]:${srv.port}/files/handbook.md`, /loopback/],
    ['::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${srv.port}/files/handbook.md`, /IPv4-mapped loopback/],
    ['localhost', () => `http://localhost:${srv.port}/files/handbook.md`, /loopback address \(localhost resolves to /],
    ['0.0.0.0', () => `http://0.0.0.0:${srv.port}/`, /unspecified/],
    ['decimal-encoded loopback', () => `http://2130706433:${srv.port}/`, /loopback/],
  ])('%s', async (_label, url, message) => {
    await expect(loadUpload({ content: url(), name: 'a.md' })).rejects.toMatchObject({ code: 40000, message: expect.stringMatching(message) });
  });

  test('a name is refused when any of its addresses is private', async () => {
    const lookup = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '192.168.1.20', family: 4 },
    ];
    await expect(fetchDocument('http://intranet.example/doc.md', { lookup })).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/intranet\.example resolves to 192\.168\.1\.20/),
    });
  });

  test('an unresolvable name is 40000', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
    };
    await expect(fetchDocument('http://nowhere.invalid/a.md', { lookup })).rejects.toMatchObject({
      code: 40000,
      message: expect.stringMatching(/does not resolve \(ENOTFOUND\)/),
    });
  });

  test('address classification', () => {
    expect(blockedRange('8.8.8.8')).toBeUndefined();
    expect(blockedRange('2606:4700:4700::1111')).toBeUndefined();
    expect(blockedRange('172.16.5.4')).toBe('private');
    expect(blockedRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(blockedRange('224.0.0.251')).toBe('multicast');
    expect(blockedRange('255.255.255.255')).toBe('broadcast');
    expect(blockedRange('fe80::1')).toBe('linkLocal');
    expect(blockedRange('fd00::1')).toBe('uniqueLocal');
    expect(blockedRange('ff02::1')).toBe('multicast');
    expect(blockedRange('::')).toBe('unspecified');
    expect(blockedRange('::ffff:10.1.2.3')).toBe('IPv4-mapped private');
    expect(blockedRange('::ffff:8.8.8.8')).toBeUndefined();
    expect(blockedRange('::7f00:1')).toBe('IPv4-compatible');
    expect(blockedRange('64:ff9b::a00:1')).toBe('rfc6052');
    expect(blockedRange('2002:a00:1::')).toBe('6to4');
  });
});
