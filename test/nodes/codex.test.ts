/**
 * The codex files decide where n8n's node panel files each node, and whether its search finds it at all:
 * an unknown category or an "AI" category on a regular node hides the node silently (n8n issue #24630).
 */
import fs from 'node:fs';
import path from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';

import { NODE_TYPES, descriptionOf } from './harness';
import { checkedInTaxonomy, deriveTaxonomy, installedN8nVersion, type Taxonomy } from './n8n-codex';

const ROOT = path.resolve(__dirname, '../..');

interface Codex {
	node: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias?: string[];
}

function codexOf(type: string): Codex {
	const name = descriptionOf(type).name;
	const dir = name.charAt(0).toUpperCase() + name.slice(1);
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', dir, `${dir}.node.json`), 'utf8')) as Codex;
}

/** Sub-nodes built on @n8n/ai-node-sdk plug into an agent slot; everything else has a main output. */
function aiSlotOf(type: string): string | undefined {
	const outputs = descriptionOf(type).outputs as string[];
	return outputs.includes(NodeConnectionTypes.Main) ? undefined : outputs[0];
}

const SLOT_SUBCATEGORY: Record<string, string> = { [NodeConnectionTypes.AiMemory]: 'Memory' };

/** Every problem n8n's node panel would have with a codex; empty when it files the node correctly. */
function codexProblems(codex: Codex, aiSlot: string | undefined, taxonomy: Taxonomy): string[] {
	const problems: string[] = [];
	if (!Array.isArray(codex.categories) || codex.categories.length === 0) problems.push('no categories');
	for (const c of codex.categories ?? []) {
		if (!taxonomy.categories.includes(c)) problems.push(`category "${c}" is not one n8n knows`);
	}
	if (!aiSlot) {
		// "AI" and subcategories are reserved for SDK sub-nodes: on a regular node they hide it from search.
		if (codex.categories?.includes('AI')) problems.push('category "AI" on a regular node');
		if (codex.subcategories && Object.keys(codex.subcategories).length > 0) problems.push('subcategories on a regular node');
		return problems;
	}
	if (!codex.categories?.includes('AI')) problems.push('an AI sub-node without the "AI" category');
	for (const [parent, values] of Object.entries(codex.subcategories ?? {})) {
		const known = taxonomy.subcategories[parent];
		if (!known) {
			problems.push(`subcategory parent "${parent}" is not one n8n knows`);
			continue;
		}
		for (const v of values) if (!known.includes(v)) problems.push(`subcategory "${parent} > ${v}" is not one n8n knows`);
	}
	const slot = SLOT_SUBCATEGORY[aiSlot];
	if (slot && !codex.subcategories?.AI?.includes(slot)) problems.push(`not offered in the agent's ${slot} slot`);
	return problems;
}

describe('codex files', () => {
	const taxonomy = checkedInTaxonomy();

	test.each(NODE_TYPES)('%s: categories and subcategories n8n accepts, for where the node belongs', (type) => {
		const codex = codexOf(type);
		expect(codex.node).toBe(type);
		expect(codexProblems(codex, aiSlotOf(type), taxonomy)).toEqual([]);
	});

	test.each(NODE_TYPES)('%s: found by "memos" and "memory"', (type) => {
		const alias = codexOf(type).alias ?? [];
		expect(alias).toEqual(expect.arrayContaining(['memos', 'memory']));
	});

	test('the recall nodes are also found by "recall"', () => {
		for (const type of ['memOsSearchMemory', 'memOsChatMemory']) {
			expect(codexOf(`n8n-nodes-memos-kit.${type}`).alias).toContain('recall');
		}
	});

	test('the check rejects what n8n would misfile', () => {
		const regular = { node: 'x', categories: ['Data & Storage'] };
		expect(codexProblems(regular, undefined, taxonomy)).toEqual([]);
		expect(codexProblems({ ...regular, categories: ['AI', 'Data & Storage'] }, undefined, taxonomy)).toEqual([
			'category "AI" on a regular node',
		]);
		expect(codexProblems({ ...regular, categories: ['Memory & Storage'] }, undefined, taxonomy)).toEqual([
			'category "Memory & Storage" is not one n8n knows',
		]);
		expect(codexProblems({ ...regular, subcategories: { 'Data & Storage': ['Databases'] } }, undefined, taxonomy)).toEqual([
			'subcategories on a regular node',
		]);
		const memory = { node: 'm', categories: ['AI'], subcategories: { AI: ['Memory'], Memory: ['Other memories'] } };
		expect(codexProblems(memory, NodeConnectionTypes.AiMemory, taxonomy)).toEqual([]);
		expect(codexProblems({ ...memory, subcategories: { AI: ['Memories'] } }, NodeConnectionTypes.AiMemory, taxonomy)).toEqual([
			'subcategory "AI > Memories" is not one n8n knows',
			"not offered in the agent's Memory slot",
		]);
		expect(codexProblems({ ...memory, categories: ['Data & Storage'] }, NodeConnectionTypes.AiMemory, taxonomy)).toContain(
			'an AI sub-node without the "AI" category',
		);
	});

	const installed = installedN8nVersion();
	(installed ? test : test.skip)(`the checked-in list is what the installed n8n ${installed ?? ''} declares`, () => {
		const live = deriveTaxonomy();
		expect({ ...live, n8nVersion: installed }).toEqual({
			n8nVersion: taxonomy.n8nVersion,
			categories: taxonomy.categories,
			subcategories: taxonomy.subcategories,
		});
	});
});
