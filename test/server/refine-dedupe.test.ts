/**
 * Refinement drops what the user already has by looking the new memories' value signatures up in an index
 * (store/signature.ts) rather than reading the user's memories: the same statement twice gives one refined
 * memory, per user, whatever the case and punctuation; rows written before signatures existed still count.
 */
import path from 'node:path';
import pg from 'pg';

import Database from '../../server/src/store/sqlite/driver';
import { valueSignature } from '../../server/src/store/signature';
import { client, waitForTask } from '../helpers/memos-lite';
import { useServer } from '../helpers/server';

const server = useServer();
const call = client(server);
const sqlite = process.env.MEMOS_TEST_BACKEND !== 'postgres';

async function say(user: string, conversation: string, content: string) {
  const r = await call('/add/message', { user_id: user, conversation_id: conversation, messages: [{ role: 'user', content }] });
  expect(r.body.code).toBe(0);
  expect(await waitForTask(call, r.body.data.task_id)).toBe('completed');
}

/** The user's refined (not transcript) memories, as /get/memory lists them (a search would merge equal texts). */
async function refined(user: string): Promise<string[]> {
  const r = await call('/get/memory', { user_id: user, size: 100 });
  expect(r.body.code).toBe(0);
  return r.body.data.memory_detail_list.filter((m: { tags: string[] }) => !m.tags.includes('mode:fast')).map((m: { memory_value: string }) => m.memory_value);
}

test('the normalised signature ignores case, spacing and punctuation, not the kind', () => {
  expect(valueSignature('fact', 'The user is allergic to nuts.')).toBe(valueSignature('fact', 'the user is  allergic to nuts'));
  expect(valueSignature('fact', 'The user is allergic to nuts.')).not.toBe(valueSignature('preference', 'The user is allergic to nuts.'));
  expect(valueSignature('fact', 'The user is allergic to nuts.')).not.toBe(valueSignature('fact', 'The user is allergic to eggs.'));
});

// Statements without a state (a state's new version supersedes the old one anyway: that is not de-duplication).
test('the same statement twice gives one refined memory', async () => {
  await say('ada', 'c1', 'I started taekwondo classes this spring.');
  await say('ada', 'c2', 'I started Taekwondo classes this spring!');
  const got = (await refined('ada')).filter((v) => /started taekwondo classes/i.test(v));
  expect(got).toHaveLength(1);
});

test("another user's identical statement is theirs: the lookup is per user", async () => {
  await say('bob', 'c1', 'I started taekwondo classes this spring.');
  expect((await refined('bob')).filter((v) => /started taekwondo classes/i.test(v))).toHaveLength(1);
});

/** Runs SQL on the server's database, whichever backend it is (the test changes rows behind the server's back). */
async function sql(text: string): Promise<number> {
  if (sqlite) {
    const db = new Database(path.join(server.dataDir, 'memos.db'));
    try {
      return text.startsWith('SELECT') ? (db.prepare(text).get() as { n: number }).n : db.prepare(text).run().changes;
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: server.cliEnv.MEMOS_DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(text);
    return text.startsWith('SELECT') ? Number(r.rows[0].n) : (r.rowCount ?? 0);
  } finally {
    await c.end();
  }
}

test('memories written before signatures existed still count (they are signed on the next lookup)', async () => {
  await say('cy', 'c1', 'I started pottery classes this spring.');
  expect(await sql("UPDATE memories SET value_sig = NULL WHERE user_id = 'cy'")).toBeGreaterThan(0);
  await say('cy', 'c2', 'I started pottery classes this spring.');
  expect((await refined('cy')).filter((v) => /started pottery classes/i.test(v))).toHaveLength(1);
  expect(await sql("SELECT COUNT(*) AS n FROM memories WHERE user_id = 'cy' AND value_sig IS NULL")).toBe(0);
});

test('a new statement is kept next to an old one', async () => {
  await say('dee', 'c1', 'I started pottery classes this spring.');
  await say('dee', 'c2', 'I started yoga classes this spring.');
  const got = await refined('dee');
  expect(got.some((v) => /pottery/i.test(v))).toBe(true);
  expect(got.some((v) => /yoga/i.test(v))).toBe(true);
});
