/**
 * Write-ahead-log checkpoints run on a thread of their own (server/src/store/sqlite/checkpointer.ts): the store's
 * connection never checkpoints inside a commit, and the log is still copied back into the database file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { SqliteStore } from '../../server/src/store/sqlite/sqlite-store';
import { buildMemory } from '../../server/src/engine/records';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test('commits leave checkpoints to the thread, which copies the log into the database file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memos-ckpt-'));
  dirs.push(dir);
  const store = new SqliteStore(dir);
  try {
    expect(store.checkpointsOffThread).toBe(true);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const { project } = await store.ensureDefaultProject();
    const projectId = project.id;
    const dbFile = path.join(dir, 'memos.db');
    const before = fs.statSync(dbFile).size;
    // About 8 MB of memories: far past the 1,000 pages at which a commit would otherwise checkpoint itself.
    const text = (i: number) => `note ${i} ` + 'lorem ipsum dolor sit amet '.repeat(40);
    for (let batch = 0; batch < 40; batch++) {
      const memories = Array.from({ length: 100 }, (_, i) =>
        buildMemory({ projectId, scope: 'user', userId: 'u1', kind: 'fact', subtype: 'LongTermMemory', key: 'note', value: text(batch * 100 + i), conversationId: 'c1', eventTime: Date.now() }),
      );
      await store.commit({ memories });
    }
    const end = Date.now() + 10_000;
    while (fs.statSync(dbFile).size < before + 4 * 1024 * 1024 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(fs.statSync(dbFile).size).toBeGreaterThan(before + 4 * 1024 * 1024);
  } finally {
    await store.close();
  }
  // Closed: the thread is gone and the store's data is all in the file.
  const again = new SqliteStore(dir);
  try {
    expect(again.db.prepare('SELECT count(*) AS n FROM memories').get()).toEqual({ n: 4000 });
  } finally {
    await again.close();
  }
}, 60_000);
