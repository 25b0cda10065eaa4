/**
 * The codex categories and subcategories n8n accepts, and how to read them from an installed n8n.
 *
 * n8n's node panel keys off exact codex strings (editor-ui `app/constants/nodeCreator.ts`): a value it does
 * not know raises no error, it silently misfiles the node. The classic case is "AI" on a regular node: the
 * main "Add node" search then drops it (n8n issue #24630). There is no importable list, so "accepted" means
 * what n8n's own nodes declare: the union of the codex of every built-in node in
 * `n8n-nodes-base/dist/types/nodes.json` and `@n8n/n8n-nodes-langchain/dist/types/nodes.json`.
 * `n8n-codex-taxonomy.json` is that union for the n8n version it names; codex.test.ts re-derives it from the
 * installed n8n (scripts/n8n/setup.sh) whenever one is present and fails when the two differ.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Taxonomy {
	n8nVersion: string;
	categories: string[];
	/** Parent (a category, or an AI subcategory) -> the values n8n's nodes file under it. */
	subcategories: Record<string, string[]>;
}

interface Codex {
	categories?: unknown;
	subcategories?: unknown;
}

export const N8N_MODULES = path.join(
	process.env.N8N_LAB ?? path.join(os.homedir(), '.cache/memos-kit/n8n'),
	'n8n2/node_modules',
);

const BUILT_IN_TYPE_FILES = [
	'n8n-nodes-base/dist/types/nodes.json',
	'@n8n/n8n-nodes-langchain/dist/types/nodes.json',
];

export function installedN8nVersion(): string | undefined {
	const file = path.join(N8N_MODULES, 'n8n/package.json');
	if (!fs.existsSync(file)) return undefined;
	return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * The union of the built-in codex values. A few built-in nodes carry malformed codex data (a string where an
 * array belongs gives keys "0", "1"...; one category has a trailing space): those are not part of any
 * taxonomy, so only trimmed strings whose parent is itself a known category or subcategory are kept.
 */
export function deriveTaxonomy(modules = N8N_MODULES): Taxonomy {
	const categories = new Set<string>();
	const pairs: Array<[string, string]> = [];
	for (const rel of BUILT_IN_TYPE_FILES) {
		const types = JSON.parse(fs.readFileSync(path.join(modules, rel), 'utf8')) as Array<{ codex?: Codex }>;
		for (const { codex } of types) {
			if (!codex) continue;
			for (const c of Array.isArray(codex.categories) ? codex.categories : []) {
				if (typeof c === 'string' && c === c.trim()) categories.add(c);
			}
			const subs = (codex.subcategories ?? {}) as Record<string, unknown>;
			for (const [parent, values] of Object.entries(subs)) {
				for (const v of Array.isArray(values) ? values : []) {
					if (typeof v === 'string' && v === v.trim()) pairs.push([parent, v]);
				}
			}
		}
	}
	const known = new Set([...categories, ...pairs.map(([, v]) => v)]);
	const subcategories: Record<string, string[]> = {};
	for (const [parent, value] of pairs) {
		if (!known.has(parent)) continue;
		(subcategories[parent] ??= []).includes(value) || subcategories[parent].push(value);
	}
	for (const list of Object.values(subcategories)) list.sort();
	return {
		n8nVersion: installedN8nVersion() ?? 'unknown',
		categories: [...categories].sort(),
		subcategories: Object.fromEntries(Object.entries(subcategories).sort(([a], [b]) => a.localeCompare(b))),
	};
}

export function checkedInTaxonomy(): Taxonomy {
	return JSON.parse(fs.readFileSync(path.join(__dirname, 'n8n-codex-taxonomy.json'), 'utf8')) as Taxonomy;
}
