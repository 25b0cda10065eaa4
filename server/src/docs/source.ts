/**
 * An upload item (contract §3.12 `file[]`) → bytes, a file name and a supported extension.
 * `content` is an http(s) URL, a data URL (`data:text/markdown;base64,...`) or a bare base64 string.
 *
 * Deciding the type, strongest evidence first:
 *   1. magic bytes of binary formats (%PDF, zip/OOXML, OLE, rar, images...): they cannot lie by accident;
 *   2. the caller's `name`, then a `name=` parameter of the data URL;
 *   3. the data URL's media type;
 *   4. the download's Content-Disposition file name, then the URL path;
 *   5. the download's Content-Type (servers often send a generic one, so it comes last);
 *   6. a look at the text (JSON / XML / Markdown / plain text).
 * A declared binary type that the bytes do not bear out (a ".pdf" holding text) keeps its declared type,
 * so the parser reports 50107 "does not parse as PDF" rather than indexing it as something else.
 *
 * Errors: 40002 empty content; 40009 malformed data-URL prefix or base64 padding; 40008 illegal base64
 * characters or truncation; 40007 unsupported type (and legacy .doc); 50104 over the size limit;
 * URL download failures as documented in fetch.ts (40000, or 50104 when too large).
 */
import { ApiError, ErrorCode } from '../errors';
import { decodeBase64, decodedLength } from './base64';
import { fetchDocument, type FetchOptions } from './fetch';
import {
  DOCUMENT_EXTS,
  LIMITS,
  SKILL_EXTS,
  formatBytes,
  isDocumentExt,
  isSkillExt,
  toSizeMB,
  type DocumentExt,
  type SkillExt,
  type UploadType,
} from './limits';
import { extFromMime, extFromName, magicType, sniffText } from './sniff';

export interface UploadItem {
  content: string;
  name?: string;
  type?: UploadType;
}

export interface LoadOptions extends Omit<FetchOptions, 'maxBytes'> {
  /** Largest document (default 100 MB). */
  maxBytes?: number;
  /** Largest .zip skill (default 20 MB). */
  maxSkillZipBytes?: number;
  /** Largest .md skill (default 100 KB). */
  maxSkillMdBytes?: number;
}

interface LoadedFile {
  name: string;
  bytes: Buffer;
  sizeMB: number;
  /** The URL the file was downloaded from (after redirects), for URL content. */
  sourceUrl?: string;
}

/** Discriminated by `type`, so `ext` narrows to what parseToChunks or parseSkill accepts. */
export type LoadedUpload = (LoadedFile & { type: 'document'; ext: DocumentExt }) | (LoadedFile & { type: 'skill'; ext: SkillExt });

export const LEGACY_DOC_MESSAGE = 'legacy .doc (Word 97-2003) is not supported; save it as .docx and upload again';

interface DataUrl {
  mime?: string;
  name?: string;
  base64: string;
}

/** `data:[<type>/<subtype>][;key=value]*;base64,<data>`; anything else is a malformed prefix (40009). */
export function parseDataUrl(content: string): DataUrl {
  const bad = (why: string) =>
    new ApiError(ErrorCode.InvalidBase64Format, `malformed data URL: ${why} (expected data:<mime>;base64,<data>)`);
  const comma = content.indexOf(',');
  if (comma === -1) throw bad('no comma before the data');
  const header = content.slice(5, comma).trim();
  const params = header.split(';').map((p) => p.trim());
  if (params.length < 2 || params[params.length - 1].toLowerCase() !== 'base64') {
    throw bad('the data must be base64-encoded (";base64" before the comma)');
  }
  const mime = params[0];
  if (mime && !/^[\w.+-]+\/[\w.+-]+$/.test(mime)) throw bad(`invalid media type ${JSON.stringify(mime.slice(0, 100))}`);
  let name: string | undefined;
  for (const p of params.slice(1, -1)) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw bad(`invalid parameter ${JSON.stringify(p.slice(0, 100))}`);
    const key = p.slice(0, eq).toLowerCase();
    if (key === 'name' || key === 'filename') {
      try {
        name = decodeURIComponent(p.slice(eq + 1).replace(/^"|"$/g, ''));
      } catch {
        name = p.slice(eq + 1);
      }
    }
  }
  return { mime: mime ? mime.toLowerCase() : undefined, name, base64: content.slice(comma + 1) };
}

interface Evidence {
  ext: string;
  from: string;
}

function pickExt(bytes: Buffer, type: UploadType, declared: Evidence[]): Evidence {
  const magic = magicType(bytes);
  const first = declared[0];
  // A ".docx" that is a plain zip stays "docx" so the parser can say it is not a valid Word file.
  if (magic === 'zip' && first?.ext === 'docx') return first;
  if (magic) return { ext: magic, from: 'the file content' };
  if (first) return first;
  const sniffed = sniffText(bytes);
  if (type === 'skill' && sniffed !== 'bin') return { ext: 'md', from: 'the file content' };
  return { ext: sniffed, from: 'the file content' };
}

