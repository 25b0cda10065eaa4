import type { INodeProperties } from 'n8n-workflow';

import { waitFields } from '../shared/descriptions';

const kb = (operation: string[]) => ({ resource: ['knowledgeBase'], operation });
const file = (operation: string[]) => ({ resource: ['file'], operation });

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'File', value: 'file' },
			{ name: 'Knowledge Base', value: 'knowledgeBase' },
		],
		default: 'file',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['knowledgeBase'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a knowledge base',
				description: 'Create a knowledge base linked to the project of the API key',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a knowledge base',
				description: 'Unlink a knowledge base from the project',
			},
		],
		default: 'create',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete files',
				description: 'Delete documents or skills from their knowledge base',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get files by ID',
				description: 'Get the details and processing status of files',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many files',
				description: 'List the files of a knowledge base',
			},
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload files',
				description: 'Add documents or skills from binary data or URLs',
			},
		],
		default: 'upload',
	},

	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Finance reimbursement policy',
		description: 'Name of the new knowledge base',
		displayOptions: { show: kb(['create']) },
	},
	{
		displayName: 'Description',
		name: 'kbDescription',
		type: 'string',
		default: '',
		description: 'What the knowledge base holds (optional)',
		displayOptions: { show: kb(['create']) },
	},
	{
		displayName: 'Knowledge Base ID',
		name: 'knowledgebaseId',
		type: 'string',
		default: '',
		required: true,
		description: 'The ID returned when the knowledge base was created',
		displayOptions: { show: kb(['delete']) },
	},
	{
		displayName: 'Knowledge Base ID',
		name: 'knowledgebaseId',
		type: 'string',
		default: '',
		required: true,
		description: 'The knowledge base that holds the files',
		displayOptions: { show: file(['upload', 'getAll']) },
	},

	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Binary Data', value: 'binary', description: 'Files read or downloaded earlier in the workflow' },
			{ name: 'URLs', value: 'url', description: 'Public URLs MemOS downloads itself' },
		],
		default: 'binary',
		displayOptions: { show: file(['upload']) },
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'data, attachment_0',
		hint: 'Comma-separated; "*" uploads every binary field of the item',
		description: 'The binary fields holding the files to upload',
		displayOptions: { show: { ...file(['upload']), source: ['binary'] } },
	},
	{
		displayName: 'URLs',
		name: 'urls',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'https://example.com/policy.pdf',
		description: 'One URL per line (or comma-separated)',
		displayOptions: { show: { ...file(['upload']), source: ['url'] } },
	},
	{
		displayName: 'File Type',
		name: 'fileType',
		type: 'options',
		options: [
			{ name: 'Document', value: 'document', description: 'PDF, DOCX, DOC, TXT, JSON, MD or XML' },
			{ name: 'Skill', value: 'skill', description: 'A SKILL.md file, or a ZIP with SKILL.md at the top level' },
		],
		default: 'document',
		displayOptions: { show: file(['upload']) },
	},
	...waitFields(file(['upload']), 'every file is processed (completed or failed)', 120),

	{
		displayName: 'File IDs',
		name: 'fileIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 3f2a…, 9c1b…',
		description: 'Comma-separated file IDs',
		displayOptions: { show: file(['get', 'delete']) },
	},

	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: file(['getAll']) },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...file(['getAll']), returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: file(['getAll']) },
		options: [
			{
				displayName: 'File Type',
				name: 'type',
				type: 'options',
				options: [
					{ name: 'Document', value: 'document' },
					{ name: 'Skill', value: 'skill' },
				],
				default: 'document',
				description: 'Only files of this type',
			},
		],
	},
];
