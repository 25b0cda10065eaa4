/**
 * A knowledge-base file's original is kept in parts of FILE_PART_BYTES (knowledgebase_file_parts): small enough that
 * writing, reading or handing one to a worker is a short piece of the request thread, large enough that a 100 MB
 * file is a hundred rows. Uploads and imports cut files the same way, so every stored file reads alike.
 */
export const FILE_PART_BYTES = 1024 * 1024;

/** A file's original cut into its parts, in order; an empty file is one empty part. */
export function splitFileParts(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += FILE_PART_BYTES) parts.push(bytes.subarray(at, at + FILE_PART_BYTES));
  return parts.length ? parts : [bytes];
}
