/**
 * PDF → sections with pdf.js (pdfjs-dist 5, the last major that runs on Node 20), in a worker thread
 * (see pdf-worker.ts for why). pdf.js gives positioned text runs; headings are recovered from font size:
 * the size carrying most of the text is the body size, and short lines set clearly larger are headings,
 * their level ranked by size. Running headers/footers and bare page numbers are dropped; paragraphs are
 * rebuilt from line spacing. Every section carries its page number.
 *
 * Errors: over `maxPages` → 50104 (checked before any text is extracted); not a PDF, damaged, encrypted,
 * out of memory or out of time → 50107.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError, ErrorCode } from '../../errors';
import { LIMITS } from '../limits';
import type { Section } from '../types';
import { PDF_WORKER_SOURCE } from './pdf-worker';

export interface PdfOptions {
  /** Page limit (default 500). */
  maxPages?: number;
  /** Time allowed for the whole parse (default 180 s). */
  timeoutMs?: number;
  /** Heap cap of the parsing worker in MB (default 1024). */
  maxMemoryMb?: number;
}

export interface PdfLine {
  text: string;
  /** Font size in points (largest run on the line). */
  size: number;
  /** Baseline, in PDF units from the bottom of the page. */
  y: number;
  x: number;
}

export interface PdfPage {
  num: number;
  lines: PdfLine[];
}

let assets: { pdfjsUrl: string; standardFontDataUrl: string; cMapUrl: string } | undefined;

function pdfjsAssets() {
  if (!assets) {
    const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
    assets = {
      pdfjsUrl: pathToFileURL(path.join(root, 'legacy/build/pdf.mjs')).href,
      // pdf.js reads these with fs in Node and wants a trailing slash.
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      cMapUrl: path.join(root, 'cmaps') + path.sep,
    };
  }
  return assets;
}

const invalid = (message: string) => new ApiError(ErrorCode.InvalidFileFormat, message);

/** Runs pdf.js in a worker and returns the lines of every page. */
export function extractPdfLines(bytes: Buffer, opts: PdfOptions = {}): Promise<PdfPage[]> {
  const maxPages = opts.maxPages ?? LIMITS.maxPdfPages;
  const timeoutMs = opts.timeoutMs ?? 180_000;
  if (!bytes.subarray(0, 1024).includes('%PDF-')) return Promise.reject(invalid('not a valid PDF: no %PDF header'));

  const data = new Uint8Array(bytes.byteLength);
  data.set(bytes);
  const worker = new Worker(PDF_WORKER_SOURCE, {
    eval: true,
    workerData: { ...pdfjsAssets(), data, maxPages },
    transferList: [data.buffer],
    resourceLimits: { maxOldGenerationSizeMb: opts.maxMemoryMb ?? 1024 },
    stdout: true,
    stderr: true,
  });

  // pdf.js warns on stdout about fonts it substitutes; the server's log is no place for that.
  worker.stdout.resume();
  worker.stderr.resume();

  return new Promise<PdfPage[]>((resolve, reject) => {
    const pages: PdfPage[] = [];
    let settled = false;
    const finish = (err?: ApiError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (err) reject(err);
      else resolve(pages);
    };
    const timer = setTimeout(() => finish(invalid(`PDF parsing took longer than ${timeoutMs / 1000} s`)), timeoutMs);

    worker.on('message', (msg: { type: string; count?: number; num?: number; lines?: PdfLine[]; name?: string; message?: string }) => {
      if (msg.type === 'pages' && (msg.count ?? 0) > maxPages) {
        finish(new ApiError(ErrorCode.FileTooLarge, `PDF has ${msg.count} pages; the limit is ${maxPages} pages per file`));
      } else if (msg.type === 'page') {
        pages.push({ num: msg.num ?? pages.length + 1, lines: msg.lines ?? [] });
      } else if (msg.type === 'done') {
        finish();
      } else if (msg.type === 'error') {
        if (msg.name === 'PasswordException') finish(invalid('PDF is password-protected; remove the password and upload again'));
        else if (msg.name === 'InvalidPDFException') finish(invalid(`not a valid PDF: ${msg.message}`));
        else finish(invalid(`cannot read PDF: ${msg.message}`));
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(invalid(memory ? `PDF needs more than ${opts.maxMemoryMb ?? 1024} MB of memory to parse` : `cannot read PDF: ${err.message}`));
    });
    worker.on('exit', (code) => finish(invalid(`cannot read PDF: the parser stopped early (exit code ${code})`)));
  });
}

export async function parsePdf(bytes: Buffer, opts: PdfOptions = {}): Promise<Section[]> {
  return pdfLinesToSections(await extractPdfLines(bytes, opts));
}

const PAGE_NUMBER = /^(page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(\s*(of|\/)\s*\d{1,4})?$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$/i;
const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Lines at the top or bottom of most pages (titles, dates, "Page 3 of 9") are furniture, not content. */
function dropRunningLines(pages: PdfPage[]): PdfPage[] {
  const edge = (lines: PdfLine[]) => {
    const byY = [...lines].sort((a, b) => b.y - a.y);
    return new Set([...byY.slice(0, 2), ...byY.slice(-2)]);
  };
  const norm = (t: string) => t.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
  const counts = new Map<string, number>();
  const edges = pages.map((p) => edge(p.lines));
  edges.forEach((set) => new Set([...set].map((l) => norm(l.text))).forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1)));
  const running = (t: string) => pages.length >= 3 && (counts.get(norm(t)) ?? 0) >= Math.max(3, pages.length * 0.5);
  return pages.map((p, i) => ({
    num: p.num,
    lines: p.lines.filter((l) => !(edges[i].has(l) && (PAGE_NUMBER.test(l.text) || running(l.text)))),
  }));
}

