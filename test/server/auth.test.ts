/**
 * Authentication (contract §1.2): which headers are accepted, which codes the rest get, and the short key cache:
 * keyed by the key itself (two keys of two projects never share an entry), revocation seen within seconds.
 */
import { Authenticator } from '../../server/src/http/auth';
import { generateKey, hashKey, keyPrefix } from '../../server/src/http/keys';
import type { ApiKeyRecord, Store } from '../../server/src/store/types';
import { client } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

/** A store holding only keys: what Authenticator reads. */
function keyStore(keys: Record<string, Partial<ApiKeyRecord>>) {
  const byHash = new Map(Object.entries(keys).map(([key, rec]) => [hashKey(key), { id: key, projectId: 'p', revokedTime: null, readOnly: false, ...rec } as ApiKeyRecord]));
  const lookups: string[] = [];
  const store = {
    findKeyByHash: async (hash: string) => {
      lookups.push(hash);
      return byHash.get(hash);
    },
  } as unknown as Store;
  return { store, lookups, byHash };
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 0;
  } catch (err) {
    return (err as { code?: number }).code;
  }
};

describe('Authenticator', () => {
  afterEach(() => jest.useRealTimers());

  test('Token and Bearer, any case, surrounding spaces: the key of its project', async () => {
    const { store } = keyStore({ 'mpg-a': { projectId: 'proj-a' }, 'mpg-ro': { projectId: 'proj-r', readOnly: true } });
    const auth = new Authenticator(store);
    for (const h of ['Token mpg-a', 'Bearer mpg-a', 'token mpg-a', 'BEARER mpg-a', '  Token   mpg-a  ']) expect(await auth.authenticate(h)).toEqual({ projectId: 'proj-a' });
    expect(await auth.authenticate('Token mpg-ro')).toEqual({ projectId: 'proj-r', readOnly: true });
  });

  test('no header, a blank one, another scheme or no key: 40100; an unknown or revoked key: 40132', async () => {
    const { store } = keyStore({ 'mpg-a': {}, 'mpg-old': { revokedTime: 1 } });
    const auth = new Authenticator(store);
    for (const h of [undefined, '', '   ', 'mpg-a', 'Basic mpg-a', 'Token', 'Token mpg-a extra', 'Tokenmpg-a', 'XToken mpg-a', 'My Bearer mpg-a'])
      expect(await code(auth.authenticate(h))).toBe(40100);
    // A blank header is a missing one, and says so.
    await expect(auth.authenticate('   ')).rejects.toThrow(/missing Authorization header/);
    await expect(auth.authenticate('Basic mpg-a')).rejects.toThrow(/must be "Token <your API key>"/);
    expect(await code(auth.authenticate('Token mpg-nope'))).toBe(40132);
    expect(await code(auth.authenticate('Token mpg-old'))).toBe(40132);
  });

  test('the cache is per key: two keys in a row get their own projects', async () => {
    const { store } = keyStore({ 'mpg-a': { projectId: 'proj-a' }, 'mpg-b': { projectId: 'proj-b' } });
    const auth = new Authenticator(store);
    expect(await auth.authenticate('Token mpg-a')).toEqual({ projectId: 'proj-a' });
    expect(await auth.authenticate('Token mpg-b')).toEqual({ projectId: 'proj-b' });
    expect(await auth.authenticate('Token mpg-a')).toEqual({ projectId: 'proj-a' });
    expect(await code(auth.authenticate('Token mpg-c'))).toBe(40132);
  });

  test('one store read per key while cached, whatever other keys are used in between', async () => {
    const { store, lookups } = keyStore({ 'mpg-a': { projectId: 'proj-a' }, 'mpg-b': { projectId: 'proj-b' } });
    const auth = new Authenticator(store);
    for (const k of ['a', 'b', 'a', 'b', 'a']) await auth.authenticate(`Token mpg-${k}`);
    expect(lookups).toHaveLength(2);
  });

  test('the cache holds at most 10,000 keys: the 10,002nd distinct key empties it', async () => {
    const { store, lookups } = keyStore({ 'mpg-a': { projectId: 'proj-a' } });
    const auth = new Authenticator(store);
    await auth.authenticate('Token mpg-a');
    for (let i = 1; i < 10_000; i++) await code(auth.authenticate(`Token mpg-unknown-${i}`));
    // 10,000 entries: mpg-a is still cached.
    await auth.authenticate('Token mpg-a');
    expect(lookups).toHaveLength(10_000);
    await code(auth.authenticate('Token mpg-unknown-10000'));
    await auth.authenticate('Token mpg-a');
    expect(lookups).toHaveLength(10_001);
    // 10,001 entries, over the bound: the next new key starts an empty cache, so mpg-a is read again.
    await code(auth.authenticate('Token mpg-unknown-10001'));
    await auth.authenticate('Token mpg-a');
    expect(lookups).toHaveLength(10_003);
  });

  test('repeated calls within 3 s read the store once; a key revoked since is refused after 3 s', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { store, lookups, byHash } = keyStore({ 'mpg-a': { projectId: 'proj-a' } });
    const auth = new Authenticator(store);
    await auth.authenticate('Token mpg-a');
    await auth.authenticate('Token mpg-a');
    expect(lookups).toHaveLength(1);
    byHash.get(hashKey('mpg-a'))!.revokedTime = 1_000_500;
    jest.setSystemTime(1_000_000 + 3000);
    expect(await auth.authenticate('Token mpg-a')).toEqual({ projectId: 'proj-a' });
    jest.setSystemTime(1_000_000 + 3001);
    expect(await code(auth.authenticate('Token mpg-a'))).toBe(40132);
    expect(lookups).toHaveLength(2);
  });

  test('an unknown key is cached as unknown too, and learnt once it exists', async () => {
    jest.useFakeTimers({ now: 5_000_000 });
    const { store, lookups, byHash } = keyStore({});
    const auth = new Authenticator(store);
    expect(await code(auth.authenticate('Token mpg-new'))).toBe(40132);
    byHash.set(hashKey('mpg-new'), { id: 'k', projectId: 'proj-n', revokedTime: null, readOnly: false } as unknown as ApiKeyRecord);
    expect(await code(auth.authenticate('Token mpg-new'))).toBe(40132);
    expect(lookups).toHaveLength(1);
    jest.setSystemTime(5_000_000 + 3001);
    expect(await auth.authenticate('Token mpg-new')).toEqual({ projectId: 'proj-n' });
  });
});

