/**
 * Per-file fixture: a real memos-lite (test/helpers/server.ts, in this process unless MEMOS_TEST_SPAWN=1) behind
 * a recording proxy, and credentials pointing at the proxy so every test can check the exact request a node sent.
 */
import fs from 'node:fs';
import path from 'node:path';

import { useServer, type ServerOptions, type TestServer } from '../helpers/server';
import type { MemosCredentials } from './harness';
import { startRecorder, type Recorder } from './recorder';

export interface MemosFixture {
	server: TestServer;
	recorder: Recorder;
	creds: MemosCredentials;
	/** Credentials straight to memos-lite, bypassing the recorder. */
	direct: MemosCredentials;
}

export function useMemos(opts: ServerOptions = {}): MemosFixture {
	const fx = { server: useServer(opts) } as MemosFixture;
	beforeAll(async () => {
		fx.recorder = await startRecorder(fx.server.baseUrl);
		fx.creds = { baseUrl: fx.recorder.baseUrl, apiKey: fx.server.apiKey };
		fx.direct = { baseUrl: fx.server.baseUrl, apiKey: fx.server.apiKey };
	});
	beforeEach(() => {
		fx.recorder?.reset();
		if (fx.recorder) fx.recorder.override = undefined;
	});
	afterAll(async () => {
		await fx.recorder?.close();
	});
	return fx;
}

/**
 * Some endpoints reached memos-lite later than others. A test that needs one is skipped (not silently passed)
 * while the server has no route for it; the check reads the server's route table.
 */
export function serverHasEndpoint(endpoint: string): boolean {
	const dir = path.resolve(__dirname, '../../server/src/http/routes');
	if (!fs.existsSync(dir)) return false;
	return fs
		.readdirSync(dir)
		.some((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(`'${endpoint}'`));
}

export const uid = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
