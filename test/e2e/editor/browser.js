'use strict';
// The n8n editor as a person uses it, driven through Debian's Chromium with playwright-core: small helpers
// for the picker, the node panel (NDV), the canvas and the checks' bookkeeping.
const { chromium } = require('playwright-core');

const T = { short: 8000, long: 60000 };

async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Root in CI needs --no-sandbox; the rest keeps Chromium from calling home.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(T.short);
  context.setDefaultNavigationTimeout(T.long);
  return { browser, page: await context.newPage() };
}

/** ok/FAIL lines like the shell suites; a failing check records its error and the run goes on. */
function checker(page, failDir) {
  const results = { passed: 0, failed: 0, failures: [] };
  async function check(name, fn) {
    try {
      if (page()) await reset(page());
      await fn();
      results.passed++;
      console.log(`  ok   ${name}`);
    } catch (error) {
      results.failed++;
      results.failures.push(name);
      console.log(`  FAIL ${name}`);
      console.log(String(error && error.stack ? error.stack : error).split('\n').slice(0, 6).map((l) => `       ${l}`).join('\n'));
      // What the page looked like when the check failed, kept with the suite's logs.
      if (page() && failDir) {
        await page().screenshot({ path: `${failDir}/fail-${results.failed}.png` }).catch(() => {});
        console.log(`       screenshot: ${failDir}/fail-${results.failed}.png`);
      }
    }
  }
  return { check, results };
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(page, base, email, password) {
  await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
  await page.fill('input[name="emailOrLdapLoginId"]', email, { timeout: T.long });
  await page.fill('input[name="password"]', password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !/signin/.test(String(u)), { timeout: T.long });
}

async function newWorkflow(page, base) {
  await page.goto(`${base}/workflow/new`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-test-id="canvas-add-button"]', { timeout: T.long });
}

/** The names listed in the open node picker for a search, once the list has settled. */
async function pickerSearch(page, query) {
  const bar = page.locator('[data-test-id="node-creator-search-bar"]');
  await bar.fill('');
  await bar.fill(query);
  let last = '';
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150);
    const names = await page.$$eval('[data-test-id="node-creator-item-name"]', (els) => els.map((e) => e.innerText.trim()));
    const key = names.join('|');
    if (key === last && i > 2) return names;
    last = key;
  }
  return last ? last.split('|') : [];
}

async function openPicker(page) {
  await page.click('[data-test-id="node-creator-plus-button"]');
  await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
}

async function closePicker(page) {
  if (await page.$('[data-test-id="node-creator"]')) await page.keyboard.press('Escape');
  await page.waitForTimeout(200);
}

/** Clicks an item of the picker by its exact name (a node, or an action of a node). */
async function clickItem(page, name) {
  const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: name }).filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
  await item.first().click();
}

/**
 * Picks a node in the open picker: a node with operations lists its actions (pick `action`), one without
 * shows n8n's details page for community nodes, whose "Add to workflow" adds it.
 */
async function addFromPicker(page, name, action) {
  await clickItem(page, name);
  await page.waitForTimeout(400);
  if (action) {
    await clickItem(page, action);
    return;
  }
  const add = page.getByRole('button', { name: 'Add to workflow' });
  if (await add.count()) await add.first().click();
}

async function fitView(page) {
  await page.click('[data-test-id="zoom-to-fit"]');
  await page.waitForTimeout(500);
}

async function addTrigger(page, query, name) {
  await page.click('[data-test-id="canvas-add-button"]');
  await pickerSearch(page, query);
  await clickItem(page, name);
  await page.waitForSelector('[data-test-id="canvas-trigger-node"]', { timeout: T.long });
  await closeNdv(page);
}

/** Back to the bare canvas whatever was left open (a failed check must not break the next one). */
async function reset(page) {
  for (let i = 0; i < 4; i++) {
    const open = await page.$('[data-test-id="ndv"], [data-test-id="node-creator"], [data-test-id="credential-edit-dialog"]');
    if (!open) return;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
}

async function closeNdv(page) {
  await page.waitForTimeout(300);
  if (await page.$('[data-test-id="ndv"]')) {
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-test-id="ndv"]', { state: 'detached' }).catch(() => {});
  }
}

