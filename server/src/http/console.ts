/**
 * The console: static files at /console (no build step: ES modules, Preact + htm and uPlot served from the
 * installed packages) and its JSON reads under /api/console. Writes made in the console go through the MemOS
 * API endpoints themselves, so they follow exactly the rules every client follows.
 *
 * The key travels only in the Authorization header, set by the page from sessionStorage. Nothing is
 * authorised by a cookie, so another site cannot make a browser send an authorised request (no CSRF), and the
 * strict Content-Security-Policy below means text stored in memories can never run as script in the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import * as s from '../api/console-schemas';
import { validate } from '../api/validate';
import type { Caller, EngineContext } from '../engine/context';
import {
  conversation,
  explainSearch,
  feedbackHistory,
  knowledgebaseChunks,
  listKnowledgebases,
  listTasks,
  listUsers,
  memoryDetail,
  retryTask,
  userDetail,
  usageReport,
  userMemories,
} from '../engine/console-reads';
import { searchMemory as searchSchema } from '../api/schemas';
import type { Authenticator } from './auth';
import { assertMayWrite } from './read-only';

export const CONSOLE_PATH = '/console';

/** Nothing but this origin's own files; no inline script or style, no plugins, no framing, no form posts. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The console's own files (shipped in the package next to dist/) and the libraries it loads. */
function staticFiles(): Map<string, string> {
  const root = path.resolve(__dirname, '../../console');
  const files = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}${e.name}/`);
      else if (TYPES[path.extname(e.name)]) files.set(prefix + e.name, path.join(dir, e.name));
    }
  };
  walk(root, '');
  const htm = path.dirname(require.resolve('htm'));
  const uplot = path.dirname(require.resolve('uplot'));
  files.set('vendor/preact-htm.js', path.join(htm, '../preact/standalone.module.js'));
  files.set('vendor/uplot.js', path.join(uplot, 'uPlot.esm.js'));
  files.set('vendor/uplot.css', path.join(uplot, 'uPlot.min.css'));
  return files;
}

interface ConsoleRoute<S extends z.ZodType = z.ZodType> {
  path: string;
  schema: S;
  /** Changes something: refused to read-only keys. */
  write?: boolean;
  handler: (ctx: EngineContext, caller: Caller, body: z.output<S>) => Promise<unknown>;
}

const route = <S extends z.ZodType>(r: ConsoleRoute<S>) => r as unknown as ConsoleRoute;

const emptyBody = (): z.ZodType => s.usage.partial().passthrough();

export const consoleRoutes: ConsoleRoute[] = [
  route({ path: '/session', schema: emptyBody(), handler: async (ctx, caller) => ({ project_id: caller.projectId, read_only: !!caller.readOnly, api_prefix: ctx.config.apiPrefix }) }),
  route({ path: '/users', schema: s.listUsers, handler: (ctx, caller, b) => listUsers(ctx, caller, b) }),
  route({ path: '/user', schema: s.userDetail, handler: (ctx, caller, b) => userDetail(ctx, caller, b.user_id) }),
  route({ path: '/memories', schema: s.userMemories, handler: (ctx, caller, b) => userMemories(ctx, caller, b) }),
  route({ path: '/memory', schema: s.memoryDetail, handler: (ctx, caller, b) => memoryDetail(ctx, caller, b.memory_id) }),
  route({ path: '/conversation', schema: s.conversation, handler: (ctx, caller, b) => conversation(ctx, caller, b) }),
  route({ path: '/search', schema: searchSchema, handler: (ctx, caller, b) => explainSearch(ctx, caller, b) }),
  route({ path: '/knowledgebases', schema: emptyBody(), handler: (ctx, caller) => listKnowledgebases(ctx, caller) }),
  route({ path: '/chunks', schema: s.knowledgebaseChunks, handler: (ctx, caller, b) => knowledgebaseChunks(ctx, caller, b) }),
  route({ path: '/feedback', schema: s.feedbackHistory, handler: (ctx, caller, b) => feedbackHistory(ctx, caller, b.page, b.size) }),
  route({ path: '/tasks', schema: s.listTasks, handler: (ctx, caller, b) => listTasks(ctx, caller, b) }),
  route({ path: '/tasks/retry', schema: s.retryTask, write: true, handler: (ctx, caller, b) => retryTask(ctx, caller, b.task_id) }),
  route({ path: '/usage', schema: s.usage, handler: (ctx, caller, b) => usageReport(ctx, caller, b.days) }),
];

export function mountConsole(app: FastifyInstance, ctx: EngineContext, auth: Authenticator) {
  const files = staticFiles();
  const sendFile = (reply: FastifyReply, name: string) => {
    const file = files.get(name);
    if (!file) return reply.code(404).headers(SECURITY_HEADERS).type('text/plain; charset=utf-8').send('not found');
    return reply
      .headers(SECURITY_HEADERS)
      .header('cache-control', 'no-cache')
      .type(TYPES[path.extname(file)])
      .send(fs.createReadStream(file));
  };
  app.get(CONSOLE_PATH, (_req, reply) => sendFile(reply, 'index.html'));
  app.get(`${CONSOLE_PATH}/*`, (req: FastifyRequest<{ Params: { '*': string } }>, reply) => sendFile(reply, req.params['*'] || 'index.html'));

  for (const r of consoleRoutes) {
    app.post(`/api/console${r.path}`, async (req, reply) => {
      const started = performance.now();
      const caller = await auth.authenticate(req.headers.authorization);
      let ok = false;
      try {
        if (r.write) assertMayWrite(caller, `console${r.path}`);
        const body = validate(r.schema, req.body ?? {});
        const data = await (ctx.usage ? ctx.usage.within(caller.projectId, `console${r.path}`, () => r.handler(ctx, caller, body)) : r.handler(ctx, caller, body));
        ok = true;
        return reply.header('cache-control', 'no-store').send({ code: 0, data, message: 'ok' });
      } finally {
        // The console's own reads are counted under their own names, apart from the API's endpoints.
        ctx.usage?.request(caller.projectId, `console${r.path}`, performance.now() - started, ok);
      }
    });
  }
}
