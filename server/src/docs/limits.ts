/**
 * The document limits of contract §3.12, and the extensions each upload type accepts.
 * Callers may pass smaller caps (tests do); nothing here reads the environment.
 */

export const MB = 1024 * 1024;
export const KB = 1024;

export const DOCUMENT_EXTS = ['pdf', 'docx', 'doc', 'txt', 'json', 'md', 'xml'] as const;
export const SKILL_EXTS = ['md', 'zip'] as const;

export type DocumentExt = (typeof DOCUMENT_EXTS)[number];
export type SkillExt = (typeof SKILL_EXTS)[number];
export type UploadType = 'document' | 'skill';

export const LIMITS = {
  /** One document file (50104). */
  maxFileBytes: 100 * MB,
  /** Pages in one PDF (50104). */
  maxPdfPages: 500,
  /** A `.md` skill, and SKILL.md inside a zip skill. */
  maxSkillMdBytes: 100 * KB,
  /** A `.zip` skill as uploaded. */
  maxSkillZipBytes: 20 * MB,
  /** Files inside a zip skill once extracted. */
  maxSkillZipFiles: 200,
  /** Each extracted file of a zip skill. */
  maxSkillZipEntryBytes: 10 * MB,
  /** Whole download, redirects included. */
  fetchTimeoutMs: 20_000,
  maxRedirects: 5,
  /** Target chunk size in characters. */
  chunkChars: 800,
} as const;

export function isDocumentExt(ext: string): ext is DocumentExt {
  return (DOCUMENT_EXTS as readonly string[]).includes(ext);
}

export function isSkillExt(ext: string): ext is SkillExt {
  return (SKILL_EXTS as readonly string[]).includes(ext);
}

/** "100 MB", "20 MB", "100 KB", "512 bytes": limits read better in the unit they were set in. */
export function formatBytes(n: number): string {
  const unit = (v: number, name: string) => `${Number.isInteger(v) ? v : Number(v.toFixed(2))} ${name}`;
  if (n >= MB) return unit(n / MB, 'MB');
  if (n >= KB) return unit(n / KB, 'KB');
  return `${n} bytes`;
}

/** `sizeMB` as the upload response reports it: a number, two decimals, never 0 for a non-empty file. */
export function toSizeMB(bytes: number): number {
  if (bytes === 0) return 0;
  return Math.max(0.01, Math.round((bytes / MB) * 100) / 100);
}
