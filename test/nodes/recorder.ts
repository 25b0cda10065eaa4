/**
 * A pass-through HTTP proxy in front of memos-lite that records every request the nodes send, so tests can
 * assert the exact body a parameter produced. It forwards everything unchanged; `override` lets a test stand
 * in for a server that is not MemOS at all (a wrong base URL).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
	path: string;
	authorization?: string;
	body: any;
}

export interface Recorder {
	/** Same API prefix as the target, on the proxy's port. */
	baseUrl: string;
	requests: Recorded[];
	/** Bodies sent to one endpoint (path after the API prefix, e.g. '/add/message'). */
	bodies(endpoint: string): any[];
	reset(): void;
	override?: (endpoint: string) => { status: number; body: string; type?: string } | undefined;
	close(): Promise<void>;
}

export async function startRecorder(targetBaseUrl: string): Promise<Recorder> {
	const target = new URL(targetBaseUrl);
	const prefix = target.pathname.replace(/\/$/, '');
	const requests: Recorded[] = [];
	const recorder = {} as Recorder;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			let body: unknown = raw.toString('utf8');
			try {
				body = JSON.parse(body as string);
			} catch {
				// keep text
			}
			const endpoint = (req.url ?? '').replace(prefix, '');
			requests.push({ path: endpoint, authorization: req.headers.authorization, body });
			const canned = recorder.override?.(endpoint);
			if (canned) {
				res.writeHead(canned.status, { 'content-type': canned.type ?? 'text/html' });
				res.end(canned.body);
				return;
			}
			const upstream = http.request(
				{
					host: target.hostname,
					port: target.port,
					path: req.url,
					method: req.method,
					headers: { ...req.headers, host: target.host, 'content-length': String(raw.length) },
				},
				(up) => {
					res.writeHead(up.statusCode ?? 502, up.headers);
					up.pipe(res);
				},
			);
			upstream.on('error', (e) => {
				res.writeHead(502);
				res.end(String(e));
			});
			upstream.end(raw);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	Object.assign(recorder, {
		baseUrl: `http://127.0.0.1:${port}${prefix}`,
		requests,
		bodies: (endpoint: string) => requests.filter((r) => r.path === endpoint).map((r) => r.body),
		reset: () => requests.splice(0),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	});
	return recorder;
}
