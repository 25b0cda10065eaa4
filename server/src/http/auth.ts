/**
 * `Authorization: Token <key>` (contract §1.2); `Bearer <key>` is accepted too. Keys are looked up by hash and
 * cached briefly, so a key revoked from the CLI stops working within a few seconds without a restart.
 */
import { ApiError, ErrorCode } from '../errors';
import type { Store } from '../store/types';
import type { Caller } from '../engine/context';
import { hashKey } from './keys';

const CACHE_MS = 3000;

export class Authenticator {
  private readonly cache = new Map<string, { caller: Caller | null; at: number }>();

  constructor(private readonly store: Store) {}

  async authenticate(header: string | undefined): Promise<Caller> {
    if (!header || !header.trim()) throw new ApiError(ErrorCode.ApiKeyRequired, 'missing Authorization header; send "Authorization: Token <your API key>"');
    const m = header.trim().match(/^(Token|Bearer)\s+(\S+)$/i);
    if (!m) throw new ApiError(ErrorCode.ApiKeyRequired, 'the Authorization header must be "Token <your API key>"');
    const hash = hashKey(m[2]);
    const now = Date.now();
    let hit = this.cache.get(hash);
    if (!hit || now - hit.at > CACHE_MS) {
      const rec = await this.store.findKeyByHash(hash);
      hit = { caller: rec && !rec.revokedTime ? { projectId: rec.projectId, ...(rec.readOnly ? { readOnly: true } : {}) } : null, at: now };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, hit);
    }
    if (!hit.caller) throw new ApiError(ErrorCode.InvalidApiKey, 'the API key is unknown, revoked or expired');
    return hit.caller;
  }
}
