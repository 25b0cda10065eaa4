/**
 * Server-side request forgery guard for document URLs: a URL may only lead to a public unicast address.
 * Only ipaddr.js's "unicast" range passes, so loopback, private, link-local, unique-local, multicast,
 * unspecified, carrier-grade NAT, reserved and documentation ranges, and the IPv6 forms that embed an IPv4
 * address (mapped, compatible, 6to4, Teredo, NAT64) are all refused.
 */
import dns from 'node:dns';
import ipaddr from 'ipaddr.js';
import { ApiError, ErrorCode } from '../errors';

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The range name of a non-public address ("loopback", "private", ...), or undefined when it is public. */
export function blockedRange(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return 'invalid';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d; judge it as that address.
    if (v6.isIPv4MappedAddress()) {
      const inner = blockedRange(v6.toIPv4Address().toString());
      return inner && `IPv4-mapped ${inner}`;
    }
  }
  const range = parsed.range();
  if (range !== 'unicast') return range;
  // The deprecated IPv4-compatible form ::a.b.c.d, which ipaddr.js files under unicast.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((x) => x === 0)) return 'IPv4-compatible';
  return undefined;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Resolves the URL's host (every address, both families) and throws 40000 unless all of them are public.
 * Checking every address matters: a name with one public and one loopback record would otherwise pass
 * here and still be connected to loopback by fetch.
 */
export async function assertPublicHost(url: URL, lookup: LookupAll = systemLookup): Promise<void> {
  const host = hostOf(url);
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ApiError(ErrorCode.InvalidParams, `cannot fetch ${url.href}: host ${host} does not resolve (${code})`);
    }
    if (addresses.length === 0) {
      throw new ApiError(ErrorCode.InvalidParams, `cannot fetch ${url.href}: host ${host} has no address`);
    }
  }
  for (const address of addresses) {
    const range = blockedRange(address);
    if (range) {
      const via = address === host ? '' : ` (${host} resolves to ${address})`;
      throw new ApiError(
        ErrorCode.InvalidParams,
        `refusing to fetch ${url.href}: ${address} is a ${range} address${via}; only public addresses are allowed`,
      );
    }
  }
}
