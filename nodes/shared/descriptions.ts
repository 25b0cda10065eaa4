import type { INodeProperties } from 'n8n-workflow';

/** Parameter descriptions used by several nodes; `show` limits them to some operations. */

type Show = { [key: string]: Array<string | number | boolean> } | undefined;

const withShow = (show: Show): Pick<INodeProperties, 'displayOptions'> =>
	show ? { displayOptions: { show } } : {};

export function userIdField(show?: Show, required = true): INodeProperties {
	return {
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required,
		placeholder: 'user-123',
		description: 'Your end user\'s stable ID (max 100 characters). Each user has their own memories.',
		hint: 'Behind a Chat Trigger: {{ $json.sessionId }}. Behind a Webhook: for example {{ $json.body.userId }}.',
		...withShow(show),
	};
}

export function conversationIdField(show?: Show, required = true): INodeProperties {
	return {
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		required,
		placeholder: 'session-2025-06-10',
		description: required
			? 'A short session, ticket or order ID (max 100 characters), never a transcript'
			: 'Boosts memories from this conversation; other conversations are still searched',
		hint: 'Behind a Chat Trigger: {{ $json.sessionId }}',
		...withShow(show),
	};
}

export function waitFields(show: Show, what: string, defaultTimeout = 60): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: `Whether to poll until ${what} has finished before passing the item on`,
			...withShow(show),
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaultTimeout,
			description: 'How long to wait before the node fails; the work continues on the server',
			displayOptions: { show: { ...(show ?? {}), waitForCompletion: [true] } },
		},
	];
}

/** Options shared by the write endpoints (/add/message, /add/feedback, /chat write-back). */
export const writeScopeOptions: INodeProperties[] = [
	{
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'string',
		default: '',
		description: 'Tags the new memories with an agent, so a filter can keep agents apart',
	},
	{
		displayName: 'Allow Public',
		name: 'allowPublic',
		type: 'boolean',
		default: false,
		description: 'Whether the generated memories are also written to the project-wide public store',
	},
	{
		displayName: 'Allowed Knowledge Base IDs',
		name: 'allowKnowledgebaseIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 3f2a…, 9c1b…',
		description: 'Comma-separated knowledge bases the generated memories may be written into',
	},
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		description: 'Tags the new memories with an app, so a filter can keep apps apart',
	},
];

export const tagsAndInfoOptions: INodeProperties[] = [
	{
		displayName: 'Info',
		name: 'info',
		type: 'json',
		default: '{}',
		description:
			'Custom key/values stored with the memories and usable in filters, e.g. {"scene": "support", "biz_id": "order-9"}',
	},
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'Weather, Travel',
		description: 'Comma-separated candidate tags; MemOS attaches those that fit each memory',
	},
];

export const knowledgeBaseIdsOption: INodeProperties = {
	displayName: 'Knowledge Base IDs',
	name: 'knowledgebaseIds',
	type: 'string',
	default: '',
	placeholder: 'all',
	description: 'Comma-separated knowledge bases to search too, or "all" for every one linked to the project',
};

export const filterOption: INodeProperties = {
	displayName: 'Filter (JSON)',
	name: 'filter',
	type: 'json',
	default: '{}',
	description:
		'Scope filter in the MemOS filter language, e.g. {"and": [{"agent_id": "health_assistant"}, {"create_time": {"gte": "2025-01-01"}}]}',
};

export const relativityOption: INodeProperties = {
	displayName: 'Relativity',
	name: 'relativity',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
	default: 0.45,
	description: 'Drop results less relevant than this (0 to 1); 0 turns the threshold off',
};

/** n8n lists collection options alphabetically; sort merged shared + node-specific options once here. */
export function sortOptions(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