/** Body size = the size set in most characters; larger sizes used on short lines rank as heading levels. */
function headingLevels(pages: PdfPage[]): Map<number, number> {
  const chars = new Map<number, number>();
  for (const p of pages) for (const l of p.lines) chars.set(l.size, (chars.get(l.size) ?? 0) + l.text.length);
  const body = [...chars.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const sizes = new Set<number>();
  for (const p of pages) for (const l of p.lines) if (isHeadingCandidate(l, body)) sizes.add(l.size);
  const ranked = [...sizes].sort((a, b) => b - a);
  return new Map(ranked.map((s, i) => [s, Math.min(i + 1, 6)]));
}

function isHeadingCandidate(l: PdfLine, body: number): boolean {
  return body > 0 && l.size >= body * 1.15 && l.text.length <= 150 && /[\p{L}\p{N}]/u.test(l.text);
}

function joinLines(a: string, b: string): string {
  if (/[A-Za-z]-$/.test(a) && /^[a-z]/.test(b)) return a.slice(0, -1) + b;
  if (CJK.test(a.slice(-1)) || CJK.test(b[0])) return a + b;
  return `${a} ${b}`;
}

export function pdfLinesToSections(rawPages: PdfPage[]): Section[] {
  const pages = dropRunningLines(rawPages);
  const levels = headingLevels(pages);
  const sections: Section[] = [];
  const stack: { level: number; title: string }[] = [];
  let paragraphs: string[] = [];
  let current = '';
  let page = 1;

  const flushParagraph = () => {
    if (current.trim()) paragraphs.push(current.trim());
    current = '';
  };
  const flushSection = (nextLevel?: number) => {
    flushParagraph();
    const headingPath = stack.map((h) => h.title);
    if (paragraphs.length) sections.push({ headingPath, text: paragraphs.join('\n\n'), page });
    else {
      const top = stack[stack.length - 1];
      const last = sections[sections.length - 1];
      const continued = last && last.headingPath.join('\u0000') === headingPath.join('\u0000');
      if (top && !continued && (nextLevel === undefined || nextLevel <= top.level)) sections.push({ headingPath, text: top.title, page });
    }
    paragraphs = [];
  };

  for (const p of pages) {
    flushSection(Infinity);
    page = p.num;
    let prev: (PdfLine & { level?: number }) | undefined;
    for (const line of p.lines) {
      const level = levels.get(line.size);
      const gap = prev ? prev.y - line.y : 0;
      if (level !== undefined) {
        // A heading that wraps onto a second line continues the same title.
        const top = stack[stack.length - 1];
        if (prev?.level === level && top && gap > 0 && gap <= line.size * 1.8) {
          top.title = joinLines(top.title, line.text);
        } else {
          flushSection(level);
          while (stack.length && stack[stack.length - 1].level >= level) stack.pop();
          stack.push({ level, title: line.text });
        }
        prev = { ...line, level };
        continue;
      }
      // Normal leading is about 1.2× the font size; clearly more, or a jump upwards (next column), ends a paragraph.
      if (prev && (prev.level !== undefined || gap > Math.max(line.size, prev.size) * 1.6 || gap < -line.size)) flushParagraph();
      current = current ? joinLines(current, line.text) : line.text;
      prev = line;
    }
  }
  flushSection();
  return sections;
}
