/**
 * The code that runs pdf.js, as source text for a worker thread (`new Worker(source, {eval: true})`).
 *
 * Why a worker: pdf.js ships only as ES modules, which this CommonJS package can load with a native
 * dynamic import() — and a worker is a plain Node context where that always works, including under test
 * runners that sandbox require(). It also keeps a long parse off the server's event loop and lets the
 * caller bound its memory (resourceLimits) and time (terminate).
 *
 * Protocol: workerData {pdfjsUrl, standardFontDataUrl, cMapUrl, data, maxPages}; the worker posts
 * {type:'pages', count} once, then {type:'page', num, lines} per page, then {type:'done'};
 * or {type:'error', name, message}. It stops after 'pages' when count > maxPages.
 * A line is {text, size, y, x}: its text, largest font size, baseline and left edge.
 */
export const PDF_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

function toLines(items) {
  const lines = [];
  let cur = null;
  let endX = 0;
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const size = Math.hypot(item.transform[2], item.transform[3]) || item.height || 0;
    const x = item.transform[4];
    const y = item.transform[5];
    if (item.str.length > 0) {
      const sameLine = cur && Math.abs(y - cur.y) <= Math.max(size, cur.size) * 0.5;
      if (!sameLine) {
        if (cur) lines.push(cur);
        cur = { text: '', size: 0, y, x };
        endX = x;
      }
      const gap = x - endX;
      if (cur.text && gap > Math.max(size, 1) * 0.15 && !/\s$/.test(cur.text) && !/^\s/.test(item.str)) cur.text += ' ';
      cur.text += item.str;
      if (item.str.trim()) cur.size = Math.max(cur.size, size);
      endX = x + (item.width || 0);
    }
    if (item.hasEOL && cur) {
      lines.push(cur);
      cur = null;
    }
  }
  if (cur) lines.push(cur);
  return lines
    .map((l) => ({ text: l.text.replace(/\s+/g, ' ').trim(), size: Math.round(l.size * 10) / 10, y: l.y, x: l.x }))
    .filter((l) => l.text);
}

(async () => {
  const pdfjs = await import(workerData.pdfjsUrl);
  const task = pdfjs.getDocument({
    data: workerData.data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: 0,
    standardFontDataUrl: workerData.standardFontDataUrl,
    cMapUrl: workerData.cMapUrl,
    cMapPacked: true,
  });
  const doc = await task.promise;
  parentPort.postMessage({ type: 'pages', count: doc.numPages });
  if (doc.numPages > workerData.maxPages) {
    await doc.destroy();
    return;
  }
  for (let num = 1; num <= doc.numPages; num++) {
    const page = await doc.getPage(num);
    const content = await page.getTextContent();
    parentPort.postMessage({ type: 'page', num, lines: toLines(content.items) });
    page.cleanup();
  }
  await doc.destroy();
  parentPort.postMessage({ type: 'done' });
})().catch((err) => {
  parentPort.postMessage({ type: 'error', name: (err && err.name) || 'Error', message: String((err && err.message) || err) });
});
`;
