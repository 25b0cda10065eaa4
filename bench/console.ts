/**
 * The console with many users: the users list (first page, a page deep into the list, a substring search, one
 * user's detail) and the console page load in Chromium, on a project with 1,000 users and on one with 100,000
 * users, side by side in one run, so the ratio says whether the list stays fast as the project grows.
 *
 *   npm run bench:console [-- --users 100000 --runs 30]
 *
 * Data is written straight into the SQLite file (five memories per user, one of them archived, and one
 * message), which is what the list reads; writing 500k memories through the API would take an hour and
 * measure the write path instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO, freshDataDir, spawnServer, type SpawnedServer } from './lib/server';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const USERS = arg('users', 100_000);
const SMALL = 1_000;
const RUNS = arg('runs', 30);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require(path.join(REPO, 'server/dist/store/sqlite/driver')).default;

const uid = (i: number) => `user-${String(i).padStart(6, '0')}`;

function seed(dataDir: string, users: number) {
  const db = new Database(path.join(dataDir, 'memos.db'));
  const project = db.prepare('SELECT id FROM projects ORDER BY create_time LIMIT 1').get().id as string;
  const mem = db.prepare(`INSERT INTO memories(id, project_id, scope, user_id, kind, subtype, key, value, search_text, conversation_id, status, confidence, event_time, create_time, update_time, superseded_by)
    VALUES (?, ?, 'user', ?, ?, ?, ?, ?, '', 'c1', ?, 0.99, ?, ?, ?, ?)`);
  const msg = db.prepare(`INSERT INTO messages(project_id, user_id, conversation_id, role, content, raw, event_time, create_time) VALUES (?, ?, 'c1', 'user', ?, '{}', ?, ?)`);
  const t0 = Date.now() - 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < users; i++) {
      const u = uid(i);
      const t = t0 + i;
      mem.run(`${u}-old`, project, u, 'fact', 'UserMemory', 'Residence', 'The user lives in Beijing.', 'archived', t, t, t, `${u}-now`);
      mem.run(`${u}-now`, project, u, 'fact', 'UserMemory', 'Residence', 'The user lives in Shanghai.', 'activated', t, t, t, null);
      mem.run(`${u}-w1`, project, u, 'fact', 'WorkingMemory', 'turn', 'I moved to Shanghai.', 'activated', t, t, t, null);
      mem.run(`${u}-p1`, project, u, 'preference', 'explicit_preference', 'food', 'The user likes tea.', 'activated', t, t, t, null);
      mem.run(`${u}-t1`, project, u, 'tool', 'ToolTrajectoryMemory', 'weather', 'get_weather for Shanghai.', 'activated', t, t, t, null);
      msg.run(project, u, 'I moved to Shanghai.', t, t);
    }
  })();
  db.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function timed(server: SpawnedServer, route: string, body: unknown): Promise<{ median: number; p95: number }> {
  const once = async () => {
    const t = performance.now();
    const res = await fetch(`${server.origin}/api/console${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Token ${server.apiKey}` },
      body: JSON.stringify(body),
    });
    const j = (await res.json()) as { code: number };
    if (j.code !== 0) throw new Error(`${route}: ${JSON.stringify(j)}`);
    return performance.now() - t;
  };
  await once();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) xs.push(await once());
  return { median: Math.round(median(xs) * 10) / 10, p95: Math.round(p95(xs) * 10) / 10 };
}

async function browserLoad(server: SpawnedServer): Promise<{ median: number; p95: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/console`);
    await page.fill('#key', server.apiKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('table.users tbody tr');
    const xs: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 15); i++) {
      const t = Date.now();
      await page.goto(`${server.origin}/console?run=${i}#/users`);
      await page.waitForSelector('table.users tbody tr >> nth=49');
      xs.push(Date.now() - t);
    }
    return { median: median(xs), p95: p95(xs) };
  } finally {
    await browser.close();
  }
}

async function measure(users: number) {
  const dataDir = freshDataDir();
  // The server creates the schema and the project; the data goes in while it is stopped.
  const first = await spawnServer({ dataDir });
  await first.stop();
  const t = Date.now();
  seed(dataDir, users);
  const seedS = (Date.now() - t) / 1000;
  const server = await spawnServer({ dataDir, apiKey: first.apiKey, stopOnSignals: true });
  try {
    return {
      users,
      memories: users * 5,
      seed_s: seedS,
      first_page_ms: await timed(server, '/users', { size: 50 }),
      deep_page_ms: await timed(server, '/users', { size: 50, after: uid(Math.floor(users * 0.9)) }),
      search_ms: await timed(server, '/users', { size: 50, search: String(Math.floor(users * 0.7)).padStart(6, '0').slice(0, 5) }),
      user_detail_ms: await timed(server, '/user', { user_id: uid(Math.floor(users / 2)) }),
      memories_page_ms: await timed(server, '/memories', { user_id: uid(Math.floor(users / 2)) }),
      browser_users_page_load_ms: await browserLoad(server),
    };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const small = await measure(SMALL);
  const large = await measure(USERS);
  const ratio = (k: 'first_page_ms' | 'deep_page_ms' | 'search_ms' | 'user_detail_ms' | 'browser_users_page_load_ms') =>
    Math.round((large[k].median / small[k].median) * 100) / 100;
  console.log(
    JSON.stringify(
      {
        runs: RUNS,
        small,
        large,
        ratio_large_to_small: {
          first_page: ratio('first_page_ms'),
          deep_page: ratio('deep_page_ms'),
          search: ratio('search_ms'),
          user_detail: ratio('user_detail_ms'),
          browser_users_page_load: ratio('browser_users_page_load_ms'),
        },
      },
      null,
      2,
    ),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
