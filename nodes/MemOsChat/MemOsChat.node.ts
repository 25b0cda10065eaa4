import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { runPerItem } from '../shared/execute';
import { knowledgeBaseIds, parseJsonObject, requireString, setIfDefined, setWriteScope } from '../shared/params';
import { collectSse } from '../shared/sse';
import { apiError, memosRequest } from '../shared/transport';
import { properties } from './description';

async function chat(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const stream = options.stream === true;
	const body: IDataObject = {
		user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i),
		conversation_id: requireString(this, this.getNodeParameter('conversationId', i), 'Conversation ID', i),
		query: requireString(this, this.getNodeParameter('query', i), 'Query', i),
		add_message_on_answer: this.getNodeParameter('addMessageOnAnswer', i, true) as boolean,
		stream,
	};
	setIfDefined(body, 'knowledgebase_ids', knowledgeBaseIds(options.knowledgebaseIds));
	setIfDefined(body, 'filter', parseJsonObject(this, options.filter, 'Filter', i));
	setIfDefined(body, 'system_prompt', options.systemPrompt);
	setIfDefined(body, 'model_name', options.modelName);
	setIfDefined(body, 'memory_limit_number', options.memoryLimit);
	if (options.includePreference !== undefined) body.include_preference = options.includePreference;
	setIfDefined(body, 'preference_limit_number', options.preferenceLimit);
	if (options.relativity !== undefined) body.relativity = options.relativity;
	setIfDefined(body, 'max_tokens', options.maxTokens);
	if (options.temperature !== undefined) body.temperature = options.temperature;
	if (options.topP !== undefined) body.top_p = options.topP;
	setWriteScope(this, body, options, i);

	if (!stream) return await memosRequest.call(this, '/chat', body, { itemIndex: i });

	// A streamed answer arrives as SSE text; an early error may still come back as a JSON envelope,
	// which memosRequest turns into a NodeApiError.
	const raw = await memosRequest.call(this, '/chat', body, { itemIndex: i, text: true });
	if (typeof raw.__text !== 'string') return raw;
	const collected = collectSse(raw.__text);
	if (collected.error) throw apiError(this, collected.error.code, collected.error.message, { itemIndex: i, path: '/chat' });
	return { response: collected.response, references: collected.references, streamed: true };
}

export class MemOsChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Chat',
		name: 'memOsChat',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["query"] }}',
		description: 'Answer a question with MemOS: recall memories, generate, and remember the turn',
		defaults: { name: 'MemOS Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }],
		properties,
	};

	methods = { credentialTest: { memOsApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem.call(this, () => chat);
	}
}
