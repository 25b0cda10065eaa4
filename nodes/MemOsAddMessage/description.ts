import type { INodeProperties } from 'n8n-workflow';

import {
	conversationIdField,
	tagsAndInfoOptions,
	userIdField,
	waitFields,
	writeScopeOptions,
	sortOptions,
} from '../shared/descriptions';

const add = { operation: ['add'] };
const withMessages = { operation: ['add', 'extract'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Add Message',
				value: 'add',
				action: 'Add messages to memory',
				description: 'Store a conversation turn; MemOS turns it into memories (/add/message)',
			},
			{
				name: 'Extract Memory',
				value: 'extract',
				action: 'Extract memories without storing them',
				description: 'Return the facts and preferences found in messages, storing nothing (/extract/memory)',
			},
			{
				name: 'Get Messages',
				value: 'getMessages',
				action: 'Get raw messages of a conversation',
				description: 'Return the most recent raw messages of a conversation (/get/message)',
			},
			{
				name: 'Get Task Status',
				value: 'getStatus',
				action: 'Get the status of a task',
				description: 'Check whether an asynchronous add or feedback task has finished (/get/status)',
			},
		],
		default: 'add',
	},

	userIdField({ operation: ['add', 'getMessages'] }),
	conversationIdField({ operation: ['add', 'getMessages'] }),

	{
		displayName: 'Messages Input',
		name: 'messageInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'User Message and Assistant Reply',
				value: 'fields',
				description: 'One turn from two text fields',
			},
			{
				name: 'JSON Array',
				value: 'json',
				description: 'Any number of messages with roles, chat_time and tool calls',
			},
		],
		default: 'fields',
		displayOptions: { show: withMessages },
	},
	{
		displayName: 'User Message',
		name: 'userMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'I booked the 7 Days Inn for the Guangzhou trip',
		description: 'What the user said',
		displayOptions: { show: { ...withMessages, messageInput: ['fields'] } },
	},
	{
		displayName: 'Assistant Reply',
		name: 'assistantReply',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'What the assistant answered (optional)',
		displayOptions: { show: { ...withMessages, messageInput: ['fields'] } },
	},
	{
		displayName: 'Messages (JSON)',
		name: 'messagesJson',
		type: 'json',
		default:
			'[\n  {"role": "user", "content": "I like green tea", "chat_time": "2025-06-10 08:00:00"},\n  {"role": "assistant", "content": "Noted!"}\n]',
		description:
			'Array of {role, content, chat_time?, tool_calls?, tool_call_id?}. Roles: user, assistant, system, tool.',
		displayOptions: { show: { ...withMessages, messageInput: ['json'] } },
	},

	...waitFields(add, 'MemOS has processed the messages (polls /get/status)'),

	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: add },
		options: sortOptions([
			...writeScopeOptions,
			{
				displayName: 'Async Mode',
				name: 'asyncMode',
				type: 'boolean',
				default: true,
				description:
					'Whether MemOS answers at once and refines in the background (the turn is searchable within milliseconds either way)',
			},
			{
				displayName: 'Chat Time',
				name: 'chatTime',
				type: 'string',
				default: '',
				placeholder: '2025-06-10 08:00:00',
				description:
					'When the conversation happened, for messages without their own chat_time. Always set it when importing history.',
			},
			...tagsAndInfoOptions,
		]),
	},

	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 50 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['getMessages'] } },
	},

	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		description: 'The task_id returned by Add Message or Feedback',
		displayOptions: { show: { operation: ['getStatus'] } },
	},
	...waitFields({ operation: ['getStatus'] }, 'the task has finished'),

	{
		displayName: 'Extraction Types',
		name: 'extractionTypes',
		type: 'multiOptions',
		options: [
			{ name: 'Facts', value: 'memory' },
			{ name: 'Preferences', value: 'preference' },
		],
		default: ['memory', 'preference'],
		description: 'What to extract',
		displayOptions: { show: { operation: ['extract'] } },
	},
];
