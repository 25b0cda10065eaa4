/**
 * Talking to a memos-lite from a test: the API client and task polling. Servers come from test/helpers/server.ts
 * (`useServer()`); `startMemosLite` is its spawned tier (the built CLI, as users run it) under the older name.
 */
import path from 'node:path';

import { startSpawned, type ServerOptions, type SpawnedTestServer } from './server';

export const REPO = path.resolve(__dirname, '../..');

export type MemosLite = SpawnedTestServer;
export type StartOptions = Omit<ServerOptions, 'spawn'>;

/** The built CLI in its own process (restart and kill -9 tests, the `keys` command). */
export const startMemosLite = (opts: StartOptions = {}): Promise<MemosLite> => startSpawned(opts);

/** POST to the API with the key; returns the parsed JSON body and the HTTP status. */
export function client(server: Pick<MemosLite, 'baseUrl' | 'apiKey'>) {
  return async function call(pathName: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(server.baseUrl + pathName, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep the text: the assertion will show it */
    }
    return { status: res.status, body: parsed };
  };
}

/** Polls /get/status until the task leaves `running`. */
export async function waitForTask(call: ReturnType<typeof client>, taskId: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('/get/status', { task_id: taskId });
    const status = r.body?.data?.status;
    if (status && status !== 'running') return status;
    if (Date.now() > end) throw new Error(`task ${taskId} still ${status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
