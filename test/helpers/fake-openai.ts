/**
 * A small OpenAI-compatible chat-completions server for tests (node:http, no dependencies). It records every
 * request body, answers stream and non-stream calls, and can be told to fail in the ways real endpoints do:
 * HTTP 429 or 500, a timeout (no answer at all), a body that is not JSON, or a stream cut off halfway.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FailureMode = '429' | '500' | 'timeout' | 'bad-json' | 'cut-stream';

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  [key: string]: unknown;
}

export interface FakeOpenAI {
  /** What to set MEMOS_LLM_BASE_URL to. */
  baseUrl: string;
  /** Every chat-completions request body, in arrival order. */
  requests: ChatBody[];
  /** Requests whose system prompt starts like the chat prompt (not extraction or feedback analysis). */
  chatRequests(): ChatBody[];
  /** The next `times` requests (that `match`, default any) fail this way; then normal service resumes. */
  failNext(mode: FailureMode, times?: number, match?: (body: ChatBody) => boolean): void;
  /** Fail every request this way until cleared with undefined. */
  failAlways(mode: FailureMode | undefined): void;
  /** Replace the answer logic (default: `answer`). */
  respondWith(fn: (body: ChatBody) => string): void;
  close(): Promise<void>;
}

/** Default answer: names the model and quotes the question, so tests can recognise it. */
export const answer = (body: ChatBody): string => {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  return `MODEL ANSWER (${body.model}): about "${String(last?.content ?? '').slice(0, 60)}".`;
};

/** Extraction and feedback analysis prompts start with "You extract" / "You analyse"; everything else is chat. */
export const isChatPrompt = (body: ChatBody) => !/^You (extract|analyse)/.test(body.messages[0]?.content ?? '');

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: ChatBody[] = [];
  const queue: Array<{ mode: FailureMode; match: (body: ChatBody) => boolean }> = [];
  let always: FailureMode | undefined;
  let respond = answer;
  const sockets = new Set<Socket>();
  let counter = 0;

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const body = JSON.parse(raw) as ChatBody;
      requests.push(body);
      const queued = queue.findIndex((q) => q.match(body));
      const failure = queued >= 0 ? queue.splice(queued, 1)[0].mode : always;
      const id = `chatcmpl-fake-${++counter}`;
      if (failure === '429') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' } }));
        return;
      }
      if (failure === '500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }));
        return;
      }
      // Never answers; the socket is destroyed by close().
      if (failure === 'timeout') return;
      const text = respond(body);
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const frame = (delta: Record<string, unknown>, finish: string | null) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        if (failure === 'bad-json') {
          res.end('data: {"choices": [{"delta": {"content": "broken\n\n');
          return;
        }
        res.write(frame({ role: 'assistant', content: '' }, null));
        const pieces = text.match(/[\s\S]{1,12}/g) ?? [];
        if (failure === 'cut-stream') {
          // Half an answer, then the connection drops.
          for (const p of pieces.slice(0, Math.max(1, pieces.length >> 1))) res.write(frame({ content: p }, null));
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        }
        let i = 0;
        // Paced, so a test can see the frames arrive one after another rather than in one write.
        const tick = () => {
          if (i < pieces.length) {
            res.write(frame({ content: pieces[i++] }, null));
            setTimeout(tick, 2);
            return;
          }
          res.write(frame({}, 'stop'));
          res.end('data: [DONE]\n\n');
        };
        tick();
        return;
      }
      if (failure === 'bad-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "x", "choices": [ {"message": ');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 0,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter(isChatPrompt),
    failNext(mode, times = 1, match = () => true) {
      for (let i = 0; i < times; i++) queue.push({ mode, match });
    },
    failAlways(mode) {
      always = mode;
    },
    respondWith(fn) {
      respond = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
