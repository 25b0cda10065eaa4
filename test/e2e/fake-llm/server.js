#!/usr/bin/env node
// A tiny OpenAI-compatible chat server for end-to-end tests (no dependencies).
//   node server.js <port|0> <requests.jsonl>
// Prints "fake-llm listening on http://127.0.0.1:PORT" once ready. Every request body is appended to the
// JSONL file so a test can check what the model was given. Answers are deterministic: "FAKE-REPLY #n ...".
'use strict';
const http = require('node:http');
const fs = require('node:fs');

const port = Number(process.argv[2] || 0);
const logFile = process.argv[3] || 'requests.jsonl';
let count = 0;

function lastUserText(messages) {
  for (let i = (messages || []).length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.filter((c) => c.type === 'text').map((c) => c.text).join(' ');
  }
  return '';
}

function reply(res, body) {
  count += 1;
  const text = `FAKE-REPLY #${count}: you said "${lastUserText(body.messages).slice(0, 80)}"`;
  const id = `chatcmpl-fake-${count}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model || 'fake-gpt';
  const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const frame = (delta, finish) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(frame({ role: 'assistant', content: '' }, null));
    for (const part of text.match(/.{1,16}/g)) res.write(frame({ content: part }, null));
    res.write(frame({}, 'stop'));
    if (body.stream_options && body.stream_options.include_usage)
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    id, object: 'chat.completion', created, model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage,
  }));
}

const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    const path = (req.url || '').split('?')[0];
    let body = {};
    try { body = raw ? JSON.parse(raw) : {}; } catch { body = { raw }; }
    fs.appendFileSync(logFile, JSON.stringify({ at: new Date().toISOString(), method: req.method, path, body }) + '\n');
    if (req.method === 'GET' && path.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-gpt', object: 'model', owned_by: 'test' }] }));
    } else if (req.method === 'POST' && path.endsWith('/chat/completions')) {
      reply(res, body);
    } else if (req.method === 'POST' && path.endsWith('/embeddings')) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: body.model, data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })), usage: { prompt_tokens: 1, total_tokens: 1 } }));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake-llm has no ${req.method} ${path}` } }));
    }
  });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`fake-llm listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
