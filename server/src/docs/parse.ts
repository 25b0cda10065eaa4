/** Bytes of a supported document → sections, dispatching on the extension source.ts decided. */
import { ApiError, ErrorCode } from '../errors';
import { parseDocx, type DocxOptions } from './formats/docx';
import { parseJson } from './formats/json';
import { parseMarkdown } from './formats/md';
import { parsePdf, type PdfOptions } from './formats/pdf';
import { parseTxt } from './formats/txt';
import { parseXml } from './formats/xml';
import { LIMITS, formatBytes, type DocumentExt } from './limits';
import { LEGACY_DOC_MESSAGE } from './source';
import { decodeText } from './text';
import type { Section } from './types';

export interface ParseOptions extends PdfOptions, DocxOptions {
  /** Largest file accepted (default 100 MB). */
  maxBytes?: number;
}

export async function parseDocument(bytes: Buffer, ext: DocumentExt, opts: ParseOptions = {}): Promise<Section[]> {
  const maxBytes = opts.maxBytes ?? LIMITS.maxFileBytes;
  if (bytes.length > maxBytes) throw new ApiError(ErrorCode.FileTooLarge, `file larger than ${formatBytes(maxBytes)}`);
  switch (ext) {
    case 'txt':
      return parseTxt(decodeText(bytes, 'text file'));
    case 'md':
      return parseMarkdown(decodeText(bytes, 'Markdown file'));
    case 'json':
      return parseJson(decodeText(bytes, 'JSON file'));
    case 'xml':
      return parseXml(decodeText(bytes, 'XML file'));
    case 'pdf':
      return parsePdf(bytes, opts);
    case 'docx':
      return parseDocx(bytes, opts);
    case 'doc':
      throw new ApiError(ErrorCode.UnsupportedFileType, LEGACY_DOC_MESSAGE);
    default:
      throw new ApiError(ErrorCode.UnsupportedFileType, `unsupported document type ".${String(ext)}"`);
  }
}
