/**
 * Bytes → text for the plain-text formats (txt, md, json, xml, SKILL.md). UTF-8 is the norm, but files saved
 * by Chinese Windows tools are often GB18030/GBK, and Notepad writes UTF-16 with a BOM; all three are read.
 */
import { ApiError, ErrorCode } from '../errors';

/** NUL bytes never occur in real text (outside UTF-16), so a few of them in the head mean a binary file. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (hasUtf16Bom(bytes)) return false;
  const head = bytes.subarray(0, 64 * 1024);
  return head.includes(0);
}

function hasUtf16Bom(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}

export function decodeText(bytes: Uint8Array, what = 'file'): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (looksBinary(bytes)) throw new ApiError(ErrorCode.InvalidFileFormat, `${what} contains binary data, not text`);
  // TextDecoder drops a UTF-8 BOM by itself.
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // try the next encoding
    }
  }
  // Last resort: every byte sequence is valid windows-1252, so a Latin-1 era file still comes through.
  return new TextDecoder('windows-1252').decode(bytes);
}
