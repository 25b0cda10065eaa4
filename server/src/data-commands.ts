/**
 * The data commands of the CLI: `export`, `import`, `erase` (any backend) and `backup`, `restore` (the SQLite
 * file; PostgreSQL has pg_dump and point-in-time recovery). cli.ts registers them with the settings each reads.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, loadConfig, type SettingName } from './config';
import { openStore } from './store/open';
import { portabilityOf } from './store/open';
import type { Store } from './store/types';
import { exportData } from './engine/portability/export';
import { ImportError, importData } from './engine/portability/import';
import { eraseUser } from './engine/portability/erase';
import { BackupError, backupSqlite, restoreSqlite } from './store/sqlite/backup';

/** Problems with the user's input end as a one-line message and exit code 2, like every other command. */
const asConfigError = (err: unknown): never => {
  throw err instanceof BackupError ? new ConfigError(err.message) : err;
};

type AddSettingFlags = (cmd: Command, names: readonly SettingName[]) => Command;

/** A progress bar on stderr when it is a terminal; nothing when piped or redirected. */
function progressBar(label: string) {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  return {
    start: (total: number) => bar.start(total, 0),
    update: (done: number) => bar.update(done),
    stop: () => bar.stop(),
  };
}

async function withStore<T>(flags: Record<string, string>, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(flags);
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The project a command names, which must exist (unlike `keys create --project`, nothing is created here). */
async function existingProject(store: Store, name: string | undefined) {
  const projects = await store.listProjects();
  if (!name) {
    if (projects.length === 1) return projects[0];
    throw new ConfigError(`pass --project <name>: this store holds ${projects.length} projects (${projects.map((p) => p.name).join(', ')})`);
  }
  const p = projects.find((x) => x.name === name || x.id === name);
  if (!p) throw new ConfigError(`no project named "${name}" (projects: ${projects.map((x) => x.name).join(', ') || 'none'})`);
  return p;
}

export function addDataCommands(program: Command, addSettingFlags: AddSettingFlags, storeSettings: readonly SettingName[], out: (line: string) => void) {
  addSettingFlags(
    program.command('export').description('Write a project (or one user of it) as JSON Lines: memories with every version, messages, profiles, knowledge bases with their files, unfinished tasks.'),
    storeSettings,
  )
    .option('--project <name>', 'project to export (name or id; may be left out when there is only one)')
    .option('--user <user_id>', 'only this user\'s memories, messages, profile and unfinished tasks')
    .option('--out <file>', 'file to write (default: standard output)')
    .option('--with-vectors', 'include embedding vectors (otherwise they are remade after import when a model is configured)')
    .action(async (flags) => {
      await withStore(flags, async (store) => {
        const project = await existingProject(store, flags.project);
        const sink: Writable = flags.out ? fs.createWriteStream(flags.out, { flags: 'wx' }) : process.stdout;
        if (flags.out) await new Promise<void>((resolve, reject) => sink.once('open', () => resolve()).once('error', (e) => reject(new ConfigError(`cannot write ${flags.out}: ${e.message}`))));
        const bar = flags.out || !process.stdout.isTTY ? progressBar('export') : undefined;
        const started = performance.now();
        const counts = await exportData(portabilityOf(store), sink, { project, userId: flags.user, withVectors: !!flags.withVectors, progress: bar });
        bar?.stop();
        if (flags.out) await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
        const rows = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
        process.stderr.write(`exported ${rows} rows of project ${project.name}${flags.user ? ` user ${flags.user}` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}\n`);
      });
    });

  addSettingFlags(
    program
      .command('import')
      .argument('<file>', 'a file written by `memos-lite export`')
      .description('Import an export file. Keeps ids and times; rows already present are skipped, so running it again (after an interruption, or twice) is safe. Verified by counts.'),
    storeSettings,
  )
    .option('--project <name>', 'import into this project (created if new) instead of the exported one')
    .action(async (file: string, flags) => {
      if (!fs.existsSync(file)) throw new ConfigError(`no such file: ${file}`);
      await withStore(flags, async (store) => {
        const bar = progressBar('import');
        const started = performance.now();
        try {
          const r = await importData(store, portabilityOf(store), file, { projectName: flags.project, progress: bar });
          bar?.stop();
          for (const t of r.tables) out(`${t.table.padEnd(24)} ${String(t.rows).padStart(9)} rows  (${t.inserted} new)`);
          out(`import complete into project ${r.projectId} in ${((performance.now() - started) / 1000).toFixed(1)} s: counts match the file`);
        } catch (err) {
          bar?.stop();
          if (err instanceof ImportError) throw new ConfigError(err.message);
          throw err;
        }
      });
    });

  addSettingFlags(
    program
      .command('erase')
      .description('Erase everything stored about one user of a project (memories of every status, messages, profile, vectors, full-text entries, tasks), then purge it from the database files.'),
    storeSettings,
  )
    .option('--project <name>', 'the user\'s project (name or id; may be left out when there is only one)')
    .requiredOption('--user <user_id>', 'the user to erase')
    .action(async (flags) => {
      await withStore(flags, async (store) => {
        const project = await existingProject(store, flags.project);
        const r = await eraseUser(store, { info: () => undefined }, project.id, flags.user);
        out(`erased user ${flags.user} of project ${project.name} in ${r.ms} ms: ${r.memories} memories, ${r.vectors} vectors, ${r.messages} messages, ${r.profiles} profiles, ${r.tasks} tasks (delete ${r.deleteMs} ms, purge ${r.purgeMs} ms)`);
      });
    });

  const sqliteOnly = (flags: Record<string, string>) => {
    const config = loadConfig(flags);
    if (config.databaseUrl) throw new ConfigError('backup and restore copy the SQLite file; for PostgreSQL use pg_dump / pg_restore or point-in-time recovery (see the README)');
    return config;
  };
  addSettingFlags(
    program
      .command('backup')
      .argument('<file>', 'where to write the copy (must not exist)')
      .description('Copy the SQLite database while the server keeps serving (SQLite online backup: one consistent snapshot; writes go on meanwhile).'),
    ['dataDir'],
  ).action(async (file: string, flags) => {
    const config = sqliteOnly(flags);
    const r = await backupSqlite(config.dataDir, file).catch(asConfigError);
    out(`backed up ${config.dataDir} to ${file} (${r.pages} pages, ${(r.bytes / 1e6).toFixed(1)} MB) in ${r.ms} ms`);
  });
  addSettingFlags(
    program
      .command('restore')
      .argument('<file>', 'a file written by `memos-lite backup`')
      .description('Restore a backup into an empty data directory (then start the server on it).'),
    ['dataDir'],
  ).action(async (file: string, flags) => {
    const config = sqliteOnly(flags);
    await restoreSqlite(file, config.dataDir).catch(asConfigError);
    out(`restored ${file} into ${config.dataDir}`);
  });
}
