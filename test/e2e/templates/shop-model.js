#!/usr/bin/env node
// A deterministic stand-in for "your own model" in the template end-to-end test (OpenAI-compatible, no deps).
//   node shop-model.js <port|0> <requests.jsonl>      prints "shop-model listening on http://127.0.0.1:PORT"
//
// It reads only what memos-lite put into the prompt, the way an instruction-following model would:
//   - constraints from the recalled facts and preferences: things to avoid ("will not eat chicken",
//     "avoid polyester"), a size ("size M"), a budget ("under $30");
//   - catalogue entries from the knowledge-base passages (a passage with a price);
//   - corrections among the passages ("..., not 800").
// Then it recommends the catalogue entries that break no constraint, or, for other questions, quotes the passage
// that best matches the question, a correction first. So an answer can only respect a constraint or a
// correction if memos-lite recalled it into the prompt: that is what the test checks. It is not a claim about
// what any real model answers. Every request is appended to the JSONL file.
'use strict';
const http = require('node:http');
const fs = require('node:fs');

const port = Number(process.argv[2] || 0);
const logFile = process.argv[3] || 'shop-model-requests.jsonl';

const text = (c) => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p.text || '').join(' ') : '');

/** "## Facts" / "## Preferences" / "## Knowledge base" lines of the memory block. */
function sections(system) {
  const out = { facts: [], preferences: [], knowledge: [] };
  let current = null;
  for (const line of system.split('\n')) {
    if (/^## Facts/.test(line)) current = 'facts';
    else if (/^## Preferences/.test(line)) current = 'preferences';
    else if (/^## Knowledge base/.test(line)) current = 'knowledge';
    else if (/^#/.test(line)) current = null;
    else if (current && line.startsWith('-')) out[current].push(line.replace(/^-\s*/, ''));
  }
  return out;
}

function constraints(lines) {
  const avoid = new Set();
  let size;
  let budget;
  for (const raw of lines) {
    const l = raw.replace(/^\[[^\]]*\]\s*/, '').replace(/^\[[^\]]*\]\s*/, '');
    const low = l.toLowerCase();
    for (const re of [
      /(?:won'?t|will not|cannot|can'?t|does ?n[o']t|do ?n[o']t) (?:eat|wear|use|like) ([a-z]+)/g,
      /\b(?:avoid|avoids|no|without|allergic to) ([a-z]+)/g,
      /\b([a-z]+) irritates/g,
    ])
      for (const m of low.matchAll(re)) if (m[1].length > 2 && !['the', 'more', 'longer', 'this', 'that'].includes(m[1])) avoid.add(m[1]);
    const s = l.match(/\bsize ([A-Z]{1,3})\b/);
    if (s) size = s[1];
    const b = low.match(/(?:under|below|less than|at most|max(?:imum)?)\s*\$\s?(\d+)/);
    if (b) budget = Number(b[1]);
  }
  return { avoid: [...avoid], size, budget };
}

/** "[file > section > Product] text" → { name, text, price }. */
function products(knowledge) {
  return knowledge
    .map((l) => {
      const m = l.match(/^\[([^\]]*)\]\s*(.*)$/);
      if (!m) return null;
      const name = m[1].split(' > ').pop();
      const price = m[2].match(/\$\s?(\d+)|(\d+) yuan/);
      return price ? { name, text: m[2], price: Number(price[1] || price[2]) } : null;
    })
    .filter(Boolean);
}

function answer(messages) {
  const system = text((messages.find((m) => m.role === 'system') || {}).content);
  const question = text([...messages].reverse().find((m) => m.role === 'user')?.content);
  const s = sections(system);
  const c = constraints([...s.facts, ...s.preferences]);
  const items = products(s.knowledge);
  if (items.length && /recommend|suggest|switch|what (?:should|would|can)|looking for|need/i.test(question)) {
    const fits = items.filter((p) => {
      const low = (p.name + ' ' + p.text).toLowerCase();
      if (c.avoid.some((w) => new RegExp(`\\b${w}`).test(low))) return false;
      if (c.budget !== undefined && p.text.includes('$') && p.price > c.budget) return false;
      if (c.size && /Sizes?:/.test(p.text) && !new RegExp(`Sizes?:[^.]*\\b${c.size}\\b`).test(p.text)) return false;
      return true;
    });
    if (!fits.length) return 'I could not find a product that fits everything you told me.';
    // Among the products that fit, the one closest to what was asked (a reminder in parentheses is not the ask).
    const asked = new Set(question.replace(/\([^)]*\)/g, ' ').toLowerCase().match(/[a-z]{3,}/g) || []);
    const overlap = (p) => ((p.name + ' ' + p.text).toLowerCase().match(/[a-z]{3,}/g) || []).filter((w) => asked.has(w)).length;
    fits.sort((a, b) => overlap(b) - overlap(a));
    const why = [c.size && `in your size ${c.size}`, c.budget !== undefined && `within your budget of $${c.budget}`].filter(Boolean).join(', ');
    return `I recommend the ${fits[0].name}${why ? ` (${why})` : ''}: ${fits[0].text}`;
  }
  const words = new Set(question.toLowerCase().match(/[a-z0-9]+/g) || []);
  const score = (l) => (l.toLowerCase().match(/[a-z0-9]+/g) || []).filter((w) => words.has(w)).length + (/,?\s+not\s+\$?\d/.test(l) ? 100 : 0);
  const best = [...s.knowledge].sort((a, b) => score(b) - score(a))[0];
  if (best) return `According to the knowledge base: ${best.replace(/^\[[^\]]*\]\s*/, '')}`;
  return 'I do not know that yet.';
}

const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    const path = (req.url || '').split('?')[0];
    let body = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      body = {};
    }
    fs.appendFileSync(logFile, JSON.stringify({ at: new Date().toISOString(), path, body }) + '\n');
    if (req.method === 'GET' && path.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ object: 'list', data: [{ id: 'shop-model', object: 'model' }] }));
    }
    if (!path.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'not found' } }));
    }
    const content = answer(body.messages || []);
    const base = { id: 'chatcmpl-shop', created: Math.floor(Date.now() / 1000), model: body.model || 'shop-model' };
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      return res.end('data: [DONE]\n\n');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  });
});
server.listen(port, '127.0.0.1', () => console.log(`shop-model listening on http://127.0.0.1:${server.address().port}`));
