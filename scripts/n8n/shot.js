#!/usr/bin/env node
// Screenshot of a workflow in the n8n editor, with headless Chromium from Debian (/usr/bin/chromium).
//   node shot.js <n8nBaseUrl> <workflowId> <out.png> <email> <password>
// playwright-core is looked up in $PLAYWRIGHT_DIR (default ~/.cache/memos-kit/n8n/shot; scripts/n8n/screenshot.sh
// installs it there) so the repository itself carries no browser tooling.
'use strict';
const path = require('node:path');
const os = require('node:os');

const dir = process.env.PLAYWRIGHT_DIR || path.join(process.env.N8N_LAB || path.join(os.homedir(), '.cache/memos-kit/n8n'), 'shot');
const { chromium } = require(require.resolve('playwright-core', { paths: [dir] }));

(async () => {
  const [base, wfId, out, email, password] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const login = await page.request.post(`${base}/rest/login`, { data: { emailOrLdapLoginId: email, password } });
  if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()}`);
  await page.goto(`${base}/workflow/${wfId}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60000 });
  // Fit the whole workflow in view, then let icons and fonts settle.
  await page.keyboard.press('Shift+1').catch(() => {});
  await page.waitForTimeout(2500);
  // A "Production Checklist" popover opens on published workflows; it is not part of the workflow, hide it.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('body *')) {
      if (el.children.length === 0 && el.textContent.trim() === 'Production Checklist') {
        let box = el;
        while (box.parentElement && box.getBoundingClientRect().height < 150) box = box.parentElement;
        box.style.display = 'none';
      }
    }
  });
  const icons = await page.$$eval('img', (imgs) =>
    imgs.filter((i) => i.src.includes('n8n-nodes-memos-kit')).map((i) => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: out });
  console.log(`saved ${out}: ${icons.filter(Boolean).length}/${icons.length} MemOS icons loaded`);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