/** The labels of the parameters the open panel shows, top to bottom ("Credential" first when present). */
async function panelLabels(page) {
  await page.waitForSelector('[data-test-id="node-parameters"]', { timeout: T.long });
  await page.waitForTimeout(300);
  return page.$$eval('[data-test-id="node-parameters"] [data-test-id="input-label"]', (els) =>
    els.map((e) => (e.querySelector('label') || e).innerText.split('\n')[0].trim()).filter(Boolean));
}

async function parameterValue(page, name) {
  const el = await page.$(`[data-test-id="parameter-input-${name}"]`);
  if (!el) return undefined;
  return el.evaluate((e) => {
    const input = e.querySelector('input, textarea');
    if (input && input.value) return input.value;
    return e.innerText.trim();
  });
}

/** Every rendered box of a canvas element and its descendants (a node's label sits below its icon). */
async function canvasBoxes(page) {
  return page.evaluate(() => {
    const union = (el) => {
      let r = el.getBoundingClientRect();
      let box = { x1: r.left, y1: r.top, x2: r.right, y2: r.bottom };
      for (const d of el.querySelectorAll('*')) {
        const q = d.getBoundingClientRect();
        if (q.width === 0 || q.height === 0) continue;
        if (!d.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        // Handles, toolbars and the "+" of an open output stick out of the node but are not its content.
        if (d.closest('[data-test-id="canvas-node-toolbar"], .vue-flow__handle, [data-test-id="canvas-handle-plus-wrapper"]')) continue;
        box = { x1: Math.min(box.x1, q.left), y1: Math.min(box.y1, q.top), x2: Math.max(box.x2, q.right), y2: Math.max(box.y2, q.bottom) };
      }
      return box;
    };
    const stickies = [...document.querySelectorAll('[data-test-id="sticky"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const title = (el.innerText || '').trim().split('\n')[0].slice(0, 40);
      return { name: title, x1: r.left, y1: r.top, x2: r.right, y2: r.bottom };
    });
    const nodes = [...document.querySelectorAll('[data-test-id="canvas-node"]')]
      .filter((el) => !el.querySelector('[data-test-id="sticky"]'))
      .map((el) => ({ name: el.getAttribute('data-node-name'), ...union(el) }));
    return { stickies, nodes };
  });
}

function overlap(a, b) {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return w > 0 && h > 0 ? Math.round(w * h) : 0;
}

async function savedWorkflow(page, base) {
  // Wait for the save itself: a workflow saved once already has its id in the URL, so the URL alone would let the
  // read below race the save and return the version before it.
  // A key press that lands while a panel is still closing is lost: press again when no save was sent.
  for (let attempt = 0; attempt < 2; attempt++) {
    const saved = page
      .waitForResponse((r) => /\/rest\/workflows(\/[A-Za-z0-9]+)?(\?|$)/.test(r.url()) && ['POST', 'PATCH', 'PUT'].includes(r.request().method()), { timeout: T.short })
      .catch(() => undefined);
    await page.keyboard.press('Control+s');
    if (await saved) break;
  }
  await page.waitForURL(/\/workflow\/(?!new)[A-Za-z0-9]+/, { timeout: T.long });
  const id = page.url().match(/\/workflow\/([A-Za-z0-9]+)/)[1];
  // From the page itself: n8n ties the session cookie to the browser id the editor sends as a header.
  const res = await page.evaluate(async (url) => {
    const r = await fetch(url, { credentials: 'include', headers: { 'browser-id': localStorage.getItem('n8n-browserId') || '' } });
    return { status: r.status, body: r.ok ? await r.json() : await r.text() };
  }, `${base}/rest/workflows/${id}`);
  assert(res.status === 200, `GET workflow ${id}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  return res.body.data;
}

module.exports = {
  T, launch, checker, assert, signIn, newWorkflow, pickerSearch, openPicker, closePicker, clickItem, addFromPicker, fitView, addTrigger,
  reset, closeNdv, panelLabels, parameterValue, canvasBoxes, overlap, savedWorkflow,
};
