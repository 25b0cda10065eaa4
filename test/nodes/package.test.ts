/** Static checks of the pack against n8n's community-node conventions (lint covers the rest). */
import fs from 'node:fs';
import path from 'node:path';

import { MemOsApi } from '../../credentials/MemOsApi.credentials';
import { NODE_TYPES, PKG, descriptionOf } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const source = (dist: string) => path.join(ROOT, dist.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

describe('package', () => {
	test('name, keyword, zero runtime dependencies, n8n-workflow and the AI SDK as peers', () => {
		expect(pkg.name).toBe(PKG);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*', '@n8n/ai-node-sdk': '*' });
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, aiNodeSdkVersion: 1 });
	});

	test('every registered node and credential exists, and every node file is registered', () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(fs.existsSync(source(file))).toBe(true);
		const onDisk = fs
			.readdirSync(path.join(ROOT, 'nodes'))
			.filter((d) => fs.existsSync(path.join(ROOT, 'nodes', d, `${d}.node.ts`)))
			.map((d) => `dist/nodes/${d}/${d}.node.js`);
		expect([...pkg.n8n.nodes].sort()).toEqual(onDisk.sort());
		expect(NODE_TYPES).toHaveLength(onDisk.length);
	});

	test.each(NODE_TYPES)('%s: codex file, themed icons, credential tested by the node', (type) => {
		const d = descriptionOf(type);
		const dir = path.join(ROOT, 'nodes', d.name.charAt(0).toUpperCase() + d.name.slice(1));
		const codex = JSON.parse(fs.readFileSync(path.join(dir, `${path.basename(dir)}.node.json`), 'utf8'));
		expect(codex.node).toBe(type);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		const icon = d.icon as { light: string; dark: string };
		expect(icon.light).not.toBe(icon.dark);
		for (const file of [icon.light, icon.dark]) {
			const svg = path.resolve(dir, file.replace(/^file:/, ''));
			expect(fs.readFileSync(svg, 'utf8')).toMatch(/^<svg/);
		}
		expect(d.credentials).toEqual([{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }]);
		if (d.name === 'memOsChatMemory') {
			expect(d.outputs).toEqual(['ai_memory']);
			expect(codex.subcategories.AI).toContain('Memory');
		} else {
			expect(d.usableAsTool).toBe(true);
		}
	});

	test('the credential has themed icons and no declarative test (the nodes test it)', () => {
		const cred = new MemOsApi();
		expect(cred.icon).toEqual({ light: 'file:../icons/memos.svg', dark: 'file:../icons/memos.dark.svg' });
		expect((cred as { test?: unknown }).test).toBeUndefined();
	});
});
