import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { messagesFromFields, messagesFromJson } from '../shared/messages';
import { requireString, setWriteScope } from '../shared/params';
import { waitForTask, waitIfAsked } from '../shared/polling';
import { memosRequest } from '../shared/transport';

function readMessages(this: IExecuteFunctions, i: number, chatTime?: string): IDataObject[] {
	const input = this.getNodeParameter('messageInput', i) as string;
	const messages =
		input === 'json'
			? messagesFromJson.call(this, this.getNodeParameter('messagesJson', i), i, chatTime)
			: messagesFromFields(
					this.getNodeParameter('userMessage', i, '') as string,
					this.getNodeParameter('assistantReply', i, '') as string,
					chatTime,
				);
	if (messages.length === 0) {
		throw new NodeOperationError(this.getNode(), 'There are no messages to send', {
			itemIndex: i,
			description: 'Fill in the user message (and the reply), or provide a JSON array.',
		});
	}
	return messages;
}

export async function add(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = {
		user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i),
		conversation_id: requireString(this, this.getNodeParameter('conversationId', i), 'Conversation ID', i),
		messages: readMessages.call(this, i, (options.chatTime as string) || undefined),
	};
	setWriteScope(this, body, options, i);
	if (options.asyncMode !== undefined) body.async_mode = options.asyncMode;

	const data = await memosRequest.call(this, '/add/message', body, { itemIndex: i });
	return await waitIfAsked.call(this, data, i);
}

export async function getMessages(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	return await memosRequest.call(
		this,
		'/get/message',
		{
			user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i),
			conversation_id: requireString(this, this.getNodeParameter('conversationId', i), 'Conversation ID', i),
			message_limit_number: this.getNodeParameter('limit', i, 50) as number,
		},
		{ itemIndex: i },
	);
}

export async function getStatus(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const taskId = requireString(this, this.getNodeParameter('taskId', i), 'Task ID', i);
	if (this.getNodeParameter('waitForCompletion', i, false)) {
		return await waitForTask.call(this, taskId, {
			timeoutSeconds: this.getNodeParameter('waitTimeout', i, 60) as number,
			itemIndex: i,
		});
	}
	const data = await memosRequest.call(this, '/get/status', { task_id: taskId }, { itemIndex: i });
	return { task_id: taskId, ...data };
}

export async function extract(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const messages = readMessages.call(this, i).map((m) => ({ role: m.role, content: m.content }));
	const body: IDataObject = { messages };
	const types = this.getNodeParameter('extractionTypes', i, []) as string[];
	if (types.length > 0) body.extraction_types = types;
	return await memosRequest.call(this, '/extract/memory', body, { itemIndex: i });
}
