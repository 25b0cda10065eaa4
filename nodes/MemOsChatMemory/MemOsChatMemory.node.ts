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
import { knowledgeBaseIds, parseJsonObject, setIfDefined, setWriteScope } from '../shared/params';
import { properties } from './description';
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
		properties,
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
		setWriteScope(this, writeFields, options, itemIndex);

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
