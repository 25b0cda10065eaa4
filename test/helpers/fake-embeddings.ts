/**
 * A small OpenAI-compatible embeddings server for tests (node:http). Its vectors are deterministic and carry a
 * little meaning: words of one concept ("fruit", "durian", "mango") share a dimension, every other word hashes to
 * its own, so "which tropical fruit do I like?" is close to "I adore durian" although they share no word.
 * It records every request and can be told to fail (HTTP 500) until told otherwise.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const CONCEPTS: string[][] = [
  ['fruit', 'fruits', 'tropical', 'durian', 'mango', 'mangosteen', 'apple', 'papaya'],
  ['music', 'instrument', 'instruments', 'clarinet', 'violin', 'guitar', 'piano'],
  // "floofball": a word of the concept no lexicon knows, for a question only the vectors can answer.
  ['pet', 'pets', 'dog', 'puppy', 'cat', 'kitten', 'hamster', 'rodent', 'floofball'],
];
const DIM = 64;

export function fakeVector(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    const c = CONCEPTS.findIndex((g) => g.includes(word));
    if (c >= 0) v[c] += 3;
    else {
      let h = 0;
      for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
      v[CONCEPTS.length + (h % (DIM - CONCEPTS.length))] += 1;
    }
  }
  if (!v.some((x) => x !== 0)) v[DIM - 1] = 1;
  return v;
}

export interface FakeEmbeddings {
  baseUrl: string;
  /** The inputs of every request, in arrival order. */
  requests: string[][];
  /** The inputs of the requests that were answered with a failure. */
  failed: string[][];
  failAlways(on: boolean): void;
  close(): Promise<void>;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const requests: string[][] = [];
  const failed: string[][] = [];
  let failing = false;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/embeddings')) {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string | string[] };
      const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
      requests.push(input);
      if (failing) {
        failed.push(input);
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'embedding backend down' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model: parsed.model,
          data: input.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t) })),
          usage: { prompt_tokens: input.length, total_tokens: input.length },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    failed,
    failAlways: (on) => {
      failing = on;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
