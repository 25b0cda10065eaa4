/**
 * Uploaded skills (contract §3.12, §4.12): a SKILL.md, alone or at the top level of a standard zip.
 * SKILL.md = YAML front matter with `name` and `description`, then Markdown whose sections Procedure,
 * Experience, User Preferences, Examples and Additional Information are picked out (English or Chinese titles).
 *
 * Error codes, by what went wrong:
 *   50104  a size limit: .md > 100 KB, .zip > 20 MB, an entry > 10 MB (declared size, checked before inflating),
 *          SKILL.md inside the zip > 100 KB;
 *   50103  more than 200 files in the zip (the contract's "file count over limit");
 *   50107  the bytes do not parse: not a zip, corrupt or encrypted entries, unsafe entry paths, invalid YAML;
 *   40000  well-formed, but not a skill: no SKILL.md at the top level, no front matter, no name or description.
 */
import { parse as parseYaml } from 'yaml';
import { ApiError, ErrorCode } from '../errors';
import { LIMITS, formatBytes, type SkillExt } from './limits';
import { decodeText } from './text';
import { openZip } from './zip';

export interface SkillSections {
  procedure?: string;
  experience?: string;
  userPreferences?: string;
  examples?: string;
  additionalInformation?: string;
}

export interface ParsedSkill {
  name: string;
  description: string;
  /** SKILL.md without its front matter. */
  body: string;
  sections: SkillSections;
  /** Every file of the skill ("SKILL.md" for a .md skill), directories left out. */
  files: string[];
  /** Front-matter keys other than name and description (license, version, tags...). */
  metadata: Record<string, unknown>;
}

export interface SkillOptions {
  maxMdBytes?: number;
  maxZipBytes?: number;
  maxFiles?: number;
  maxEntryBytes?: number;
}

const SECTION_TITLES: [keyof SkillSections, RegExp][] = [
  ['procedure', /^(procedures?|steps|workflow|步骤|流程|操作步骤|执行步骤)$/i],
  ['experience', /^(experiences?|lessons( learned)?|经验|经验总结)$/i],
  ['userPreferences', /^(user preferences?|preferences|用户偏好|偏好)$/i],
  ['examples', /^(examples?|示例|例子|范例|样例)$/i],
  ['additionalInformation', /^(additional information|additional info|notes|附加信息|补充信息|其他信息|其它信息)$/i],
];

const invalid = (message: string) => new ApiError(ErrorCode.InvalidParams, message);

export async function parseSkill(bytes: Buffer, ext: SkillExt, opts: SkillOptions = {}): Promise<ParsedSkill> {
  const maxMd = opts.maxMdBytes ?? LIMITS.maxSkillMdBytes;
  if (ext === 'md') {
    if (bytes.length > maxMd) throw new ApiError(ErrorCode.FileTooLarge, `skill .md larger than ${formatBytes(maxMd)}`);
    return { ...parseSkillMarkdown(decodeText(bytes, 'skill .md')), files: ['SKILL.md'] };
  }
  if (ext === 'zip') return parseSkillZip(bytes, opts);
  throw new ApiError(ErrorCode.UnsupportedFileType, `unsupported skill file type ".${String(ext)}": a skill is a .md file or a .zip archive`);
}

