/**
 * Knowledge bases (contract §3.11-3.15, §4.11): create, upload, list, delete.
 *
 * An upload is judged synchronously as far as it can be (file count, content form, type, sizes, URL
 * downloads), so a bad call is refused whole with its contract code and writes nothing. What passes is
 * stored part by part and committed in one transaction: the file rows and one durable 'kb-file' task per
 * file (engine/kb-ingest.ts), which parses, chunks and indexes it in the background. A file is `running`
 * until its task marks it `completed` or `failed` (with the reason).
 */
import { randomUUID } from 'node:crypto';
import type {
  AddKnowledgebaseFileRequest,
  CreateKnowledgebaseRequest,
  DeleteKnowledgebaseFileRequest,
  DeleteKnowledgebaseRequest,
  GetKnowledgebaseFileRequest,
} from '../api/kb-schemas';
import type { LoadOptions } from '../docs';
import { inlineBytes, type UploadMeta, type UploadRequest } from './cpu-jobs';
import { withLoadedUpload, withUploadBody, type IncomingFile } from './doc-jobs';
import { formatBytes, toSizeMB } from '../docs/limits';
import { ApiError, ErrorCode } from '../errors';
import type { KnowledgebaseFileRecord, TaskRecord } from '../store/types';
import type { Caller, EngineContext } from './context';
import { newTaskId } from './ids';
import { newTask, submitTasks } from './tasks';
import { KB_FILE_TASK, type KbFilePayload } from './kb-ingest';

const MB = 1024 * 1024;
export const MAX_FILES_PER_UPLOAD = 20;
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

export const newKnowledgebaseId = () => 'base' + randomUUID();
const newFileId = () => randomUUID().replace(/-/g, '');

/** The knowledge base must be linked to the caller's project: 50120 when it does not exist, 50123 when it is someone else's. */
export async function requireLinkedKnowledgebase(ctx: EngineContext, caller: Caller, id: string): Promise<void> {
  const linked = await ctx.store.linkedKnowledgebaseIds(caller.projectId);
  if (linked.includes(id)) return;
  if (await ctx.store.getKnowledgebase(id)) throw new ApiError(ErrorCode.KnowledgeBaseNotLinked, `knowledge base ${id} is not linked to this project`);
  throw new ApiError(ErrorCode.KnowledgeBaseNotFound, `knowledge base ${id} was not found`);
}

export async function createKnowledgebase(ctx: EngineContext, caller: Caller, req: CreateKnowledgebaseRequest) {
  const kb = {
    id: newKnowledgebaseId(),
    name: req.knowledgebase_name.trim(),
    description: req.knowledgebase_description?.trim() ?? '',
    projectId: caller.projectId,
    createTime: Date.now(),
  };
  const max = ctx.config.maxKnowledgebases;
  if (!(await ctx.store.createKnowledgebase(kb, caller.projectId, max)))
    throw new ApiError(ErrorCode.QuotaExhausted, `this project already has ${max} knowledge bases, the most allowed (MEMOS_MAX_KNOWLEDGEBASES); delete one first`);
  return { id: kb.id };
}

function labelled(err: unknown, index: number, name: string | undefined): unknown {
  if (!(err instanceof ApiError)) return err;
  return new ApiError(err.code, `file[${index}]${name ? ` (${name})` : ''}: ${err.message}`);
}

function loadOptions(ctx: EngineContext): LoadOptions {
  const { config } = ctx;
  return { maxBytes: Math.round(config.kbMaxFileMb * MB), timeoutMs: config.fetchTimeoutMs, maxRedirects: config.fetchMaxRedirects, allowPrivate: config.fetchAllowPrivate };
}

/** An upload whose body was read and validated on the request thread (small JSON bodies in tests, forms, plugin calls). */
export async function addKnowledgebaseFiles(ctx: EngineContext, caller: Caller, req: AddKnowledgebaseFileRequest) {
  const opts = loadOptions(ctx);
  const upload = { ...req, file: req.file.map((f) => ({ ...f, inlineBytes: inlineBytes(f.content) })) };
  return storeUpload(ctx, caller, upload, (item, use) => withLoadedUpload(item, opts, use));
}

