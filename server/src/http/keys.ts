/** API keys: random `mpg-` keys (the MemOS Cloud prefix, so clients that check it accept ours), stored hashed. */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateKey(): string {
  const bytes = randomBytes(40);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return 'mpg-' + s;
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Shown in listings instead of the key. */
export const keyPrefix = (key: string) => key.slice(0, 10) + '…';
