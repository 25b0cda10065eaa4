import { supplyMemory } from '@n8n/ai-node-sdk';
import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	SupplyData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { filterOption, knowledgeBaseIdsOption, relativityOption } from '../shared/descriptions';
import { knowledgeBaseIds, parseJsonObject, setIfDefined, splitList } from '../shared/params';
import { MemosChatHistory } from './history';
import { MemosLongTermMemory } from './memory';
import { recallContext } from './recall';

const MAX_MESSAGES = 50;

export class MemOsChatMemory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Chat Memory',
		name: 'memOsChatMemory',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Long-term memory',
		description: 'Gives an AI Agent recent turns and long-term memories from MemOS, and remembers each turn',
		defaults: { name: 'MemOS Chat Memory' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiMemory],
		outputNames: ['Memory'],
		credentials: [{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }],
		properties: [
			{
				displayName: 'Session Key',
				name: 'sessionKey',
				type: 'string',
				default: '={{ $json.sessionId }}',
				required: true,
				description: 'Used as the MemOS conversation ID: the recent-turn window comes from this conversation',
				hint: 'Chat Trigger: {{ $json.sessionId }}. Webhook: for example {{ $json.body.sessionId }}.',
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'user-123',
				description: 'Whose long-term memory this is; recall spans all of this user\'s conversations',
			},
			{
				displayName: 'Recall Query',
				name: 'recallQuery',
				type: 'string',
				default: '={{ $json.chatInput }}',
				description: 'Text used to search long-term memory for this turn, usually the user\'s message. Empty: no recall.',
				hint: 'Webhook: for example {{ $json.body.chatInput }}',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Agent ID',
						name: 'agentId',
						type: 'string',
						default: '',
						description: 'Tags the stored turns with an agent',
					},
					{
						displayName: 'App ID',
						name: 'appId',
						type: 'string',
						default: '',
						description: 'Tags the stored turns with an app',
					},
					{
						displayName: 'Context Window Length',
						name: 'windowSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 25 },
						default: 5,
						description: 'How many recent turns (user message and reply) of this conversation the agent sees',
					},
					filterOption,
					{
						displayName: 'Include Preferences',
						name: 'includePreference',
						type: 'boolean',
						default: true,
						description: 'Whether to recall the user\'s preferences too',
					},
					{
						displayName: 'Include Tool Memories',
						name: 'includeToolMemory',
						type: 'boolean',
						default: false,
						description: 'Whether to recall tool-use experience',
					},
					knowledgeBaseIdsOption,
					{
						displayName: 'Memory Limit',
						name: 'memoryLimit',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 25 },
						default: 6,
						description: 'Max number of facts recalled per turn',
					},
					{
						displayName: 'Preference Limit',
						name: 'preferenceLimit',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 25 },
						default: 6,
						description: 'Max number of preferences recalled per turn',
					},
					relativityOption,
					{
						displayName: 'Remember Turns',
						name: 'writeBack',
						type: 'boolean',
						default: true,
						description: 'Whether each turn is written to MemOS with /add/message',
					},
					{
						displayName: 'Start Window at a User Turn',
						name: 'startAtUserTurn',
						type: 'boolean',
						default: true,
						description: 'Whether to drop leading assistant messages so the replayed window never opens mid-turn',
					},
					{
						displayName: 'Tags',
						name: 'tags',
						type: 'string',
						default: '',
						description: 'Comma-separated candidate tags for the stored turns',
					},
				],
			},
		],
	};

	methods = { credentialTest: { memOsApiTest } };

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		const conversationId = String(this.getNodeParameter('sessionKey', itemIndex, '') ?? '').trim();
		if (!conversationId) {
			throw new NodeOperationError(this.getNode(), 'No session key found', {
				itemIndex,
				description:
					'Set "Session Key". Behind a Chat Trigger use {{ $json.sessionId }}; behind a Webhook, for example {{ $json.body.sessionId }}.',
			});
		}
		const userId = String(this.getNodeParameter('userId', itemIndex, '') ?? '').trim();
		if (!userId) throw new NodeOperationError(this.getNode(), 'User ID is required', { itemIndex });
		const query = String(this.getNodeParameter('recallQuery', itemIndex, '') ?? '').trim();
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const windowMessages = Math.min(MAX_MESSAGES, 2 * Number(options.windowSize ?? 5));

		const writeFields: IDataObject = {};
		setIfDefined(writeFields, 'agent_id', options.agentId);
		setIfDefined(writeFields, 'app_id', options.appId);
		setIfDefined(writeFields, 'tags', splitList(options.tags));

		const search: IDataObject = {
			memory_limit_number: options.memoryLimit ?? 6,
			include_preference: options.includePreference ?? true,
			preference_limit_number: options.preferenceLimit ?? 6,
		};
		if (options.includeToolMemory !== undefined) search.include_tool_memory = options.includeToolMemory;
		if (options.relativity !== undefined) search.relativity = options.relativity;
		setIfDefined(search, 'knowledgebase_ids', knowledgeBaseIds(options.knowledgebaseIds));
		setIfDefined(search, 'filter', parseJsonObject(this, options.filter, 'Filter', itemIndex));

		const history = new MemosChatHistory(this, {
			userId,
			conversationId,
			messageLimit: windowMessages,
			writeBack: options.writeBack !== false,
			writeFields,
			itemIndex,
		});
		const timeZone = this.getTimezone();
		const memory = new MemosLongTermMemory(history, {
			windowMessages,
			startAtUserTurn: options.startAtUserTurn !== false,
			recall: query
				? async () =>
						await recallContext(this, { userId, conversationId, query, search, itemIndex, timeZone })
				: undefined,
		});
		return supplyMemory(this, memory);
	}
}