async function parseSkillZip(bytes: Buffer, opts: SkillOptions): Promise<ParsedSkill> {
  const maxZip = opts.maxZipBytes ?? LIMITS.maxSkillZipBytes;
  const maxFiles = opts.maxFiles ?? LIMITS.maxSkillZipFiles;
  const maxEntry = opts.maxEntryBytes ?? LIMITS.maxSkillZipEntryBytes;
  const maxMd = opts.maxMdBytes ?? LIMITS.maxSkillMdBytes;
  if (bytes.length > maxZip) throw new ApiError(ErrorCode.FileTooLarge, `skill .zip larger than ${formatBytes(maxZip)}`);

  // Directories are entries too, so the directory may list a few more entries than files; allow for that
  // here and count files exactly below.
  const zip = await openZip(bytes, {
    what: 'skill .zip',
    maxEntries: maxFiles * 2 + 100,
    tooManyMessage: (count) => `skill .zip lists ${count} entries; at most ${maxFiles} files are allowed`,
  });
  try {
    const files = zip.entries.filter((e) => !e.isDirectory);
    if (files.length > maxFiles) {
      throw new ApiError(ErrorCode.TooManyFiles, `skill .zip holds ${files.length} files; at most ${maxFiles} are allowed`);
    }
    const big = files.find((e) => e.uncompressedSize > maxEntry);
    if (big) {
      throw new ApiError(
        ErrorCode.FileTooLarge,
        `${big.name} in the skill .zip is ${formatBytes(big.uncompressedSize)} once extracted; each file must be at most ${formatBytes(maxEntry)}`,
      );
    }
    const encrypted = files.find((e) => e.encrypted);
    if (encrypted) throw new ApiError(ErrorCode.InvalidFileFormat, `${encrypted.name} in the skill .zip is encrypted`);

    const skillMd = files.find((e) => e.name === 'SKILL.md') ?? files.find((e) => e.name.toLowerCase() === 'skill.md');
    if (!skillMd) {
      const nested = files.find((e) => /(^|\/)skill\.md$/i.test(e.name));
      throw invalid(
        nested
          ? `SKILL.md must be at the top level of the skill .zip, not at ${nested.name}; zip the folder's contents rather than the folder`
          : 'the skill .zip has no SKILL.md at its top level',
      );
    }
    if (skillMd.uncompressedSize > maxMd) {
      throw new ApiError(ErrorCode.FileTooLarge, `SKILL.md in the skill .zip is larger than ${formatBytes(maxMd)}`);
    }
    const text = decodeText(await zip.read(skillMd.name, maxMd), 'SKILL.md');
    return { ...parseSkillMarkdown(text), files: files.map((e) => e.name) };
  } finally {
    zip.close();
  }
}

/** Front matter + sections of one SKILL.md. */
export function parseSkillMarkdown(text: string): Omit<ParsedSkill, 'files'> {
  const source = text.replace(/^\uFEFF/, '');
  const fm = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source);
  if (!fm) throw invalid('SKILL.md must start with YAML front matter (between "---" lines) holding name and description');
  let meta: unknown;
  try {
    meta = parseYaml(fm[1]);
  } catch (err) {
    throw new ApiError(ErrorCode.InvalidFileFormat, `SKILL.md front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) {
    throw invalid('SKILL.md front matter must be a YAML mapping with name and description');
  }
  const { name, description, ...metadata } = meta as Record<string, unknown>;
  const field = (value: unknown, key: string): string => {
    const s = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
    if (!s) throw invalid(`SKILL.md front matter must include a non-empty "${key}"`);
    return s;
  };
  const body = source.slice(fm[0].length).replace(/^\s*\n/, '').trimEnd();
  return { name: field(name, 'name'), description: field(description, 'description'), body, sections: skillSections(body), metadata };
}

/** Text under each recognised heading, down to the next heading of the same or a higher level. */
export function skillSections(body: string): SkillSections {
  const sections: SkillSections = {};
  const lines = body.split(/\r?\n/);
  let current: { key: keyof SkillSections; level: number; lines: string[] } | undefined;
  let fence: string | undefined;
  const flush = () => {
    if (current && !sections[current.key]) {
      const text = current.lines.join('\n').trim();
      if (text) sections[current.key] = text;
    }
    current = undefined;
  };
  for (const line of lines) {
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark && (!fence || fenceMark.startsWith(fence))) fence = fence ? undefined : fenceMark;
    const heading = fence || fenceMark ? undefined : /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const title = heading[2].replace(/[*_`]/g, '').replace(/[:：]\s*$/, '').trim();
      const key = SECTION_TITLES.find(([, re]) => re.test(title))?.[0];
      if (current && level <= current.level) flush();
      if (key && !current) {
        current = { key, level, lines: [] };
        continue;
      }
    }
    current?.lines.push(line);
  }
  flush();
  return sections;
}
