#!/usr/bin/env node
'use strict';
// The MemOS nodes as a person finds them in the n8n editor (started by test/e2e/editor.sh):
//   picker search by name, "MemOS" and aliases; each node's panel; MemOS Chat Memory in an AI Agent's Memory
//   slot and the tool variants in its Tools slot; the credential form with a wrong key and an unreachable
//   server; the templates' sticky notes against each other and against the nodes, from rendered boxes.
// Env: N8N_BASE, N8N_OWNER_EMAIL, N8N_OWNER_PASSWORD, MEMOS_BASE (memos-lite API URL), TEMPLATE_IDS
// (comma-separated id=name), RESULTS (file for "passed failed"), SHOTS (folder for screenshots, optional).
const fs = require('node:fs');
const path = require('node:path');
const b = require('./browser');

const { N8N_BASE: base, N8N_OWNER_EMAIL: email, N8N_OWNER_PASSWORD: password, MEMOS_BASE: memosBase } = process.env;
const SHOTS = process.env.SHOTS || '';
const templates = (process.env.TEMPLATE_IDS || '').split(',').filter(Boolean).map((p) => p.split('='));
let current;
const { check, results } = b.checker(() => current, process.env.FAIL_SHOTS);
const { assert } = b;

const NODES = [
  {
    name: 'MemOS Add Message', slug: 'add-message', action: 'Add messages to memory',
    labels: ['Operation', 'User ID', 'Conversation ID', 'Messages Input', 'User Message', 'Assistant Reply', 'Wait for Completion', 'Options'],
  },
  {
    name: 'MemOS Search Memory', slug: 'search-memory', action: 'Search memories',
    labels: ['Operation', 'Query', 'User ID', 'Conversation ID', 'Output', 'Options'],
  },
  {
    name: 'MemOS Feedback', slug: 'feedback',
    labels: ['Feedback', 'User ID', 'Conversation ID', 'Wait for Completion', 'Options'],
  },
  {
    name: 'MemOS Knowledge Base', slug: 'knowledge-base', action: 'Upload files',
    labels: ['Resource', 'Operation', 'Knowledge Base ID', 'Source', 'Input Binary Fields', 'File Type', 'Wait for Completion'],
  },
  {
    name: 'MemOS Chat', slug: 'chat',
    labels: ['Query', 'User ID', 'Conversation ID', 'Remember This Turn', 'Options'],
  },
];
const MEMORY = { name: 'MemOS Chat Memory', labels: ['Session Key', 'User ID', 'Recall Query', 'Options'] };

const shot = async (page, name) => {
  if (!SHOTS) return;
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `n8n-${name}.png`) });
};
const missing = (listed, wanted) => wanted.filter((w) => !listed.includes(w));
const onlyParams = (labels) => labels.filter((l) => l !== 'Credential' && !/^Credential to connect with/.test(l));

