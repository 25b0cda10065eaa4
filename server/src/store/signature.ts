/**
 * A memory's value signature: its kind and its text with case, spacing and punctuation normalised, hashed to a
 * short key. Refinement asks the store which of its new memories' signatures the user already has (an indexed
 * lookup), instead of reading the user's memories to compare texts, so its cost does not grow with the user.
 */
import { createHash } from 'node:crypto';

export const normaliseValue = (s: string) => s.toLowerCase().replace(/[\s\p{P}]+/gu, ' ').trim();

export function valueSignature(kind: string, value: string): string {
  return createHash('sha1').update(`${kind}|${normaliseValue(value)}`).digest('base64url').slice(0, 16);
}
