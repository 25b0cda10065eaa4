/**
 * The document side of knowledge bases, for the engine to call: no HTTP, no database.
 *
 *   const file = await loadUpload(item, { timeoutMs, allowPrivate });    // bytes + name + ext + sizeMB
 *   const chunks = await parseToChunks(file.bytes, file.ext, file.name); // type "document"
 *   const skill = await parseSkill(file.bytes, file.ext);                // type "skill"
 *
 * loadUpload does everything that can be judged up front (content form, type, size), so a route can
 * reject synchronously; parsing then runs in the background and its errors mark the file failed.
 *
 * Every failure is an ApiError carrying a contract code (§1.5); see source.ts, fetch.ts, parse.ts,
 * formats/pdf.ts and skill.ts for which code each one gets.
 */
import { ApiError, ErrorCode } from '../errors';
import { chunkDocument, type ChunkOptions } from './chunk';
import { isDocumentExt, type DocumentExt } from './limits';
import { parseDocument, type ParseOptions } from './parse';
import type { Chunk } from './types';

export { loadUpload, parseDataUrl, type LoadOptions, type LoadedUpload, type UploadItem } from './source';
export { fetchDocument, type FetchOptions, type FetchedFile } from './fetch';
export { assertPublicHost, blockedRange, type LookupAll } from './address-guard';
export { parseDocument, type ParseOptions } from './parse';
export { chunkDocument, chunkIndexText, type ChunkOptions } from './chunk';
export { parseSkill, parseSkillMarkdown, type ParsedSkill, type SkillOptions, type SkillSections } from './skill';
export { decodeBase64 } from './base64';
export { DOCUMENT_EXTS, LIMITS, SKILL_EXTS, toSizeMB, type DocumentExt, type SkillExt, type UploadType } from './limits';
export type { Chunk, Section } from './types';

export type ParseToChunksOptions = ParseOptions & ChunkOptions;

/**
 * Parses a document and splits it into chunks. Errors name the file; a document that yields no text at all
 * (an image-only PDF, an empty file) is 50107, since there is nothing to index.
 */
export async function parseToChunks(bytes: Buffer, ext: DocumentExt, name: string, opts: ParseToChunksOptions = {}): Promise<Chunk[]> {
  if (!isDocumentExt(ext)) throw new ApiError(ErrorCode.UnsupportedFileType, `${name}: unsupported document type ".${String(ext)}"`);
  let chunks: Chunk[];
  try {
    chunks = chunkDocument(await parseDocument(bytes, ext, opts), opts);
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(err.code, `${name}: ${err.message}`);
    throw err;
  }
  if (chunks.length === 0) {
    const hint = ext === 'pdf' ? ' (scanned pages are images; OCR is not supported)' : '';
    throw new ApiError(ErrorCode.InvalidFileFormat, `${name}: no text could be extracted${hint}`);
  }
  return chunks;
}