async function main() {
  const { browser, page } = await b.launch();
  current = page;
  try {
    await check('sign in through the login form', async () => {
      await b.signIn(page, base, email, password);
      assert(!/signin/.test(page.url()), `still on ${page.url()}`);
    });

    await b.newWorkflow(page, base);
    await check('a new workflow starts from the trigger picker (Manual Trigger added)', async () => {
      await b.addTrigger(page, 'manual', 'Manual Trigger');
    });

    // ---- the picker ("What happens next?") ----------------------------------------------------------------
    for (const node of NODES) {
      await check(`picker: "${node.name}" found by its name`, async () => {
        await b.openPicker(page);
        const listed = await b.pickerSearch(page, node.name);
        assert(listed[0] === node.name, `first result for "${node.name}": ${JSON.stringify(listed.slice(0, 5))}`);
      });
    }
    for (const [query, wanted] of [
      ['MemOS', NODES.map((n) => n.name)],
      ['memos', NODES.map((n) => n.name)],
      ['memory', NODES.map((n) => n.name)],
      ['recall', ['MemOS Search Memory']],
    ]) {
      await check(`picker: "${query}" lists ${wanted.length === 1 ? wanted[0] : 'every MemOS node'}`, async () => {
        await b.openPicker(page);
        const listed = await b.pickerSearch(page, query);
        const lost = missing(listed, wanted);
        assert(lost.length === 0, `"${query}" misses ${JSON.stringify(lost)}; listed ${JSON.stringify(listed.slice(0, 12))}`);
      });
    }
    await b.reset(page);
    await b.openPicker(page);
    await b.pickerSearch(page, 'MemOS');
    await shot(page, 'picker');
    await b.closePicker(page);

    // ---- each node's panel ---------------------------------------------------------------------------------
    for (const node of NODES) {
      await check(`panel: ${node.name} opens with ${node.labels.join(', ')}`, async () => {
        await b.openPicker(page);
        await b.pickerSearch(page, node.name);
        await b.addFromPicker(page, node.name, node.action);
        const labels = onlyParams(await b.panelLabels(page));
        assert(JSON.stringify(labels.slice(0, node.labels.length)) === JSON.stringify(node.labels),
          `labels ${JSON.stringify(labels)}`);
        assert(await page.$('[data-test-id="node-credentials-slot"]'), 'no credential slot');
        await shot(page, `panel-${node.slug}`);
        await b.closeNdv(page);
      });
    }

    // ---- AI Agent: Memory and Tools slots --------------------------------------------------------------------
    await b.newWorkflow(page, base);
    await check('AI Agent as the first step (n8n adds the Chat Trigger)', async () => {
      await page.click('[data-test-id="canvas-add-button"]');
      await b.pickerSearch(page, 'AI Agent');
      await b.addFromPicker(page, 'AI Agent');
      await b.closeNdv(page);
      assert(await page.$('[data-test-id="canvas-node"][data-node-type="@n8n/n8n-nodes-langchain.agent"]'), 'no agent on the canvas');
      assert(await page.$('[data-test-id="canvas-node"][data-node-type="@n8n/n8n-nodes-langchain.chatTrigger"]'), 'no chat trigger');
    });
    const slot = (type) => `[data-test-id="canvas-node-input-handle"][data-connection-type="${type}"] [data-test-id="canvas-handle-plus"]`;
    await check('Memory slot: MemOS Chat Memory offered among the memories', async () => {
      await b.fitView(page);
      await page.click(slot('ai_memory'));
      await page.waitForSelector('[data-test-id="node-creator"]');
      await page.waitForTimeout(500);
      const listed = await page.$$eval('[data-test-id="node-creator-item-name"]', (els) => els.map((e) => e.innerText.trim()));
      assert(listed.includes(MEMORY.name) && listed.includes('Postgres Chat Memory'), `Memory slot lists ${JSON.stringify(listed)}`);
      await shot(page, 'memory-slot');
    });
    await check(`Memory slot: MemOS Chat Memory attached, panel shows ${MEMORY.labels.join(', ')}, session and query prefilled from the Chat Trigger`, async () => {
      await b.fitView(page);
      await page.click(slot('ai_memory'));
      await page.waitForSelector('[data-test-id="node-creator"]');
      await b.addFromPicker(page, MEMORY.name);
      const labels = onlyParams(await b.panelLabels(page));
      assert(JSON.stringify(labels.slice(0, MEMORY.labels.length)) === JSON.stringify(MEMORY.labels), `labels ${JSON.stringify(labels)}`);
      const session = await b.parameterValue(page, 'sessionKey');
      const query = await b.parameterValue(page, 'recallQuery');
      assert(/\$json\.sessionId/.test(session), `Session Key: ${session}`);
      assert(/\$json\.chatInput/.test(query), `Recall Query: ${query}`);
      const user = await b.parameterValue(page, 'userId');
      assert(/\$json\.sessionId/.test(user), `User ID: ${user}`);
      await shot(page, 'panel-chat-memory');
      await b.closeNdv(page);
      const wf = await b.savedWorkflow(page, base);
      const memoryNode = wf.nodes.find((n) => n.type === 'n8n-nodes-memos-kit.memOsChatMemory');
      assert(memoryNode, 'memory node not saved');
      const out = wf.connections[memoryNode.name];
      assert(out && out.ai_memory && out.ai_memory[0][0].node === 'AI Agent', `connections ${JSON.stringify(wf.connections)}`);
    });
    await check('Tools slot: "MemOS" offers the five MemOS tools', async () => {
      await b.fitView(page);
      await page.click(slot('ai_tool'));
      await page.waitForSelector('[data-test-id="node-creator-search-bar"]');
      const listed = await b.pickerSearch(page, 'MemOS');
      const tools = NODES.map((n) => `${n.name} Tool`);
      const lost = tools.filter((t) => !listed.some((l) => l === t || l === t.replace(/ Tool$/, '')));
      assert(lost.length === 0, `missing ${JSON.stringify(lost)}; listed ${JSON.stringify(listed)}`);
      await b.closePicker(page);
    });
    await b.reset(page);
    await b.fitView(page);
    await shot(page, 'agent-with-memory');

    // ---- credential form -----------------------------------------------------------------------------------
    await check('credential form: a wrong key is reported as rejected by MemOS (40132), an unreachable server as such', async () => {
      await page.locator('[data-test-id="canvas-node"][data-node-type="n8n-nodes-memos-kit.memOsChatMemory"]').dblclick();
      await page.waitForSelector('[data-test-id="node-credentials-slot"]', { timeout: b.T.long });
      // A first credential is created from the slot's button; once one exists, from the select's last entry.
      const select = page.locator('[data-test-id="node-credentials-select"]');
      if (await select.count()) {
        await select.click();
        await page.getByText('Create new credential').first().click();
      } else {
        await page.click('[data-test-id="node-credentials-slot"] button');
      }
      await page.waitForSelector('[data-test-id="credential-edit-dialog"]', { timeout: b.T.long });
      if (process.env.DEBUG_EDITOR) {
        console.log(await page.$$eval('[data-test-id="credential-edit-dialog"] [data-test-id]', (els) => [...new Set(els.map((e) => e.getAttribute('data-test-id')))].join(' ')));
      }
      const fill = async (name, value) => {
        const input = page.locator(`[data-test-id="credential-edit-dialog"] [data-test-id="parameter-input-${name}"] input`);
        await input.fill(value);
      };
      await fill('baseUrl', memosBase);
      await fill('apiKey', 'mpg-wrong-key');
      // n8n tests the credential on save; its banner says "Couldn't connect with these settings", and
      // "More details" shows the node's own message.
      const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
      const saveAndRead = async () => {
        await page.click('[data-test-id="credential-save-button"]');
        await dialog.getByText(/Couldn.t connect with these settings/).first().waitFor({ timeout: b.T.long });
        const more = dialog.getByText('More details');
        if (await more.count()) await more.first().click();
        await page.waitForTimeout(500);
        return dialog.innerText();
      };
      let text = await saveAndRead();
      assert(/rejected the API key/.test(text) && /40132/.test(text), `wrong key, dialog says: ${text.slice(0, 600)}`);
      await shot(page, 'credential-wrong-key');
      await fill('baseUrl', 'http://127.0.0.1:9/api/openmem/v1');
      text = await saveAndRead();
      assert(/Could not reach MemOS/.test(text), `unreachable server, dialog says: ${text.slice(0, 600)}`);
      await page.keyboard.press('Escape');
      await b.closeNdv(page);
    });

    // ---- templates: notes never cover each other or a node ----------------------------------------------------
    for (const [id, name] of templates) {
      await check(`template ${name}: no two sticky notes overlap, no note overlaps a node (with its label)`, async () => {
        await page.goto(`${base}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
        await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: b.T.long });
        await page.waitForTimeout(1500);
        const { stickies, nodes } = await b.canvasBoxes(page);
        assert(stickies.length > 0 && nodes.length > 0, `stickies ${stickies.length}, nodes ${nodes.length}`);
        const clashes = [];
        for (let i = 0; i < stickies.length; i++) {
          for (let j = i + 1; j < stickies.length; j++) {
            if (b.overlap(stickies[i], stickies[j])) clashes.push(`note "${stickies[i].name}" / note "${stickies[j].name}"`);
          }
          for (const n of nodes) if (b.overlap(stickies[i], n)) clashes.push(`note "${stickies[i].name}" / node "${n.name}"`);
        }
        assert(clashes.length === 0, clashes.join('; '));
        await shot(page, `template-${name}`);
      });
    }
  } finally {
    await browser.close();
  }
}

main()
  .catch((error) => {
    results.failed++;
    console.log(`  FAIL editor run aborted: ${error && error.stack ? error.stack : error}`);
  })
  .finally(() => {
    if (process.env.RESULTS) fs.writeFileSync(process.env.RESULTS, `${results.passed} ${results.failed}\n`);
  });
