/**
 * Knowledge-base ingestion speed through memos-lite's public API: documents are uploaded as base64 with
 * /add/knowledgebase-file and timed until every file is `completed` (parsed, chunked, indexed, searchable).
 *
 *   npx tsc -p bench/tsconfig.json && node bench/dist/ingest.js [--text-mb 40] [--pdf-pages 400] [--files 4] [--out results.json]
 *
 * Two corpora, generated deterministically so runs compare: Markdown prose with headings (`--text-mb` in all),
 * and PDFs drawn with pdf-lib (`--pdf-pages` in all, about 3 KB of text per page). Each corpus is split into
 * `--files` files sent in one call. Reported: the upload call (decode + store), the processing until the last
 * file completes, the total, MB/s over the uploaded bytes, chunks, and one search over the result.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import fs from 'node:fs';
import { numberFlag, rng, stringFlag } from './lib/args';
import { client, rssMb, startServer, type Call } from './lib/server';
import { ms, table } from './lib/stats';

const MB = 1024 * 1024;

const args = () => ({ textMb: numberFlag('text-mb', 40), pdfPages: numberFlag('pdf-pages', 400), files: numberFlag('files', 4), out: stringFlag('out') });

const WORDS = (
  'policy employee office software reimbursement limit approval manager travel hotel flight train budget invoice receipt ' +
  'laptop proxy network password security badge visitor printer meeting room calendar holiday leave salary payroll tax ' +
  'contract supplier purchase order delivery warehouse inventory customer refund return warranty support ticket incident ' +
  'server database backup release deployment review design development analysis report quarter revenue cost forecast ' +
  'training onboarding handbook guideline procedure request form deadline signature department team project milestone ' +
  'the a of to in for on with by from at is are be must should may can will within after before each every all any'
).split(' ');

function sentence(r: () => number): string {
  const n = 8 + Math.floor(r() * 14);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return words.join(' ') + (r() < 0.1 ? ` ${Math.floor(r() * 5000)} yuan.` : '.');
}

/** Markdown with a heading every few paragraphs, as handbooks and policies are written. */
function markdown(bytes: number, seed: number): string {
  const r = rng(seed);
  const parts: string[] = ['# Company handbook\n'];
  let size = parts[0].length;
  let section = 0;
  while (size < bytes) {
    const p = r() < 0.15 ? `\n## Section ${++section}: ${WORDS[Math.floor(r() * 60)]}\n` : '\n' + Array.from({ length: 3 + Math.floor(r() * 4) }, () => sentence(r)).join(' ') + '\n';
    parts.push(p);
    size += Buffer.byteLength(p);
  }
  return parts.join('');
}

async function pdf(pages: number, seed: number): Promise<Buffer> {
  const r = rng(seed);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    let y = 790;
    page.drawText(`Chapter ${p + 1}`, { x: 50, y, size: 18, font: bold });
    y -= 30;
    while (y > 60) {
      let line = '';
      while (line.length < 85) line += WORDS[Math.floor(r() * WORDS.length)] + ' ';
      page.drawText(line.trim(), { x: 50, y, size: 10, font });
      y -= 14;
      if (r() < 0.12) y -= 8;
    }
  }
  return Buffer.from(await doc.save());
}

interface Result {
  corpus: string;
  files: number;
  mb: number;
  uploadMs: number;
  processMs: number;
  totalMs: number;
  chunks: number;
  searchMs: number;
  rssMb: number;
}

async function ingest(call: Call, pid: number, corpus: string, files: Array<{ name: string; bytes: Buffer }>, query: string): Promise<Result> {
  const kb = (await call('/create/knowledgebase', { knowledgebase_name: corpus })).id as string;
  const body = { knowledgebase_id: kb, file: files.map((f) => ({ name: f.name, content: f.bytes.toString('base64') })) };
  const t0 = performance.now();
  const uploaded = (await call('/add/knowledgebase-file', body)) as Array<{ id: string }>;
  const t1 = performance.now();
  const ids = uploaded.map((f) => f.id);
  let detail: any[] = [];
  for (;;) {
    detail = (await call('/get/knowledgebase-file', { file_ids: ids })).file_detail_list;
    if (detail.every((f) => f.status !== 'running')) break;
    await new Promise((res) => setTimeout(res, 20));
  }
  const t2 = performance.now();
  const failed = detail.filter((f) => f.status !== 'completed');
  if (failed.length) throw new Error(`${corpus}: ${failed.length} files failed: ${failed[0].error}`);
  const s0 = performance.now();
  await call('/search/memory', { user_id: 'bench', query, knowledgebase_ids: [kb] });
  const searchMs = performance.now() - s0;
  return {
    corpus,
    files: files.length,
    mb: files.reduce((n, f) => n + f.bytes.length, 0) / MB,
    uploadMs: t1 - t0,
    processMs: t2 - t1,
    totalMs: t2 - t0,
    chunks: detail.reduce((n, f) => n + (f.chunk_count ?? 0), 0),
    searchMs,
    rssMb: rssMb(pid),
  };
}

async function main() {
  const o = args();
  process.stderr.write(`generating ${o.textMb} MB of Markdown and ${o.pdfPages} PDF pages in ${o.files} files each...\n`);
  const text = Array.from({ length: o.files }, (_, i) => ({ name: `handbook-${i + 1}.md`, bytes: Buffer.from(markdown((o.textMb * MB) / o.files, i + 1)) }));
  const pdfs: Array<{ name: string; bytes: Buffer }> = [];
  for (let i = 0; i < o.files; i++) pdfs.push({ name: `report-${i + 1}.pdf`, bytes: await pdf(Math.ceil(o.pdfPages / o.files), 100 + i) });

  const server = await startServer({ env: { MEMOS_LOG_LEVEL: 'warn' } });
  try {
    const call = client(server);
    const pid = server.proc.pid!;
    const results = [
      await ingest(call, pid, 'markdown', text, 'What is the approval limit for software purchases?'),
      await ingest(call, pid, 'pdf', pdfs, 'What is the travel hotel policy?'),
    ];
    const rows = results.map((r) => [
      r.corpus,
      r.files,
      r.mb.toFixed(1),
      ms(r.uploadMs),
      ms(r.processMs),
      ms(r.totalMs),
      (r.mb / (r.totalMs / 1000)).toFixed(2),
      r.chunks,
      ms(r.searchMs),
      r.rssMb.toFixed(0),
    ]);
    process.stdout.write(
      table(['corpus', 'files', 'MB', 'upload ms', 'processing ms', 'total ms', 'MB/s', 'chunks', 'search ms', 'server RSS MB'], rows) + '\n',
    );
    if (o.pdfPages) {
      const p = results[1];
      process.stdout.write(`PDF: ${o.pdfPages} pages in ${ms(p.totalMs)} ms = ${(o.pdfPages / (p.totalMs / 1000)).toFixed(1)} pages/s\n`);
    }
    if (o.out) fs.writeFileSync(o.out, JSON.stringify({ options: o, node: process.version, results }, null, 2));
  } finally {
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
