// Prints the score and the surviving mutants of each mutation group whose report exists (scripts/mutation.sh).
// Only mutants inside the group's current `mutate` ranges count: an incremental report can still hold results for
// code an earlier configuration mutated.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const config = pathToFileURL(path.resolve('stryker.config.mjs')).href;

/** file -> line ranges ([] = the whole file) of the group's mutate patterns. */
async function scopeOf(group) {
  process.env.MUTATION_GROUP = group;
  const { default: options } = await import(`${config}?group=${group}`);
  const scope = new Map();
  for (const pattern of options.mutate) {
    const m = pattern.match(/^(.*?):(\d+)-(\d+)$/);
    const globbed = (m ? m[1] : pattern).replace(/\{([^}]*)\}/, (_, alts) => `(${alts.split(',').join('|')})`);
    const re = new RegExp('^' + globbed.replace(/\./g, '\\.').replace(/\*/g, '[^/]*') + '$');
    scope.set(re, [...(scope.get(re) ?? []), ...(m ? [[Number(m[2]), Number(m[3])]] : [])]);
  }
  return (file, line) => [...scope].some(([re, ranges]) => re.test(file) && (ranges.length === 0 || ranges.some(([a, b]) => line >= a && line <= b)));
}

const total = { detected: 0, undetected: 0 };
for (const group of process.argv.slice(2)) {
  const file = path.join('reports', 'mutation', `${group}.json`);
  if (!fs.existsSync(file)) continue;
  const inScope = await scopeOf(group);
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts = {};
  const survivors = [];
  for (const [name, f] of Object.entries(report.files)) {
    const lines = f.source.split('\n');
    for (const m of f.mutants) {
      const at = m.location.start;
      if (!inScope(name, at.line)) continue;
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (UNDETECTED.has(m.status))
        survivors.push(
          `  ${name}:${at.line} ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${lines[at.line - 1].trim().slice(0, 100)}  =>  ${String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 70)}`,
        );
    }
  }
  const detected = [...DETECTED].reduce((n, s) => n + (counts[s] ?? 0), 0);
  const undetected = [...UNDETECTED].reduce((n, s) => n + (counts[s] ?? 0), 0);
  total.detected += detected;
  total.undetected += undetected;
  const score = detected + undetected ? ((100 * detected) / (detected + undetected)).toFixed(1) : 'n/a';
  console.log(`${group}: ${score}% (${detected} of ${detected + undetected} detected; ${JSON.stringify(counts)})`);
  for (const s of survivors) console.log(s);
}
if (total.detected + total.undetected)
  console.log(`all groups: ${((100 * total.detected) / (total.detected + total.undetected)).toFixed(1)}% (${total.detected} of ${total.detected + total.undetected})`);
