/**
 * Reading zip archives without trusting them. The central directory is read first, so entry counts and
 * declared sizes are checked before anything is inflated; when an entry is inflated, yauzl compares the
 * output with the declared size and stops a stream that runs past it, so a lying header cannot become a
 * zip bomb either. yauzl also refuses absolute and "../" entry names.
 */
import yauzl from 'yauzl';
import { ApiError, ErrorCode } from '../errors';

export interface ZipEntryInfo {
  /** Path inside the archive, "/"-separated; directories end with "/". */
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
  encrypted: boolean;
}

export interface ZipArchive {
  entries: ZipEntryInfo[];
  /** Inflates one entry; fails with 50104 past `maxBytes` (checked on the declared size first). */
  read(name: string, maxBytes: number): Promise<Buffer>;
  close(): void;
}

export interface OpenZipOptions {
  /** Refuse archives whose central directory lists more entries than this (50103). */
  maxEntries?: number;
  /** Message for that refusal, given the entry count. */
  tooManyMessage?: (count: number) => string;
  /** Names the archive in messages ("skill .zip", "DOCX"). */
  what?: string;
}

const invalidZip = (what: string, why: string) => new ApiError(ErrorCode.InvalidFileFormat, `${what} is not a valid zip archive: ${why}`);

export async function openZip(bytes: Buffer, opts: OpenZipOptions = {}): Promise<ZipArchive> {
  const what = opts.what ?? 'file';
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, z) =>
        err ? reject(err) : resolve(z),
      ),
    );
  } catch (err) {
    throw invalidZip(what, (err as Error).message);
  }
  if (opts.maxEntries !== undefined && zip.entryCount > opts.maxEntries) {
    zip.close();
    const count = zip.entryCount;
    throw new ApiError(ErrorCode.TooManyFiles, opts.tooManyMessage?.(count) ?? `${what} lists ${count} entries; at most ${opts.maxEntries} are allowed`);
  }

  const list: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        list.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw invalidZip(what, (err as Error).message);
  }

  const raw = new Map(list.map((e) => [e.fileName, e]));
  const entries: ZipEntryInfo[] = list.map((e) => ({
    name: e.fileName,
    isDirectory: e.fileName.endsWith('/'),
    compressedSize: e.compressedSize,
    uncompressedSize: e.uncompressedSize,
    encrypted: e.isEncrypted(),
  }));

  const read = async (name: string, maxBytes: number): Promise<Buffer> => {
    const entry = raw.get(name);
    if (!entry) throw new ApiError(ErrorCode.InvalidFileFormat, `${what} has no entry ${name}`);
    if (entry.uncompressedSize > maxBytes) {
      throw new ApiError(ErrorCode.FileTooLarge, `${name} in the ${what} is larger than the limit (${entry.uncompressedSize} > ${maxBytes} bytes)`);
    }
    if (entry.isEncrypted()) throw new ApiError(ErrorCode.InvalidFileFormat, `${name} in the ${what} is encrypted`);
    try {
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
      );
      const parts: Buffer[] = [];
      for await (const chunk of stream) parts.push(chunk as Buffer);
      return Buffer.concat(parts);
    } catch (err) {
      throw new ApiError(ErrorCode.InvalidFileFormat, `${name} in the ${what} cannot be extracted: ${(err as Error).message}`);
    }
  };

  return { entries, read, close: () => zip.close() };
}
