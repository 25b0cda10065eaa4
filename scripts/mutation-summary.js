// Prints the score and the surviving mutants of the mutation groups whose reports exist (scripts/mutation.sh).
const fs = require('node:fs');
const path = require('node:path');

const groups = process.argv.slice(2);
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const total = { detected: 0, undetected: 0 };
for (const g of groups) {
  const file = path.join('reports', 'mutation', `${g}.json`);
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts = {};
  const survivors = [];
  for (const [name, f] of Object.entries(report.files)) {
    const lines = f.source.split('\n');
    for (const m of f.mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (UNDETECTED.has(m.status)) {
        const at = m.location.start;
        const original = lines[at.line - 1].trim().slice(0, 110);
        survivors.push(`  ${name}:${at.line} ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${original}  =>  ${String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}`);
      }
    }
  }
  const detected = [...DETECTED].reduce((n, s) => n + (counts[s] ?? 0), 0);
  const undetected = [...UNDETECTED].reduce((n, s) => n + (counts[s] ?? 0), 0);
  total.detected += detected;
  total.undetected += undetected;
  const score = detected + undetected ? ((100 * detected) / (detected + undetected)).toFixed(1) : 'n/a';
  console.log(`${g}: score ${score}% (${detected} detected of ${detected + undetected}; ${JSON.stringify(counts)})`);
  for (const s of survivors) console.log(s);
}
if (total.detected + total.undetected)
  console.log(`all: score ${((100 * total.detected) / (total.detected + total.undetected)).toFixed(1)}% (${total.detected} of ${total.detected + total.undetected})`);
