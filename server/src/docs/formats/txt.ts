/** Plain text: one section; the chunker finds the paragraphs. */
import type { Section } from '../types';

export function parseTxt(text: string): Section[] {
  const body = text.replace(/\r\n?/g, '\n').trim();
  return body ? [{ headingPath: [], text: body }] : [];
}
