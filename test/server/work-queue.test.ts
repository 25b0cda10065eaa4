/**
 * Work takes turns on the request thread (server/src/engine/work-queue.ts, http/admission.ts): one piece starts per
 * turn of the event loop, so a burst of searches cannot hold `/health` (or anything else arriving meanwhile) behind
 * all of them, background work waits behind the requests that came first, and the requests' queue is bounded
 * (40300 beyond it).
 *
 * The HTTP cases send a burst on already-open connections and then block this (the server's) thread for a moment,
 * so every request of the burst is in the server's socket buffers when it next polls: the case the turns exist for.
 */
import net from 'node:net';

import { WorkQueue } from '../../server/src/engine/work-queue';
import { SlicePace } from '../../server/src/engine/kb-ingest';
import { CHUNK_BATCH } from '../../server/src/engine/doc-indexer';
import { client } from '../helpers/memos-lite';
import { useServer, type TestServer } from '../helpers/server';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WorkQueue', () => {
  test('starts one admitted request per turn of the event loop, in arrival order', async () => {
    const queue = new WorkQueue(10);
    const started: string[] = [];
    for (const name of ['a', 'b', 'c']) expect(queue.admit(() => started.push(name))).toBe(true);
    expect(started).toEqual([]);
    await nextTurn();
    expect(started).toEqual(['a']);
    await nextTurn();
    expect(started).toEqual(['a', 'b']);
    await nextTurn();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  test('refuses beyond its bound, and admits again once the queue drains', async () => {
    const queue = new WorkQueue(2);
    const started: number[] = [];
    expect(queue.admit(() => started.push(1))).toBe(true);
    expect(queue.admit(() => started.push(2))).toBe(true);
    expect(queue.admit(() => started.push(3))).toBe(false);
    expect(queue.length).toBe(2);
    await nextTurn();
    await nextTurn();
    expect(started).toEqual([1, 2]);
    expect(queue.admit(() => started.push(4))).toBe(true);
    await nextTurn();
    expect(started).toEqual([1, 2, 4]);
  });

  test('background work waits behind the requests queued before it, and is never refused', async () => {
    const queue = new WorkQueue(1);
    const started: string[] = [];
    expect(queue.admit(() => started.push('request'))).toBe(true);
    const background = Promise.all([queue.turn().then(() => started.push('slice 1')), queue.turn().then(() => started.push('slice 2'))]);
    expect(queue.length).toBe(3);
    await background;
    expect(started).toEqual(['request', 'slice 1', 'slice 2']);
  });
});

/** A keep-alive connection that sends raw requests and reads whole responses (Content-Length framed). */
async function connect(origin: string) {
  const { hostname, port } = new URL(origin);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffered = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    waiter?.();
  });
  /** The next whole response: status line, headers and parsed JSON body. */
  const response = async (): Promise<{ head: string; body: any }> => {
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = buffered.subarray(0, end).toString();
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length >= end + 4 + length) {
          const body = JSON.parse(buffered.subarray(end + 4, end + 4 + length).toString());
          buffered = buffered.subarray(end + 4 + length);
          return { head, body };
        }
      }
      await new Promise<void>((resolve) => (waiter = resolve));
    }
  };
  return { socket, response };
}

function rawRequest(server: TestServer, method: 'GET' | 'POST', path: string, body?: unknown): string {
  const host = new URL(server.origin).host;
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = [`${method} ${path} HTTP/1.1`, `host: ${host}`, `authorization: Token ${server.apiKey}`, 'connection: keep-alive'];
  if (body !== undefined) headers.push('content-type: application/json', `content-length: ${Buffer.byteLength(payload)}`);
  return headers.join('\r\n') + '\r\n\r\n' + payload;
}

