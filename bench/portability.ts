/**
 * Export, import and erase speed with the memos-lite CLI on a SQLite data directory:
 *
 *   npm run bench:portability [-- --memories 10000 --others 10000 --messages 20000]
 *
 * A deterministic export file is generated (`--memories` memories of the user to erase, `--others` memories of
 * 20 other users, `--messages` raw messages), imported into a fresh data directory (rows/s), exported again
 * (rows/s), and the user is erased (the CLI's own timing: the delete transaction plus the purge: FTS optimize,
 * VACUUM, checkpoint). Finally the other users are counted, which must be unchanged.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../server/bin/memos-lite.js');

function args() {
  const a = process.argv.slice(2);
  const get = (name: string, def: number) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? Number(a[i + 1]) : def;
  };
  return { memories: get('memories', 10_000), others: get('others', 10_000), messages: get('messages', 20_000) };
}

const WORDS = 'tea coffee corgi parrot Shanghai Lisbon budget size order refund mango durian allergy peanut hiking violin meeting invoice'.split(' ');
const sentence = (i: number) => Array.from({ length: 14 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ') + ` number ${i}`;

function generate(file: string, o: ReturnType<typeof args>) {
  const project = { id: 'proj-bench', name: 'default', create_time: 1_700_000_000_000 };
  const counts = { projects: 1, memories: o.memories + o.others, messages: o.messages };
  const out = fs.openSync(file, 'w');
  const put = (x: unknown) => fs.writeSync(out, JSON.stringify(x) + '\n');
  put({ type: 'header', format: 'memos-lite-export', format_version: 1, server_version: 'bench', created_time: Date.now(), project: { id: project.id, name: project.name }, user_id: null, with_vectors: false, counts });
  put({ type: 'row', table: 'projects', row: project });
  for (let i = 0; i < o.memories + o.others; i++) {
    const user = i < o.memories ? 'erase-me' : `user-${i % 20}`;
    const text = sentence(i);
    const t = project.create_time + i * 1000;
    put({
      type: 'row',
      table: 'memories',
      row: {
        id: `mem-${i}`, project_id: project.id, scope: 'user', user_id: user, knowledgebase_id: null, kind: 'fact', subtype: 'LongTermMemory', key: text.slice(0, 30),
        value: `The user said: ${text}.`, data: null, search_text: text, tags: ['mode:fine'], info: {}, agent_id: null, app_id: null, conversation_id: `c${i % 50}`,
        status: i % 5 === 0 ? 'archived' : 'activated', confidence: 0.99, priority: 0, event_time: t, create_time: t, update_time: t, state_key: null, superseded_by: null,
        sources: [{ role: 'user', content: text }], task_id: null,
      },
    });
  }
  for (let i = 0; i < o.messages; i++) {
    const text = sentence(i + 1_000_000);
    const t = project.create_time + i * 1000;
    put({
      type: 'row',
      table: 'messages',
      row: { project_id: project.id, user_id: i % 2 ? 'erase-me' : `user-${i % 20}`, conversation_id: `c${i % 50}`, role: 'user', content: text, raw: { role: 'user', content: text }, chat_time: null, event_time: t, create_time: t, agent_id: null, app_id: null, task_id: null },
    });
  }
  put({ type: 'end', counts });
  fs.closeSync(out);
  return counts.projects + counts.memories + counts.messages;
}

const timed = (fn: () => string) => {
  const t = process.hrtime.bigint();
  const out = fn();
  return { out, s: Number(process.hrtime.bigint() - t) / 1e9 };
};
/** Preloaded into each CLI process: prints its peak resident memory when it exits. */
let rssHook = '';
const cli = (...a: string[]) => execFileSync(process.execPath, ['--require', rssHook, BIN, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const peakMb = (out: string) => Math.round(Number(out.match(/peak-rss-kb=(\d+)/)![1]) / 1024);

function main() {
  const o = args();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-bench-portability-'));
  rssHook = path.join(tmp, 'rss.js');
  fs.writeFileSync(rssHook, "process.on('exit', () => process.stdout.write('peak-rss-kb=' + process.resourceUsage().maxRSS + '\\n'));\n");
  try {
    const file = path.join(tmp, 'in.jsonl');
    const rows = generate(file, o);
    const dir = path.join(tmp, 'data');
    const imp = timed(() => cli('import', file, '--data-dir', dir));
    const exp = timed(() => cli('export', '--data-dir', dir, '--out', path.join(tmp, 'out.jsonl')));
    const mb = fs.statSync(file).size / 1e6;
    const before = cli('export', '--data-dir', dir, '--user', 'user-3', '--out', path.join(tmp, 'u3-before.jsonl'));
    const erase = cli('erase', '--user', 'erase-me', '--data-dir', dir);
    const eraseMs = Number(erase.match(/in (\d+) ms/)![1]);
    cli('export', '--data-dir', dir, '--user', 'user-3', '--out', path.join(tmp, 'u3-after.jsonl'));
    const head = (f: string) => JSON.stringify(JSON.parse(fs.readFileSync(path.join(tmp, f), 'utf8').split('\n')[0]).counts);
    const untouched = head('u3-before.jsonl') === head('u3-after.jsonl');
    void before;
    console.log(`rows in the file: ${rows} (${mb.toFixed(1)} MB): ${o.memories} memories of the erased user, ${o.others} of 20 others, ${o.messages} messages`);
    console.log(`import  ${imp.s.toFixed(2)} s  ${Math.round(rows / imp.s)} rows/s  ${(mb / imp.s).toFixed(1)} MB/s (process start included), peak RSS ${peakMb(imp.out)} MB`);
    console.log(`export  ${exp.s.toFixed(2)} s  ${Math.round(rows / exp.s)} rows/s  ${(mb / exp.s).toFixed(1)} MB/s (process start included), peak RSS ${peakMb(exp.out)} MB`);
    console.log(`erase   ${eraseMs} ms  (${erase.trim()})`);
    console.log(`other users unchanged: ${untouched}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
