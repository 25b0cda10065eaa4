/**
 * Every memos-lite setting, in one place. Each one reads a flag (passed in by the CLI) first, then the
 * MEMOS_* environment variable, then the default. The README's settings table is generated from SETTINGS.
 */
import os from 'node:os';
import path from 'node:path';

type Kind = 'string' | 'int' | 'number' | 'bool' | 'enum';

interface SettingSpec {
  env: string;
  kind: Kind;
  default: string | number | boolean | undefined;
  values?: readonly string[];
  help: string;
}

export const SETTINGS = {
  host: { env: 'MEMOS_HOST', kind: 'string', default: '127.0.0.1', help: 'Interface to listen on. Use 0.0.0.0 to serve other machines.' },
  port: { env: 'MEMOS_PORT', kind: 'int', default: 8000, help: 'TCP port (0 picks a free one).' },
  dataDir: {
    env: 'MEMOS_DATA_DIR',
    kind: 'string',
    default: path.join(os.homedir(), '.memos-lite'),
    help: 'Directory holding the SQLite database (memos.db, WAL mode).',
  },
  databaseUrl: {
    env: 'MEMOS_DATABASE_URL',
    kind: 'string',
    default: undefined,
    help: 'postgres://user:password@host:5432/db: store everything in PostgreSQL instead of SQLite, so several memos-lite processes (replicas) can serve one database. Unset: SQLite in MEMOS_DATA_DIR.',
  },
  dbPoolSize: {
    env: 'MEMOS_DB_POOL_SIZE',
    kind: 'int',
    default: 10,
    help: 'PostgreSQL connections each memos-lite process opens at most (replicas x this must stay under the server\'s max_connections).',
  },
  logLevel: {
    env: 'MEMOS_LOG_LEVEL',
    kind: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    help: 'Log verbosity (JSON lines on stderr).',
  },
  stopWithParent: {
    env: 'MEMOS_STOP_WITH_PARENT',
    kind: 'bool',
    default: false,
    help: 'Stop (gracefully) when the process that started the server exits, even if it sent no signal. `npm start` sets it.',
  },
  bootstrapKey: {
    env: 'MEMOS_BOOTSTRAP_KEY',
    kind: 'string',
    default: undefined,
    help: 'On first start, create the default project with this API key instead of a random one (containers, scripts).',
  },
  apiPrefix: { env: 'MEMOS_API_PREFIX', kind: 'string', default: '/api/openmem/v1', help: 'Path prefix of the MemOS API.' },
  publicUrl: {
    env: 'MEMOS_PUBLIC_URL',
    kind: 'string',
    default: undefined,
    help: 'Base URL clients reach this server at (used in the OpenAPI document); defaults to http://host:port.',
  },
  maxQueuedRequests: {
    env: 'MEMOS_MAX_QUEUED_REQUESTS',
    kind: 'int',
    default: 1_000,
    help: 'Requests that may wait for their turn on the request thread; one more is refused with 40300 (retry later). /health never waits.',
  },
  maxBodyMb: { env: 'MEMOS_MAX_BODY_MB', kind: 'number', default: 8, help: 'Largest request body for memory endpoints, in MB.' },
  httpErrorStatus: {
    env: 'MEMOS_HTTP_ERROR_STATUS',
    kind: 'enum',
    values: ['ok', 'mapped'],
    default: 'ok',
    help: "'ok': business errors return HTTP 200 with the error envelope, as MemOS Cloud does; 'mapped': 400/401/403/404/413/429/5xx.",
  },
  timezone: {
    env: 'MEMOS_TIMEZONE',
    kind: 'string',
    default: 'Asia/Shanghai',
    help: 'Time zone for chat_time values that carry none, and for times shown in memories.',
  },
  messageRetentionDays: {
    env: 'MEMOS_MESSAGE_RETENTION_DAYS',
    kind: 'int',
    default: undefined,
    help: 'Delete raw messages (/get/message history) older than this many days, hourly in the background; memories stay. Unset: keep them.',
  },
  taskLeaseMs: {
    env: 'MEMOS_TASK_LEASE_MS',
    kind: 'int',
    default: 30_000,
    help: 'How long a process holds a background task it claimed unless it renews the claim (it does, every third of this, while alive). A replica that dies has its tasks taken over this long after.',
  },
  taskPollMs: { env: 'MEMOS_TASK_POLL_MS', kind: 'int', default: 1_000, help: 'How often a process looks for background tasks no process holds (written by another replica, or left by one that died).' },
  workerConcurrency: { env: 'MEMOS_WORKERS', kind: 'int', default: 2, help: 'Background tasks (extraction, feedback, documents) processed at once.' },
  taskQueueMax: {
    env: 'MEMOS_TASK_QUEUE_MAX',
    kind: 'int',
    default: 10_000,
    help: 'Background tasks that may wait at once; a write that would queue more is refused with 40300 (retry later) instead of growing an unbounded backlog.',
  },
  taskStartDelayMs: {
    env: 'MEMOS_TASK_DELAY_MS',
    kind: 'int',
    default: 0,
    help: 'Wait this long before refining a write in the background (lets bursts settle). Fast-mode memories are searchable either way.',
  },
  maxKnowledgebases: {
    env: 'MEMOS_MAX_KNOWLEDGEBASES',
    kind: 'int',
    default: 100,
    help: 'Knowledge bases one project may have linked (MemOS Cloud plans allow 10, 30 or 100).',
  },
  kbMaxFileMb: { env: 'MEMOS_KB_MAX_FILE_MB', kind: 'number', default: 100, help: 'Largest knowledge-base document, in MB (contract limit 100).' },
  kbMaxUploadMb: {
    env: 'MEMOS_KB_MAX_UPLOAD_MB',
    kind: 'number',
    default: 300,
    help: 'Largest total of one /add/knowledgebase-file call, in MB (contract limit 300).',
  },
  kbMaxPages: { env: 'MEMOS_KB_MAX_PAGES', kind: 'int', default: 500, help: 'Most pages a PDF may have (contract limit 500).' },
  fetchTimeoutMs: {
    env: 'MEMOS_FETCH_TIMEOUT_MS',
    kind: 'int',
    default: 20_000,
    help: 'Deadline for downloading one document URL, redirects included, in ms.',
  },
  fetchMaxRedirects: { env: 'MEMOS_FETCH_MAX_REDIRECTS', kind: 'int', default: 5, help: 'Redirects followed when downloading a document URL.' },
  fetchAllowPrivate: {
    env: 'MEMOS_FETCH_ALLOW_PRIVATE',
    kind: 'bool',
    default: false,
    help: 'Allow document URLs that lead to loopback, private or link-local addresses (an intranet file server). Off: only public addresses.',
  },
  llmBaseUrl: {
    env: 'MEMOS_LLM_BASE_URL',
    kind: 'string',
    default: undefined,
    help: 'OpenAI-compatible endpoint (e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1). Unset: chat, extraction and feedback run offline.',
  },
  llmApiKey: { env: 'MEMOS_LLM_API_KEY', kind: 'string', default: undefined, help: 'API key of the language-model endpoint (sent as a Bearer token).' },
  llmModel: {
    env: 'MEMOS_LLM_MODEL',
    kind: 'string',
    default: undefined,
    help: 'Model name, or a comma-separated list whose first entry is the default and the rest may be picked with /chat model_name.',
  },
  llmTimeoutMs: {
    env: 'MEMOS_LLM_TIMEOUT_MS',
    kind: 'int',
    default: 60_000,
    help: 'Deadline for one model call (for streams: until the first token, then between tokens), in ms. On expiry the offline path answers.',
  },
  embeddingModel: {
    env: 'MEMOS_EMBEDDING_MODEL',
    kind: 'string',
    default: undefined,
    help: 'Embedding model (e.g. text-embedding-3-small, nomic-embed-text). Set: recall fuses lexical and vector ranks. Unset: recall is lexical only.',
  },
  embeddingBaseUrl: {
    env: 'MEMOS_EMBEDDING_BASE_URL',
    kind: 'string',
    default: undefined,
    help: 'OpenAI-compatible endpoint serving the embedding model; defaults to MEMOS_LLM_BASE_URL.',
  },
  embeddingApiKey: { env: 'MEMOS_EMBEDDING_API_KEY', kind: 'string', default: undefined, help: 'API key of the embedding endpoint; defaults to MEMOS_LLM_API_KEY.' },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  dbPoolSize: number;
  taskLeaseMs: number;
  taskPollMs: number;
  logLevel: string;
  stopWithParent: boolean;
  bootstrapKey?: string;
  apiPrefix: string;
  publicUrl?: string;
  maxQueuedRequests: number;
  maxBodyMb: number;
  httpErrorStatus: 'ok' | 'mapped';
  timezone: string;
  messageRetentionDays?: number;
  workerConcurrency: number;
  taskQueueMax: number;
  taskStartDelayMs: number;
  maxKnowledgebases: number;
  kbMaxFileMb: number;
  kbMaxUploadMb: number;
  kbMaxPages: number;
  fetchTimeoutMs: number;
  fetchMaxRedirects: number;
  fetchAllowPrivate: boolean;
  llmBaseUrl?: string;
  llmApiKey?: string;
  llmModel?: string;
  llmTimeoutMs: number;
  embeddingModel?: string;
  embeddingBaseUrl?: string;
  embeddingApiKey?: string;
}

