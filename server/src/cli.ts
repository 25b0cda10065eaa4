/**
 * memos-lite command line: `start` (the server), `keys create|list|revoke`, `profiles create|list|remove`, `migrate`
 * (PostgreSQL) and `import-templates` (n8n). Every
 * setting of config.ts can also be passed as a flag (--data-dir, --port, ...), generated from the same table so
 * the two cannot drift; each command lists only the settings it reads, the others still come from MEMOS_*.
 */
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, SETTINGS, type SettingName } from './config';
import { describeStore, openStore } from './store/open';
import type { Store } from './store/types';
import { runMigrate } from './store/migrate-command';
import { ensureBootstrap, startServer } from './server';
import { generateKey, hashKey, keyPrefix } from './http/keys';
import { runImportTemplates } from './templates/command';
import { CONSOLE_PATH } from './http/console';
import { stopGracefully } from './lifecycle';
import { addDataCommands } from './data-commands';
import { parseTemplate, templateFields } from './engine/profile';
import fs from 'node:fs';

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** The server reads every setting. */
const SERVER_SETTINGS = Object.keys(SETTINGS) as SettingName[];
/** Commands that open the store and nothing else (keys, import-templates). */
const STORE_SETTINGS: SettingName[] = ['dataDir', 'databaseUrl', 'dbPoolSize'];

/** Adds one flag per named setting; `--help` of a command therefore shows exactly what it reads. */
function addSettingFlags(cmd: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const spec = SETTINGS[name];
    cmd.addOption(new Option(`--${kebab(name)} <value>`, `${spec.help} [env ${spec.env}]`));
  }
  return cmd;
}

const out = (line: string) => process.stdout.write(line + '\n');

