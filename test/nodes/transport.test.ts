import { runNode } from './harness';
import { useMemos } from './setup';

// memos-lite in 'mapped' mode answers business errors with 401/400/... plus the envelope: the nodes must still
// report the MemOS code, since success is decided by `code == 0` only.
const mapped = useMemos({ env: { MEMOS_HTTP_ERROR_STATUS: 'mapped' } });

describe('transport', () => {
	test('an HTTP 401 with the envelope still surfaces the MemOS code', async () => {
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: { ...mapped.creds, apiKey: 'mpg-wrong' },
			parameters: { operation: 'search', query: 'x', userId: 'u' },
		});
		expect(r.error?.name).toBe('NodeApiError');
		expect(r.error?.message).toMatch(/^MemOS error 40132/);
		expect(r.error?.description).toMatch(/unknown, revoked or expired/);
		expect((r.error as unknown as { httpCode: string }).httpCode).toBe('40132');
	});

	test('an HTTP 4xx validation error is reported with its code', async () => {
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: mapped.creds,
			parameters: { operation: 'search', query: 'x', userId: 'u'.repeat(101) },
		});
		expect(r.error?.message).toMatch(/^MemOS error 40010/);
	});

	test('a server that is not MemOS gives a hint about the base URL', async () => {
		mapped.recorder.override = () => ({ status: 200, body: '<html>hello</html>' });
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: mapped.creds,
			parameters: { operation: 'search', query: 'x', userId: 'u' },
		});
		expect(r.error?.message).toBe('Unexpected answer from /search/memory: not a MemOS response');
		expect(r.error?.description).toMatch(/\/api\/openmem\/v1/);
		mapped.recorder.override = () => ({ status: 404, body: 'Cannot POST' });
		const notFound = await runNode({
			type: 'memOsSearchMemory',
			credentials: mapped.creds,
			parameters: { operation: 'search', query: 'x', userId: 'u' },
		});
		expect(notFound.error?.message).toBe('The server has no endpoint /search/memory (HTTP 404)');
	});

	test('an unreachable server is named in plain words', async () => {
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: { baseUrl: 'http://127.0.0.1:9/api/openmem/v1', apiKey: 'k' },
			parameters: { operation: 'search', query: 'x', userId: 'u' },
		});
		expect(r.error?.message).toMatch(/^Could not reach MemOS: the connection to http:\/\/127\.0\.0\.1:9\/api\/openmem\/v1 was refused/);
	});
});