describe('keys', () => {
  test('generated keys: the mpg- prefix and 40 letters or digits, never twice the same', () => {
    const keys = Array.from({ length: 50 }, generateKey);
    for (const k of keys) expect(k).toMatch(/^mpg-[A-Za-z0-9]{40}$/);
    expect(new Set(keys).size).toBe(50);
    // Every character of the alphabet can appear (the modulo covers all 62).
    expect(new Set(keys.map((k) => k.slice(4)).join('')).size).toBeGreaterThan(55);
  });
  test('stored as a SHA-256 hex digest; listed by a prefix that does not reveal the key', () => {
    expect(hashKey('mpg-abc')).toBe('14d85b33c3ad764d310fb94bd7902513ac57eab05b32babf05603c418dab556d');
    expect(hashKey('mpg-abc')).not.toBe(hashKey('mpg-abd'));
    expect(keyPrefix('mpg-abcdefghijklmnop')).toBe('mpg-abcdef…');
  });
});

describe('over HTTP, two projects on one server', () => {
  const server = useServer();
  test("each key reads its own project's memories, whichever was used last", async () => {
    const a = client(server);
    const b = client({ baseUrl: server.baseUrl, apiKey: await server.createKey('second') });
    await a('/add/message', { user_id: 'u', conversation_id: 'c', messages: [{ role: 'user', content: 'My locker code is 4711.' }], async_mode: false });
    await b('/add/message', { user_id: 'u', conversation_id: 'c', messages: [{ role: 'user', content: 'My locker code is 8812.' }], async_mode: false });
    for (let i = 0; i < 2; i++) {
      const fromA = JSON.stringify((await a('/search/memory', { user_id: 'u', query: 'locker code', relativity: 0 })).body.data);
      const fromB = JSON.stringify((await b('/search/memory', { user_id: 'u', query: 'locker code', relativity: 0 })).body.data);
      expect(fromA).toContain('4711');
      expect(fromA).not.toContain('8812');
      expect(fromB).toContain('8812');
      expect(fromB).not.toContain('4711');
    }
  });
});
