#!/usr/bin/env node
// Evaluates a JavaScript expression against a JSON file: exits 0 when it is truthy, 1 (with the value) otherwise.
//   node expect.js <file.json|file.jsonl> '<expression using j>'
// For .jsonl files `j` is the array of parsed lines. `text(x)` flattens any value to a string for substring checks.
'use strict';
const fs = require('node:fs');

const [file, expression] = process.argv.slice(2);
let j;
try {
  const raw = fs.readFileSync(file, 'utf8');
  j = file.endsWith('.jsonl')
    ? raw.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
    : JSON.parse(raw);
} catch (error) {
  console.error(`cannot read ${file}: ${error.message}`);
  process.exit(1);
}
const text = (x) => (typeof x === 'string' ? x : JSON.stringify(x));
let value;
try {
  value = new Function('j', 'text', `return (${expression});`)(j, text);
} catch (error) {
  console.error(`expression failed: ${error.message}`);
  value = undefined;
}
if (value) process.exit(0);
console.error(`expected: ${expression}\n   in: ${text(j).slice(0, 1500)}`);
process.exit(1);
