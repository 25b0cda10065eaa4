import type { INodeProperties } from 'n8n-workflow';

import {
	conversationIdField,
	filterOption,
	knowledgeBaseIdsOption,
	relativityOption,
	userIdField,
} from '../shared/descriptions';

const search = { operation: ['search'] };

const limit = (displayName: string, name: string, def: number, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 25 },
	default: def,
	description: `Max number of ${what} to return (up to 25)`,
});

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete memories',
				description: 'Delete memories by ID, or every memory of a user (/delete/memory)',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many memories',
				description: 'List a user\'s memories page by page, without a query (/get/memory)',
			},
			{
				name: 'Rerank',
				value: 'rerank',
				action: 'Rerank documents against a query',
				description: 'Score and sort texts by relevance to a query (/rerank)',
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search memories',
				description: 'Recall the memories relevant to a query, plus a ready-to-use context (/search/memory)',
			},
		],
		default: 'search',
	},

	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		placeholder: 'Where should I stay on my next trip?',
		description: 'What to recall memories for, usually the user\'s latest message',
		displayOptions: { show: { operation: ['search', 'rerank'] } },
	},
	userIdField({ operation: ['search', 'getAll'] }),
	conversationIdField(search, false),

	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Lists and Context',
				value: 'combined',
				description: 'One item with the lists as returned plus a "context" text for an LLM prompt',
			},
			{
				name: 'One Item per Memory',
				value: 'split',
				description: 'Each fact, preference, tool memory or skill as its own item',
			},
		],
		default: 'combined',
		displayOptions: { show: search },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: search },
		options: [
			{
				displayName: 'Context Style',
				name: 'contextStyle',
				type: 'options',
				options: [
					{
						name: 'Full Prompt Template',
						value: 'full',
						description: 'Role, time, memories, safety checks, instructions and the query',
					},
					{
						name: 'Short Memory List',
						value: 'short',
						description: 'A short persona and a numbered list of memories',
					},
				],
				default: 'full',
				description: 'How the "context" output is written',
			},
			filterOption,
			{
				displayName: 'Include Preferences',
				name: 'includePreference',
				type: 'boolean',
				default: true,
				description: 'Whether to recall preferences (explicit and inferred)',
			},
			{
				displayName: 'Include Skills',
				name: 'includeSkill',
				type: 'boolean',
				default: false,
				description: 'Whether to recall skills (generated, or uploaded to the selected knowledge bases)',
			},
			{
				displayName: 'Include Tool Memories',
				name: 'includeToolMemory',
				type: 'boolean',
				default: false,
				description: 'Whether to recall tool schemas and tool-use experience',
			},
			knowledgeBaseIdsOption,
			limit('Memory Limit', 'memoryLimit', 9, 'facts'),
			limit('Preference Limit', 'preferenceLimit', 9, 'preferences'),
			relativityOption,
			limit('Skill Limit', 'skillLimit', 6, 'skills'),
			limit('Tool Memory Limit', 'toolMemoryLimit', 6, 'tool memories'),
		],
	},

	{
		displayName: 'Page',
		name: 'page',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'Page number, starting at 1',
		displayOptions: { show: { operation: ['getAll'] } },
	},
	{
		displayName: 'Page Size',
		name: 'size',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 10,
		description: 'Entries per memory category per page (up to 50)',
		displayOptions: { show: { operation: ['getAll'] } },
	},
	{
		displayName: 'Options',
		name: 'getAllOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['getAll'] } },
		options: [
			filterOption,
			{
				displayName: 'Include Preferences',
				name: 'includePreference',
				type: 'boolean',
				default: true,
				description: 'Whether to list preferences too',
			},
			{
				displayName: 'Include Tool Memories',
				name: 'includeToolMemory',
				type: 'boolean',
				default: false,
				description: 'Whether to list tool memories too',
			},
		],
	},

	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		options: [
			{ name: 'Memory IDs', value: 'ids', description: 'The memories with these IDs' },
			{ name: 'User', value: 'user', description: 'Every memory of one user in this project' },
		],
		default: 'ids',
		displayOptions: { show: { operation: ['delete'] } },
	},
	{
		displayName: 'Memory IDs',
		name: 'memoryIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 3f2a…, 9c1b…',
		description: 'Comma-separated memory IDs from a search or list',
		displayOptions: { show: { operation: ['delete'], deleteBy: ['ids'] } },
	},
	{
		...userIdField({ operation: ['delete'], deleteBy: ['user'] }),
		description: 'Every fact, preference, skill and tool memory of this user is deleted',
	},

	{
		displayName: 'Documents',
		name: 'documents',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'I prefer Jiangxiang baijiu\nI don\'t drink',
		description: 'The texts to rank: one per line, or a JSON array of strings',
		displayOptions: { show: { operation: ['rerank'] } },
	},
	{
		displayName: 'Rerank Options',
		name: 'rerankOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['rerank'] } },
		options: [
			{
				displayName: 'Model',
				name: 'model',
				type: 'options',
				options: [
					{ name: 'memos-reranker-0.6b', value: 'memos-reranker-0.6b' },
					{ name: 'memos-reranker-4b', value: 'memos-reranker-4b' },
				],
				default: 'memos-reranker-0.6b',
				description: 'Reranker model',
			},
			{
				displayName: 'Top N',
				name: 'topN',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Return only the best N documents',
			},
		],
	},
];
