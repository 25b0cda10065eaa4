import { MemOsApi } from '../../credentials/MemOsApi.credentials';
import { authorizationHeader, normalizeBaseUrl } from '../../nodes/shared/auth';
import { runNode, testCredential } from './harness';
import { useMemos } from './setup';

const fx = useMemos();

describe('MemOS API credential', () => {
	test('defaults to MemOS Cloud; the key is a password field', () => {
		const cred = new MemOsApi();
		const base = cred.properties.find((p) => p.name === 'baseUrl');
		const key = cred.properties.find((p) => p.name === 'apiKey');
		expect(base?.default).toBe('https://memos.memtensor.cn/api/openmem/v1');
		expect(key?.typeOptions?.password).toBe(true);
	});

	test.each([
		['mpg-abc', 'Token mpg-abc'],
		['Token mpg-abc', 'Token mpg-abc'],
		['  bearer   mpg-abc ', 'Token mpg-abc'],
		['Token Token mpg-abc', 'Token mpg-abc'],
	])('key %j is sent as %j', async (raw, header) => {
		expect(authorizationHeader(raw)).toBe(header);
		const opts = await new MemOsApi().authenticate({ apiKey: raw }, { url: '/x', headers: { A: 'b' } });
		expect(opts.headers).toEqual({ A: 'b', Authorization: header });
	});

	test('base URL: trailing slash and blanks tolerated', () => {
		expect(normalizeBaseUrl(' http://h:1/api/openmem/v1/ ')).toBe('http://h:1/api/openmem/v1');
		expect(normalizeBaseUrl('')).toBe('https://memos.memtensor.cn/api/openmem/v1');
	});

	test('nodes send the normalised header through httpRequestWithAuthentication', async () => {
		await runNode({
			type: 'memOsAddMessage',
			credentials: { ...fx.creds, apiKey: `Bearer ${fx.server.apiKey}` },
			parameters: { operation: 'getMessages', userId: 'u', conversationId: 'c' },
		});
		expect(fx.recorder.requests[0].authorization).toBe(`Token ${fx.server.apiKey}`);
	});
});

describe('credential test (run in n8n-core CredentialTestContext)', () => {
	test('passes with a good key, also with a pasted prefix', async () => {
		expect(await testCredential(fx.direct)).toEqual({ status: 'OK', message: `Connected to MemOS at ${fx.server.baseUrl}` });
		expect((await testCredential({ ...fx.direct, apiKey: `Token ${fx.server.apiKey}` })).status).toBe('OK');
	});

	test('a wrong key is reported as rejected (40132), the server being reachable', async () => {
		const r = await testCredential({ ...fx.direct, apiKey: 'mpg-wrong' });
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/rejected the API key.*40132.*reachable/);
	});

	test('an unreachable URL is reported as such', async () => {
		const r = await testCredential({ baseUrl: 'http://127.0.0.1:9/api/openmem/v1', apiKey: 'k' });
		expect(r).toEqual({ status: 'Error', message: expect.stringMatching(/^Could not reach MemOS: the connection to .* was refused/) });
		const dns = await testCredential({ baseUrl: 'http://no-such-host.invalid/api', apiKey: 'k' });
		expect(dns.message).toMatch(/Could not reach MemOS: the host of .* was not found/);
	});

	test('a server that is not MemOS (wrong prefix) is told apart from a bad key', async () => {
		fx.recorder.override = () => ({ status: 404, body: '<html>Not Found</html>' });
		const r = await testCredential({ ...fx.creds });
		expect(r.message).toMatch(/is reachable but is not a MemOS API \(HTTP 404/);
	});

	test('an empty key is refused without a request', async () => {
		expect(await testCredential({ ...fx.creds, apiKey: ' ' })).toEqual({ status: 'Error', message: 'The API key is empty.' });
		expect(fx.recorder.requests).toHaveLength(0);
	});
});
