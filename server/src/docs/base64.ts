/**
 * Strict base64 decoding. Buffer.from(x, 'base64') silently skips bad characters and stops at stray '=',
 * which would turn a damaged upload into a damaged document; here every defect gets its contract code:
 * 40008 for illegal characters or a truncated string, 40009 for misplaced or excess '=' padding.
 */
import { ApiError, ErrorCode } from '../errors';

const WHITESPACE = /\s+/g;
const ILLEGAL = /[^A-Za-z0-9+/=_-]/;

/** Bytes the string decodes to, computed without decoding (so oversize uploads are refused cheaply). */
export function decodedLength(b64: string): number {
  const s = b64.replace(WHITESPACE, '');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor(((s.length - pad) * 3) / 4);
}

/**
 * Both the standard and the URL-safe alphabet are accepted (not mixed) and line breaks are ignored. Standard
 * base64 must carry its '=' padding (the contract's 40009): an unpadded string is as likely cut short as
 * deliberately unpadded. The URL-safe alphabet is the exception, since it is written without padding by
 * convention (RFC 4648 §5, JWT). A length that no encoding can produce is a truncation (40008).
 */
export function decodeBase64(input: string, what = 'base64 content'): Buffer {
  const s = input.replace(WHITESPACE, '');
  if (s.length === 0) throw new ApiError(ErrorCode.InvalidBase64Content, `${what} is empty`);
  const bad = ILLEGAL.exec(s);
  if (bad) {
    throw new ApiError(
      ErrorCode.InvalidBase64Content,
      `${what} has an illegal character ${JSON.stringify(bad[0])} at position ${bad.index}`,
    );
  }
  if (/[+/]/.test(s) && /[-_]/.test(s)) {
    throw new ApiError(ErrorCode.InvalidBase64Content, `${what} mixes the standard (+/) and URL-safe (-_) alphabets`);
  }
  const firstPad = s.indexOf('=');
  const body = firstPad === -1 ? s : s.slice(0, firstPad);
  if (firstPad !== -1) {
    const padding = s.slice(firstPad);
    if (!/^=+$/.test(padding)) {
      throw new ApiError(ErrorCode.InvalidBase64Format, `${what} has '=' padding before its end (position ${firstPad})`);
    }
    if (padding.length > 2 || s.length % 4 !== 0) {
      throw new ApiError(
        ErrorCode.InvalidBase64Format,
        `${what} has bad padding: ${padding.length} '=' for a length of ${s.length} (must be a multiple of 4)`,
      );
    }
  }
  if (body.length % 4 === 1) {
    throw new ApiError(ErrorCode.InvalidBase64Content, `${what} is truncated: ${body.length} characters cannot be valid base64`);
  }
  const urlSafe = /[-_]/.test(body);
  if (firstPad === -1 && body.length % 4 !== 0 && !urlSafe) {
    throw new ApiError(
      ErrorCode.InvalidBase64Format,
      `${what} is missing its '=' padding: ${body.length} characters need ${4 - (body.length % 4)} '=' to make a multiple of 4`,
    );
  }
  return Buffer.from(body, urlSafe ? 'base64url' : 'base64');
}