export async function main(argv: string[]): Promise<void> {
  const program = new Command('memos-lite')
    .description('A MemOS-compatible long-term memory API on an embedded SQLite store.')
    .showHelpAfterError();

  addSettingFlags(program.command('start').description('Start the server (creates a project and an API key on first start).'), SERVER_SETTINGS).action(async (flags) => {
    const config = loadConfig(flags);
    const server = await startServer(config);
    // Before the banner: whoever reads it may stop the server at once, and a signal that arrived before the
    // handlers would end the process without closing the database.
    stopGracefully(() => server.close(), server.app.log, { stopWithParent: config.stopWithParent });
    out(`memos-lite listening on ${server.origin}`);
    out(`  base URL : ${server.baseUrl}`);
    out(`  console  : ${server.origin}${CONSOLE_PATH}  (sign in with an API key)`);
    out(`  data     : ${describeStore(config)}`);
    out(
      server.initialKey
        ? `  API key  : ${server.initialKey}`
        : '  API key  : (not shown: the first key was revoked or set elsewhere; create one with `memos-lite keys create`)',
    );
    out(`  try      : curl -s ${server.baseUrl}/search/memory -H 'Authorization: Token <key>' -H 'Content-Type: application/json' -d '{"user_id":"u1","query":"hello"}'`);
  });

  const keys = program.command('keys').description('Manage API keys (each key sees only its own project).');
  const withStore = async <T>(flags: Record<string, string>, fn: (store: Store, projectId: string) => Promise<T>) => {
    const projectName = flags.project;
    const config = loadConfig(flags);
    const store = await openStore(config);
    try {
      await ensureBootstrap(store, config);
      const project = projectName ? await store.projectByName(projectName) : (await store.ensureDefaultProject()).project;
      return await fn(store, project.id);
    } finally {
      await store.close();
    }
  };
  addSettingFlags(keys.command('create').description('Create a new API key and print it (shown only once).'), STORE_SETTINGS)
    .option('--label <label>', 'A name to recognise the key by', '')
    .option('--read-only', 'The key may search and read but not write (for the console\'s viewers, dashboards)')
    .option('--project <name>', 'Project the key belongs to (created if new); keys of different projects see different memories')
    .action(async (flags) => {
      await withStore(flags, async (store, projectId) => {
        const key = generateKey();
        const rec = await store.createKey(projectId, hashKey(key), keyPrefix(key), flags.label ?? '', !!flags.readOnly);
        out(key);
        process.stderr.write(`created ${rec.readOnly ? 'read-only ' : ''}${rec.id} for project ${projectId}; store it now, it is not shown again\n`);
      });
    });
  addSettingFlags(keys.command('list').description('List API keys (prefixes only).'), STORE_SETTINGS).action(async (flags) => {
    await withStore(flags, async (store) => {
      const names = new Map((await store.listProjects()).map((p) => [p.id, p.name]));
      for (const k of await store.listKeys())
        out(`${k.id}  ${k.prefix}  ${k.revokedTime ? 'revoked' : 'active '}  project=${names.get(k.projectId) ?? k.projectId}  ${new Date(k.createTime).toISOString()}  ${k.label}${k.readOnly ? '  (read-only)' : ''}`);
    });
  });
  addSettingFlags(keys.command('revoke').argument('<id>', 'key id (key-…) or prefix from `keys list`').description('Revoke an API key.'), STORE_SETTINGS).action(
    async (id: string, flags) => {
      await withStore(flags, async (store) => {
        const rec = await store.revokeKey(id);
        if (!rec) throw new ConfigError(`no key with id or prefix "${id}"`);
        out(`revoked ${rec.id}`);
      });
    },
  );

  const profiles = program.command('profiles').description('Manage profile templates (the fields a user\'s or agent\'s profile holds).');
  addSettingFlags(profiles.command('create').description('Create (or replace, same id) a profile template from a JSON file.'), STORE_SETTINGS)
    .requiredOption('--file <path>', 'template file: {"id"?, "name", "metadata": {"basic": {"city": {"value": "", "algorithm_updatable": true}}}}')
    .action(async (flags) => {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(flags.file, 'utf8'));
      } catch (err) {
        throw new ConfigError(`cannot read ${flags.file}: ${(err as Error).message}`);
      }
      await withStore(flags, async (store) => {
        let template;
        try {
          template = parseTemplate(raw);
        } catch (err) {
          throw new ConfigError(`${flags.file}: ${(err as Error).message}`);
        }
        await store.putProfileTemplate(template);
        out(template.id);
      });
    });
  addSettingFlags(profiles.command('list').description('List the profile templates with their fields.'), STORE_SETTINGS).action(async (flags) => {
    await withStore(flags, async (store) => {
      for (const t of await store.listProfileTemplates()) out(`${t.id}  ${t.name}  fields: ${templateFields(t.metadata).join(', ')}`);
    });
  });
  addSettingFlags(profiles.command('remove').argument('<id>', 'template id from `profiles list`').description('Remove a template and the profiles made from it.'), STORE_SETTINGS).action(
    async (id: string, flags) => {
      await withStore(flags, async (store) => {
        if (!(await store.deleteProfileTemplate(id))) throw new ConfigError(`no profile template "${id}"`);
        out(`removed ${id}`);
      });
    },
  );

  addSettingFlags(
    program
      .command('import-templates')
      .description('Import the n8n workflow templates through the n8n public API, with a MemOS credential pointing at this server.'),
    STORE_SETTINGS,
  )
    .option('--n8n-url <url>', 'n8n base URL, e.g. http://localhost:5678 [env N8N_URL]')
    .option('--n8n-api-key <key>', 'n8n API key (Settings > n8n API) [env N8N_API_KEY]')
    .option('--memos-url <url>', 'MemOS base URL as n8n reaches it (default: MEMOS_PUBLIC_URL, else http://MEMOS_HOST:MEMOS_PORT, plus MEMOS_API_PREFIX)')
    .option('--memos-key <key>', 'API key stored in the credential (default: the key created at first start in --data-dir, or MEMOS_BOOTSTRAP_KEY)')
    .option('--dir <folder>', 'folder of workflow templates (default: the bundled workflows/)')
    .option('--credential-name <name>', 'name of the n8n credential to create or update', 'MemOS (memos-lite)')
    .option('--no-activate', 'import without activating the workflows')
    .action((flags) => runImportTemplates(flags, out));

  addSettingFlags(
    program
      .command('migrate')
      .description(
        'Bring the PostgreSQL schema up to date (the server also does it at start), or with --from-sqlite copy a SQLite data directory into PostgreSQL (resumable: run it again after an interruption; verified by counts).',
      ),
    ['databaseUrl'],
  )
    .option('--from-sqlite <data dir>', 'a memos-lite SQLite data directory (the one holding memos.db) to copy into the database')
    .action(async (flags) => {
      const config = loadConfig(flags);
      if (!config.databaseUrl) throw new ConfigError('pass --database-url postgres://... or set MEMOS_DATABASE_URL');
      await runMigrate({ databaseUrl: config.databaseUrl, fromSqlite: flags.fromSqlite }, out);
    });

  addDataCommands(program, addSettingFlags, STORE_SETTINGS, out);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`memos-lite: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
