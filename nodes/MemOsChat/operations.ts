import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { knowledgeBaseIds, parseJsonObject, requireString, setIfDefined, setWriteScope } from '../shared/params';
import { collectSse } from '../shared/sse';
import { apiError, memosRequest } from '../shared/transport';

export async function chat(this: IExecuteFunctions, i: number): Promise<IDataObject> {
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
