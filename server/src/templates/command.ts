/** The `import-templates` command: resolves its defaults from the memos-lite settings, runs the import, reports. */
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../config';
import { ensureBootstrap } from '../server';
import { openStore } from '../store/open';
import { serverUrlFor } from '../http/openapi';
import { defaultTemplateDir, importTemplates } from './import';
import { N8nError } from './n8n-api';

export interface ImportFlags {
  n8nUrl?: string;
  n8nApiKey?: string;
  memosUrl?: string;
  memosKey?: string;
  dir?: string;
  credentialName?: string;
  activate: boolean;
  [setting: string]: string | boolean | undefined;
}

/** The key memos-lite created (or was given) at first start; opening the store is safe while the server runs (WAL). */
async function initialKey(flags: ImportFlags): Promise<string | undefined> {
  const config = loadConfig(flags as Record<string, string>);
  if (!fs.existsSync(config.dataDir) && !config.bootstrapKey) return undefined;
  const store = await openStore(config);
  try {
    return await ensureBootstrap(store, config);
  } finally {
    await store.close();
  }
}

export async function runImportTemplates(flags: ImportFlags, out: (line: string) => void): Promise<void> {
  const n8nUrl = flags.n8nUrl ?? process.env.N8N_URL;
  const n8nApiKey = flags.n8nApiKey ?? process.env.N8N_API_KEY;
  if (!n8nUrl) throw new ConfigError('pass --n8n-url (e.g. http://localhost:5678) or set N8N_URL');
  if (!n8nApiKey) throw new ConfigError('pass --n8n-api-key (n8n: Settings > n8n API > Create an API key) or set N8N_API_KEY');
  const config = loadConfig(flags as Record<string, string>);
  const memosUrl = flags.memosUrl ?? serverUrlFor(config);
  const memosKey = flags.memosKey ?? (await initialKey(flags));
  if (!memosKey) throw new ConfigError('no API key for the credential: pass --memos-key (create one with `memos-lite keys create`)');
  const dir = flags.dir ?? defaultTemplateDir();
  if (!dir) throw new ConfigError('no template folder found: pass --dir <folder with the workflow *.json files>');

  try {
    const result = await importTemplates({
      n8nUrl,
      n8nApiKey,
      memosUrl,
      memosKey,
      dir,
      activate: flags.activate,
      credentialName: flags.credentialName,
      log: out,
    });
    const failed = result.workflows.filter((w) => w.error);
    out(`imported ${result.workflows.length} workflow(s) from ${dir}${failed.length ? `; ${failed.length} could not be activated` : ''}`);
    if (failed.length) process.exitCode = 1;
  } catch (err) {
    if (err instanceof N8nError) throw new ConfigError(err.message);
    throw err;
  }
}
