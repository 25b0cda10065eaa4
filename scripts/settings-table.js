#!/usr/bin/env node
// Prints the README's settings table from server/src/config.ts (via the build), so docs follow the code.
const { SETTINGS } = require('../server/dist/config.js');
const kebab = (s) => s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const def = (v) => (v === undefined ? '(none)' : String(v).replace(require('os').homedir(), '~'));
console.log('| environment | flag | default | what it does |\n|---|---|---|---|');
for (const [name, s] of Object.entries(SETTINGS)) console.log(`| \`${s.env}\` | \`--${kebab(name)}\` | \`${def(s.default)}\` | ${s.help} |`);
