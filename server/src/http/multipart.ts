/**
 * multipart/form-data bodies for endpoints that take files (add/knowledgebase-file: the Python SDK's
 * add_knowledgebase_file_form posts its files this way, with knowledgebase_id in the query string). The form is
 * read into the same body a JSON client sends: query and form fields become body fields, and each file part
 * becomes one `file[]` item whose content is the file as a data URL carrying its name, so validation, type
 * detection and limits are the ones of the JSON path. Parsing is @fastify/multipart's (busboy).
 *
 * The caps hold while the form streams in: more than MAX files is 50103, a file over the per-file limit 50104,
 * all files together over the upload limit 50105.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError, ErrorCode } from '../errors';
import { formatBytes } from '../docs/limits';

export interface MultipartLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

const MAX_FIELDS = 50;
const MAX_FIELD_BYTES = 64 * 1024;

export async function readMultipartBody(req: FastifyRequest, limits: MultipartLimits): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  const files: Array<{ content: string; name: string }> = [];
  let total = 0;
  try {
    const parts = req.parts({ limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES } });
    for await (const part of parts) {
      if (part.type === 'field') {
        body[part.fieldname] = part.value;
        continue;
      }
      const bytes = await part.toBuffer();
      total += bytes.length;
      if (total > limits.maxTotalBytes)
        throw new ApiError(ErrorCode.UploadTooLarge, `the files of one call may total at most ${formatBytes(limits.maxTotalBytes)}; split the upload`);
      const mime = /^[\w.+-]+\/[\w.+-]+$/.test(part.mimetype) ? part.mimetype : 'application/octet-stream';
      const name = part.filename || `upload-${files.length + 1}`;
      files.push({ content: `data:${mime};name=${encodeURIComponent(name)};base64,${bytes.toString('base64')}`, name });
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw new ApiError(ErrorCode.TooManyFiles, `more than ${limits.maxFiles} files in one call; split the upload`);
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new ApiError(ErrorCode.FileTooLarge, `a file is larger than ${formatBytes(limits.maxFileBytes)}`);
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new ApiError(ErrorCode.InvalidParams, `too many form fields (at most ${MAX_FIELDS})`);
    throw new ApiError(ErrorCode.InvalidParams, `the multipart/form-data body could not be read: ${(err as Error).message}`);
  }
  // A form's file parts replace a `file` field; the item type (document/skill) may come as a field of its own.
  if (files.length) {
    const type = typeof body.type === 'string' ? body.type : undefined;
    body.file = files.map((f) => ({ ...f, ...(type ? { type } : {}) }));
    delete body.type;
  }
  return body;
}