/** An upload's raw JSON body, read and validated on the upload worker (http/app.ts streams it here unparsed). */
export async function addKnowledgebaseFilesFromBody(ctx: EngineContext, caller: Caller, body: AsyncIterable<Buffer>) {
  const opts = loadOptions(ctx);
  return withUploadBody(body, opts, (req, nextInline) =>
    storeUpload(ctx, caller, req, (item, use) => (item.content ? withLoadedUpload(item, opts, use) : nextInline().then(use))),
  );
}

/**
 * Checks an upload as a whole, stores each file's original part by part (one part per turn of the request thread,
 * so a 20 MB file never holds it for long), then commits the file records and their tasks in one transaction. A
 * refused upload writes nothing: the parts already stored belong to no file and are discarded (or, after a crash,
 * swept by sweepOrphanParts).
 */
async function storeUpload(
  ctx: EngineContext,
  caller: Caller,
  req: UploadRequest,
  load: (item: UploadRequest['file'][number], use: (file: IncomingFile) => Promise<void>) => Promise<void>,
) {
  await requireLinkedKnowledgebase(ctx, caller, req.knowledgebase_id);
  const { config } = ctx;
  if (req.file.length > MAX_FILES_PER_UPLOAD)
    throw new ApiError(ErrorCode.TooManyFiles, `${req.file.length} files in one call; at most ${MAX_FILES_PER_UPLOAD} are allowed, split the upload`);
  const maxTotal = Math.round(config.kbMaxUploadMb * MB);
  const overTotal = new ApiError(ErrorCode.UploadTooLarge, `the files of one call may total at most ${formatBytes(maxTotal)}; split the upload`);
  // Refuse an oversize inline upload before decoding any of it.
  if (req.file.reduce((n, f) => n + f.inlineBytes, 0) > maxTotal) throw overTotal;

  const now = Date.now();
  const files: Array<{ file: KnowledgebaseFileRecord }> = [];
  const tasks: TaskRecord[] = [];
  const written: string[] = [];
  let total = 0;
  try {
    for (const [i, item] of req.file.entries()) {
      const id = newFileId();
      try {
        await load(item, async ({ meta, parts }) => {
          total += meta.sizeBytes;
          if (total > maxTotal) throw overTotal;
          written.push(id);
          let n = 0;
          for await (const bytes of parts) {
            await ctx.queue.turn();
            await ctx.store.putKnowledgebaseFilePart(id, n++, bytes, now);
          }
          const taskId = newTaskId();
          const payload: KbFilePayload = { fileId: id, knowledgebaseId: req.knowledgebase_id };
          tasks.push(newTask(caller.projectId, KB_FILE_TASK, payload, taskId, now));
          files.push({ file: fileRecord(id, req.knowledgebase_id, caller.projectId, meta, taskId, now) });
        });
      } catch (err) {
        throw err === overTotal ? err : labelled(err, i, item.name);
      }
    }
    await submitTasks(ctx, {
      batch: { knowledgebaseFiles: files },
      tasks,
      saveFailed: {
        log: 'knowledge-base upload commit failed',
        code: ErrorCode.OperationFailed,
        message: 'the files could not be saved; nothing was written, please retry',
      },
    });
  } catch (err) {
    await ctx.store.discardKnowledgebaseFileParts(written).catch((e: unknown) => ctx.log.warn({ err: e }, 'parts of a refused upload were not discarded; the sweep will'));
    throw err;
  }
  return files.map(({ file }) => ({ id: file.id, type: file.type, name: file.name, sizeMB: toSizeMB(file.sizeBytes), status: file.status }));
}

function fileRecord(id: string, knowledgebaseId: string, projectId: string, f: UploadMeta, taskId: string, now: number): KnowledgebaseFileRecord {
  return {
    id,
    knowledgebaseId,
    projectId,
    type: f.type,
    name: f.name,
    ext: f.ext,
    sizeBytes: f.sizeBytes,
    status: 'running',
    error: null,
    sourceUrl: f.sourceUrl ?? null,
    taskId,
    chunkCount: 0,
    createTime: now,
    updateTime: now,
  };
}

