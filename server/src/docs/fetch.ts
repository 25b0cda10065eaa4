/**
 * Downloads a document URL with the global fetch, within hard bounds: one deadline for the whole download
 * (redirects included), a byte cap enforced while streaming (Content-Length is only a hint), at most
 * `maxRedirects` redirects followed by hand so each hop's scheme and address are checked again, and only
 * http/https to public addresses unless `allowPrivate` is set.
 *
 * Error codes: a body over the cap is 50104 (single file too large). Every other failure — bad scheme,
 * refused address, DNS failure, connection error, timeout, HTTP error status, redirect loop or excess —
 * is 40000: the `content` URL the caller gave cannot be used, which is a parameter problem, not a
 * format one (50107 stays reserved for bytes that do not parse).
 *
 * Known limit: the address check resolves the name, then fetch resolves it again, so a DNS server that
 * changes its answer in between (rebinding) is not caught; the global fetch offers no hook to pin the
 * address it connects to.
 */
import { ApiError, ErrorCode } from '../errors';
import { assertPublicHost, type LookupAll } from './address-guard';
import { LIMITS, formatBytes } from './limits';

export interface FetchOptions {
  /** Deadline for the whole download in ms (default 20 s). */
  timeoutMs?: number;
  /** Largest body accepted (default 100 MB). */
  maxBytes?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  /** Allow loopback/private/link-local targets, for a server that fetches from its own network. */
  allowPrivate?: boolean;
  /** Name resolver used by the address check (default dns.lookup with all: true). */
  lookup?: LookupAll;
  /** Cancels the download from outside. */
  signal?: AbortSignal;
}

export interface FetchedFile {
  bytes: Buffer;
  /** The URL the bytes came from, after redirects. */
  url: string;
  contentType?: string;
  /** File name from Content-Disposition, when the server sent one. */
  fileName?: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function invalid(message: string): ApiError {
  return new ApiError(ErrorCode.InvalidParams, message);
}

export function parseHttpUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw invalid(`not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, '')}: ${url.href.slice(0, 200)}`);
  }
  return url;
}

/** Safe URL for messages: credentials in the URL stay out of logs and error envelopes. */
function shown(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

export async function fetchDocument(rawUrl: string, opts: FetchOptions = {}): Promise<FetchedFile> {
  const timeoutMs = opts.timeoutMs ?? LIMITS.fetchTimeoutMs;
  const maxBytes = opts.maxBytes ?? LIMITS.maxFileBytes;
  const maxRedirects = opts.maxRedirects ?? LIMITS.maxRedirects;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;

  let url = parseHttpUrl(rawUrl);
  const visited = new Set<string>();
  const failure = (err: unknown, at: URL): ApiError => {
    if (err instanceof ApiError) return err;
    if (deadline.aborted) return invalid(`timed out after ${timeoutMs / 1000} s fetching ${shown(at)}`);
    if (opts.signal?.aborted) return invalid(`fetching ${shown(at)} was cancelled`);
    return invalid(`cannot fetch ${shown(at)}: ${describeNetworkError(err)}`);
  };

  for (let hop = 0; ; hop++) {
    visited.add(url.href);
    let res: Response;
    try {
      if (!opts.allowPrivate) await abortable(assertPublicHost(url, opts.lookup), signal);
      res = await fetch(url, { redirect: 'manual', signal, headers: { accept: '*/*', 'user-agent': 'memos-lite' } });
    } catch (err) {
      throw failure(err, url);
    }

    if (REDIRECT_STATUSES.has(res.status)) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      if (!location) throw invalid(`HTTP ${res.status} redirect without a Location header from ${shown(url)}`);
      const next = parseHttpUrl(location, url);
      if (visited.has(next.href)) throw invalid(`redirect loop: ${shown(url)} redirects back to ${shown(next)}`);
      if (hop >= maxRedirects) throw invalid(`too many redirects (more than ${maxRedirects}) fetching ${rawUrl.slice(0, 200)}`);
      url = next;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw invalid(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${shown(url)}`);
    }

    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, url);
    }
    let bytes: Buffer;
    try {
      bytes = await readCapped(res, maxBytes, url);
    } catch (err) {
      throw failure(err, url);
    }
    return {
      bytes,
      url: url.href,
      contentType: res.headers.get('content-type') ?? undefined,
      fileName: fileNameFromDisposition(res.headers.get('content-disposition')),
    };
  }
}

function tooLarge(maxBytes: number, url: URL): ApiError {
  return new ApiError(ErrorCode.FileTooLarge, `file larger than ${formatBytes(maxBytes)}: ${shown(url)}`);
}

/** Streams the body and stops as soon as it passes the cap, so an endless or lying server costs at most maxBytes. */
async function readCapped(res: Response, maxBytes: number, url: URL): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, url);
    }
    parts.push(value);
  }
  return Buffer.concat(parts, total);
}

/** dns.lookup cannot be cancelled, so the deadline races it. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`. */
function describeNetworkError(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const x = e as { message?: string; code?: string; cause?: unknown };
    const text = x.code && !(x.message ?? '').includes(x.code) ? `${x.code} ${x.message ?? ''}`.trim() : x.message;
    if (text && text !== 'fetch failed') parts.push(text);
    e = x.cause;
  }
  return parts.join(': ') || 'network error';
}

/** RFC 6266: filename* (RFC 5987, usually UTF-8 percent-encoded) wins over the plain filename. */
export function fileNameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return baseName(decodeURIComponent(extended[2].trim().replace(/^"|"$/g, '')));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  const name = plain ? (plain[1] ?? plain[2]).replace(/\\(.)/g, '$1').trim() : '';
  return name ? baseName(name) : undefined;
}

/** A server-supplied name must not carry a path. */
function baseName(name: string): string {
  return name.split(/[\\/]/).pop() || name;
}
