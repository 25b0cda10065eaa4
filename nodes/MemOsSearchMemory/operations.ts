import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { knowledgeBaseIds, parseJsonObject, requireString, setIfDefined, splitList } from '../shared/params';
import type { ContextStyle } from '../shared/prompt';
import { buildContext, formatTime, memoryCount } from '../shared/prompt';
import { memosRequest } from '../shared/transport';

const CATEGORIES: Array<[string, string, (m: IDataObject) => unknown]> = [
	['fact', 'memory_detail_list', (m) => m.memory_value],
	['preference', 'preference_detail_list', (m) => m.preference],
	['tool', 'tool_memory_detail_list', (m) => m.tool_value],
	['skill', 'skill_detail_list', (m) => m.skill_value],
];

/** One item per memory, for workflows that loop over results (contract §10 "flatten"). */
function splitResults(data: IDataObject, timeZone: string): IDataObject[] {
	const rows: IDataObject[] = [];
	for (const [category, key, text] of CATEGORIES) {
		for (const memory of (data[key] as IDataObject[]) ?? []) {
			const value = text(memory);
			rows.push({
				category,
				id: memory.id ?? null,
				text: typeof value === 'string' ? value : JSON.stringify(value ?? null),
				relativity: memory.relativity ?? null,
				time: formatTime(memory.memory_time ?? memory.update_time ?? memory.create_time, timeZone) ?? null,
				memory,
			});
		}
	}
	return rows;
}

export async function search(this: IExecuteFunctions, i: number): Promise<IDataObject | IDataObject[]> {
	const query = requireString(this, this.getNodeParameter('query', i), 'Query', i);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = {
		user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i),
		query,
	};
	setIfDefined(body, 'conversation_id', (this.getNodeParameter('conversationId', i, '') as string).trim());
	const kbs = knowledgeBaseIds(options.knowledgebaseIds);
	setIfDefined(body, 'knowledgebase_ids', kbs);
	setIfDefined(body, 'filter', parseJsonObject(this, options.filter, 'Filter', i));
	setIfDefined(body, 'memory_limit_number', options.memoryLimit);
	if (options.includePreference !== undefined) body.include_preference = options.includePreference;
	setIfDefined(body, 'preference_limit_number', options.preferenceLimit);
	if (options.includeToolMemory !== undefined) body.include_tool_memory = options.includeToolMemory;
	setIfDefined(body, 'tool_memory_limit_number', options.toolMemoryLimit);
	if (options.includeSkill !== undefined) body.include_skill = options.includeSkill;
	setIfDefined(body, 'skill_limit_number', options.skillLimit);
	if (options.relativity !== undefined) body.relativity = options.relativity;

	const data = await memosRequest.call(this, '/search/memory', body, { itemIndex: i });
	const timeZone = this.getTimezone();
	if (this.getNodeParameter('output', i, 'combined') === 'split') return splitResults(data, timeZone);
	return {
		...data,
		context: buildContext(data, {
			query,
			timeZone,
			style: (options.contextStyle as ContextStyle) ?? 'full',
			knowledgeBase: kbs !== undefined,
		}),
		memory_count: memoryCount(data),
	};
}

export async function getAll(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('getAllOptions', i, {}) as IDataObject;
	const body: IDataObject = {
		user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i),
		page: this.getNodeParameter('page', i, 1) as number,
		size: this.getNodeParameter('size', i, 10) as number,
	};
	setIfDefined(body, 'filter', parseJsonObject(this, options.filter, 'Filter', i));
	if (options.includePreference !== undefined) body.include_preference = options.includePreference;
	if (options.includeToolMemory !== undefined) body.include_tool_memory = options.includeToolMemory;
	return await memosRequest.call(this, '/get/memory', body, { itemIndex: i });
}

export async function remove(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const by = this.getNodeParameter('deleteBy', i) as string;
	let body: IDataObject;
	if (by === 'user') {
		body = { user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i) };
	} else {
		const ids = splitList(this.getNodeParameter('memoryIds', i));
		if (ids.length === 0) throw new NodeOperationError(this.getNode(), 'Memory IDs is required', { itemIndex: i });
		body = { memory_ids: ids };
	}
	const data = await memosRequest.call(this, '/delete/memory', body, { itemIndex: i });
	return { ...data, ...(body.memory_ids ? { deleted_ids: body.memory_ids } : { user_id: body.user_id }) };
}

export async function rerank(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const documents = splitDocuments(this.getNodeParameter('documents', i));
	if (documents.length === 0) throw new NodeOperationError(this.getNode(), 'Documents is required', { itemIndex: i });
	const options = this.getNodeParameter('rerankOptions', i, {}) as IDataObject;
	const body: IDataObject = {
		query: requireString(this, this.getNodeParameter('query', i), 'Query', i),
		documents,
	};
	setIfDefined(body, 'model', options.model);
	setIfDefined(body, 'top_n', options.topN);
	return await memosRequest.call(this, '/rerank', body, { itemIndex: i, allowBareBody: true });
}

/** Documents are lines of text (commas are part of sentences), or a JSON array. */
function splitDocuments(value: unknown): string[] {
	if (Array.isArray(value)) return splitList(value);
	const text = typeof value === 'string' ? value.trim() : '';
	if (text.startsWith('[')) return splitList(text);
	return text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '');
}