/** How long an upload may take between its first stored part and its commit before the parts count as orphans. */
const ORPHAN_AFTER_MS = 60 * 60 * 1000;

/** Removes the parts of uploads that died before their commit (the process stopped mid-upload). */
export async function sweepOrphanParts(ctx: EngineContext): Promise<number> {
  return ctx.store.sweepKnowledgebaseFileParts(Date.now() - ORPHAN_AFTER_MS);
}

export function presentFile(f: KnowledgebaseFileRecord) {
  return {
    id: f.id,
    type: f.type,
    name: f.name,
    size: formatBytes(f.sizeBytes),
    sizeMB: toSizeMB(f.sizeBytes),
    status: f.status,
    knowledgebase_id: f.knowledgebaseId,
    ...(f.status === 'completed' ? { chunk_count: f.chunkCount } : {}),
    ...(f.status === 'failed' ? { error: f.error ?? 'processing failed' } : {}),
    ...(f.sourceUrl ? { source_url: f.sourceUrl } : {}),
    create_time: f.createTime,
    update_time: f.updateTime,
  };
}

/** Files by id, each of which must exist (40001) and belong to a knowledge base linked to the caller (40103). */
async function filesOfCaller(ctx: EngineContext, caller: Caller, ids: string[]): Promise<KnowledgebaseFileRecord[]> {
  const unique = [...new Set(ids)];
  const found = await ctx.store.getKnowledgebaseFiles(unique);
  const known = new Set(found.map((f) => f.id));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length) throw new ApiError(ErrorCode.NotFound, `file ${missing.join(', ')} was not found`);
  const linked = new Set(await ctx.store.linkedKnowledgebaseIds(caller.projectId));
  const foreign = found.find((f) => !linked.has(f.knowledgebaseId));
  if (foreign) throw new ApiError(ErrorCode.KeyCannotAccessProject, `file ${foreign.id} belongs to a knowledge base that is not linked to this project`);
  const order = new Map(unique.map((id, i) => [id, i]));
  return found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

export async function getKnowledgebaseFiles(ctx: EngineContext, caller: Caller, req: GetKnowledgebaseFileRequest) {
  if (req.file_ids) {
    const files = await filesOfCaller(ctx, caller, req.file_ids);
    return { total: files.length, page: 1, page_size: files.length, file_detail_list: files.map(presentFile) };
  }
  const kbId = req.knowledgebase_id!;
  await requireLinkedKnowledgebase(ctx, caller, kbId);
  const page = req.page ?? 1;
  const pageSize = Math.min(req.page_size ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const { items, total } = await ctx.store.listKnowledgebaseFiles(kbId, req.type, page, pageSize);
  return { total, page, page_size: pageSize, file_detail_list: items.map(presentFile) };
}

/**
 * Unlinks the knowledge base from the caller's project (contract §3.14). A knowledge base no project links
 * any more cannot be reached through the API again, so it is then deleted with its files and memories.
 */
export async function deleteKnowledgebase(ctx: EngineContext, caller: Caller, req: DeleteKnowledgebaseRequest) {
  await requireLinkedKnowledgebase(ctx, caller, req.knowledgebase_id);
  const remaining = await ctx.store.unlinkKnowledgebase(caller.projectId, req.knowledgebase_id);
  if (remaining === 0) await ctx.store.purgeKnowledgebase(req.knowledgebase_id);
  return { success: true };
}

/** Deletes files and what was made from them: chunk memories, or the skill (contract §3.15). */
export async function deleteKnowledgebaseFiles(ctx: EngineContext, caller: Caller, req: DeleteKnowledgebaseFileRequest) {
  const files = await filesOfCaller(ctx, caller, req.file_ids);
  await ctx.store.deleteKnowledgebaseFiles(files.map((f) => f.id));
  return { success: true };
}
