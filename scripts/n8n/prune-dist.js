#!/usr/bin/env node
// `n8n-node build` copies every *.png/*.svg of the repository into dist/, including docs screenshots and
// anything under server/node_modules. Only nodes/, credentials/ and icons/ belong in the published pack.
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', '..', 'dist');
const keep = new Set(['nodes', 'credentials', 'icons', 'package.json']);
for (const entry of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
	if (!keep.has(entry)) fs.rmSync(path.join(dist, entry), { recursive: true, force: true });
}