function unsupported(ext: string, from: string, type: UploadType): ApiError {
  const what = ext === 'bin' ? 'unrecognised binary file' : `unsupported file type ".${ext}" (from ${from})`;
  if (type === 'skill') {
    const archive = ['rar', '7z', 'gz', 'tar', 'bz2', 'xz'].includes(ext) ? '; only standard .zip archives are accepted' : '';
    return new ApiError(ErrorCode.UnsupportedFileType, `${what}: a skill must be one of ${SKILL_EXTS.join(', ')}${archive}`);
  }
  if (ext === 'doc') return new ApiError(ErrorCode.UnsupportedFileType, LEGACY_DOC_MESSAGE);
  if (ext === 'ole') {
    return new ApiError(ErrorCode.UnsupportedFileType, 'an Office 97-2003 file that is not a Word document is not supported');
  }
  return new ApiError(ErrorCode.UnsupportedFileType, `${what}: documents must be one of ${DOCUMENT_EXTS.join(', ')}`);
}

function urlBaseName(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text that cannot be base64: base64 (even line-wrapped) never holds a space or a non-ASCII character, and
 * prose nearly always does. Anything else still goes through the base64 checks and their 40008/40009 codes.
 */
const isPlainText = (content: string) => / /.test(content) || /[^\x00-\x7f]/.test(content);

export async function loadUpload(item: UploadItem, opts: LoadOptions = {}): Promise<LoadedUpload> {
  const type: UploadType = item.type ?? 'document';
  if (type !== 'document' && type !== 'skill') {
    throw new ApiError(ErrorCode.UnsupportedType, `unknown file type ${JSON.stringify(type)}: use "document" or "skill"`);
  }
  const content = typeof item.content === 'string' ? item.content.trim() : '';
  if (!content) throw new ApiError(ErrorCode.RequiredEmpty, 'file content is empty');

  const maxDoc = opts.maxBytes ?? LIMITS.maxFileBytes;
  const maxZip = opts.maxSkillZipBytes ?? LIMITS.maxSkillZipBytes;
  const maxMd = opts.maxSkillMdBytes ?? LIMITS.maxSkillMdBytes;
  // Before the type is known, only the largest cap that could apply can be enforced.
  const cap = type === 'skill' ? Math.max(maxZip, maxMd) : maxDoc;
  const tooLarge = (limit: number, what = 'file') =>
    new ApiError(ErrorCode.FileTooLarge, `${what} larger than ${formatBytes(limit)}`);

  const givenName = item.name?.trim() || undefined;
  const declared: Evidence[] = [];
  const declare = (ext: string | undefined, from: string) => {
    if (ext) declared.push({ ext, from });
  };
  declare(extFromName(givenName), `the name "${givenName}"`);

  let bytes: Buffer;
  let name = givenName;
  let sourceUrl: string | undefined;

  if (/^https?:\/\//i.test(content)) {
    const got = await fetchDocument(content, { ...opts, maxBytes: cap });
    bytes = got.bytes;
    sourceUrl = got.url;
    const urlName = urlBaseName(got.url);
    declare(extFromName(got.fileName), 'the Content-Disposition file name');
    declare(extFromName(urlName), 'the URL path');
    // text/plain is what many servers say about anything; for a skill it must not outvote ".md".
    const mimeExt = extFromMime(got.contentType);
    if (!(type === 'skill' && mimeExt === 'txt')) declare(mimeExt, `the Content-Type "${got.contentType}"`);
    name ??= got.fileName ?? urlName;
  } else if (/^data:/i.test(content)) {
    const data = parseDataUrl(content);
    declare(extFromName(data.name), `the data URL name "${data.name}"`);
    const mimeExt = extFromMime(data.mime);
    if (!(type === 'skill' && mimeExt === 'txt')) declare(mimeExt, `the data URL type "${data.mime}"`);
    if (decodedLength(data.base64) > cap) throw tooLarge(cap);
    bytes = decodeBase64(data.base64, 'data URL content');
    name ??= data.name;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(content)) {
    throw new ApiError(ErrorCode.InvalidParams, `only http and https URLs can be fetched: ${content.slice(0, 200)}`);
  } else if (isPlainText(content)) {
    // The document itself, as text (what the MemOS CLI and MCP examples send); it keeps its own line breaks.
    const text = item.content;
    if (Buffer.byteLength(text, 'utf8') > cap) throw tooLarge(cap);
    bytes = Buffer.from(text, 'utf8');
  } else {
    if (decodedLength(content) > cap) throw tooLarge(cap);
    try {
      bytes = decodeBase64(content);
    } catch (err) {
      // A URL without its scheme fails as base64 on its first dot; say what was probably meant.
      if (err instanceof ApiError && /^[\w-]+(\.[\w-]+)+(:\d+)?\//.test(content)) {
        throw new ApiError(err.code, `${err.message}; URLs must start with http:// or https://`);
      }
      throw err;
    }
  }

  if (bytes.length === 0) throw new ApiError(ErrorCode.RequiredEmpty, 'file content is empty');
  const picked = pickExt(bytes, type, declared);
  const ext = picked.ext;
  const base = { bytes, sizeMB: toSizeMB(bytes.length), ...(sourceUrl ? { sourceUrl } : {}) };
  if (type === 'skill') {
    if (!isSkillExt(ext)) throw unsupported(ext, picked.from, type);
    if (ext === 'zip' && bytes.length > maxZip) throw tooLarge(maxZip, 'skill .zip');
    if (ext === 'md' && bytes.length > maxMd) throw tooLarge(maxMd, 'skill .md');
    return { ...base, type, ext, name: name || (ext === 'md' ? 'SKILL.md' : 'skill.zip') };
  }
  if (!isDocumentExt(ext) || ext === 'doc') throw unsupported(ext, picked.from, type);
  if (bytes.length > maxDoc) throw tooLarge(maxDoc);
  return { ...base, type, ext, name: name || `document.${ext}` };
}