/** Busy-waits: nothing else on this thread (the server included) runs meanwhile. */
function block(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

async function seed(server: TestServer, user: string) {
  const call = client(server);
  const r = await call('/add/message', {
    user_id: user,
    conversation_id: 'c1',
    async_mode: false,
    messages: Array.from({ length: 20 }, (_, i) => ({ role: 'user', content: `I keep locker number ${i} at the gym near the station.` })),
  });
  expect(r.body.code).toBe(0);
}

/**
 * `searches` search requests, one per connection, then /health on its own; returns the connections' responses in
 * the order they arrived.
 */
async function burst(server: TestServer, searches: number, withHealth: boolean) {
  const conns = await Promise.all(Array.from({ length: searches + 1 }, () => connect(server.origin)));
  // A first round trip on every connection: the server has accepted them all before the burst.
  for (const c of conns) c.socket.write(rawRequest(server, 'GET', '/health'));
  await Promise.all(conns.map((c) => c.response()));

  const search = rawRequest(server, 'POST', server.baseUrl.replace(server.origin, '') + '/search/memory', { user_id: 'u-turns', query: 'which locker do I keep at the gym' });
  const arrived: Array<{ name: string; head: string; body: any }> = [];
  const sent = conns.slice(0, withHealth ? searches + 1 : searches).map((c, i) => {
    const name = i < searches ? `search ${i}` : 'health';
    c.socket.write(i < searches ? search : rawRequest(server, 'GET', '/health'));
    return c.response().then((r) => arrived.push({ name, ...r }));
  });
  block(300);
  await Promise.all(sent);
  for (const c of conns) c.socket.destroy();
  return arrived;
}

describe('a burst of searches', () => {
  const server = useServer();
  beforeAll(() => seed(server, 'u-turns'), 30_000);

  test('does not hold /health behind it: /health answers after at most a couple of them', async () => {
    const arrived = await burst(server, 15, true);
    const healthAt = arrived.findIndex((a) => a.name === 'health');
    expect(arrived[healthAt].body).toEqual({ status: 'ok' });
    // Without turns the whole burst ran before /health was read: it came last (index 15).
    expect(healthAt).toBeLessThanOrEqual(2);
    // Every search was still answered, with the memory it asked for.
    const searches = arrived.filter((a) => a.name !== 'health');
    expect(searches).toHaveLength(15);
    for (const s of searches) {
      expect(s.body.code).toBe(0);
      expect(JSON.stringify(s.body.data.memory_detail_list)).toContain('locker number');
    }
  }, 30_000);
});

describe('a burst larger than the queue', () => {
  const server = useServer({ env: { MEMOS_MAX_QUEUED_REQUESTS: '3' } });
  beforeAll(() => seed(server, 'u-turns'), 30_000);

  test('is answered 40300 beyond the bound, with Retry-After, and the admitted ones are served', async () => {
    const arrived = await burst(server, 12, false);
    const refused = arrived.filter((a) => a.body.code === 40300);
    const served = arrived.filter((a) => a.body.code === 0);
    expect(refused.length + served.length).toBe(12);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeGreaterThanOrEqual(3);
    expect(refused[0].body.message).toMatch(/3 requests waiting; retry/);
    expect(refused[0].head).toMatch(/retry-after: 1/i);
    for (const s of served) expect(JSON.stringify(s.body.data.memory_detail_list)).toContain('locker number');
    // Nothing is left queued: the next call goes through.
    expect((await client(server)('/search/memory', { user_id: 'u-turns', query: 'locker' })).body.code).toBe(0);
  }, 30_000);
});

describe('document slices', () => {
  test('follow the measured pace: about SLICE_MS each, never fewer than 8 chunks or more than a batch', () => {
    const pace = new SlicePace();
    const first = pace.size();
    expect(first).toBe(80); // 20 ms at the initial 0.25 ms per chunk
    for (let i = 0; i < 20; i++) pace.record(pace.size(), pace.size() * 1); // 1 ms per chunk
    expect(pace.size()).toBe(20);
    for (let i = 0; i < 20; i++) pace.record(pace.size(), pace.size() * 10); // a slow index: 10 ms per chunk
    expect(pace.size()).toBe(8);
    for (let i = 0; i < 40; i++) pace.record(pace.size(), pace.size() * 0.01); // a fast one
    expect(pace.size()).toBe(CHUNK_BATCH);
  });
});