export class ConfigError extends Error {}

function parse(name: string, spec: SettingSpec, raw: string): string | number | boolean {
  switch (spec.kind) {
    case 'int': {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${spec.env} (${name}) must be a whole number, got "${raw}"`);
      return n;
    }
    case 'number': {
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${spec.env} (${name}) must be a positive number, got "${raw}"`);
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new ConfigError(`${spec.env} (${name}) must be true or false, got "${raw}"`);
    case 'enum':
      if (!spec.values!.includes(raw)) throw new ConfigError(`${spec.env} (${name}) must be one of ${spec.values!.join(', ')}, got "${raw}"`);
      return raw;
    default:
      return raw;
  }
}

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(flags: Partial<Record<SettingName, string | number | boolean | undefined>> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const flag = flags[name as SettingName];
    const raw = flag !== undefined ? String(flag) : env[spec.env];
    out[name] = raw !== undefined && raw !== '' ? parse(name, spec, raw) : spec.default;
  }
  const cfg = out as unknown as Config;
  cfg.apiPrefix = '/' + cfg.apiPrefix.replace(/^\/+|\/+$/g, '');
  // 0 would delete every message as soon as it is written, which is never what "retention" means.
  if (cfg.messageRetentionDays === 0) throw new ConfigError('MEMOS_MESSAGE_RETENTION_DAYS (messageRetentionDays) must be at least 1; leave it unset to keep messages');
  try {
    new Intl.DateTimeFormat('en', { timeZone: cfg.timezone });
  } catch {
    throw new ConfigError(`MEMOS_TIMEZONE (timezone) is not a known IANA time zone: "${cfg.timezone}"`);
  }
  return cfg;
}
