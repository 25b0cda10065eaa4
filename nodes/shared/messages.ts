import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseJsonParam } from './params';

const ROLES = new Set(['user', 'assistant', 'system', 'tool']);

/** "user message + assistant reply" fields -> a MemOS messages array. */
export function messagesFromFields(userMessage: string, assistantReply: string, chatTime?: string): IDataObject[] {
	const messages: IDataObject[] = [];
	if (userMessage.trim() !== '') messages.push({ role: 'user', content: userMessage });
	if (assistantReply.trim() !== '') messages.push({ role: 'assistant', content: assistantReply });
	if (chatTime) for (const m of messages) m.chat_time = chatTime;
	return messages;
}

/**
 * A JSON messages array as MemOS expects it. Accepts the array itself, `{messages: [...]}`, or its text.
 * Tool-call `arguments` must be a JSON string on the wire; objects are stringified here.
 */
export function messagesFromJson(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	defaultChatTime?: string,
): IDataObject[] {
	let parsed = parseJsonParam(this, value, 'Messages (JSON)', itemIndex);
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'messages' in parsed) {
		parsed = (parsed as IDataObject).messages;
	}
	if (!Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), 'Messages (JSON) must be an array of {role, content} objects', {
			itemIndex,
		});
	}
	return parsed.map((raw, n) => {
		if (!raw || typeof raw !== 'object') {
			throw new NodeOperationError(this.getNode(), `Message ${n + 1} is not an object`, { itemIndex });
		}
		const message = { ...(raw as IDataObject) };
		const role = String(message.role ?? '');
		if (!ROLES.has(role)) {
			throw new NodeOperationError(
				this.getNode(),
				`Message ${n + 1} has role "${role}"; use user, assistant, system or tool`,
				{ itemIndex },
			);
		}
		if (Array.isArray(message.tool_calls)) {
			message.tool_calls = (message.tool_calls as IDataObject[]).map((call) => {
				const fn = { ...((call.function as IDataObject) ?? {}) };
				if (fn.arguments !== undefined && typeof fn.arguments !== 'string') {
					fn.arguments = JSON.stringify(fn.arguments);
				}
				return { type: 'function', ...call, function: fn };
			});
		}
		if (role === 'tool' && message.content !== undefined && typeof message.content === 'object' && !Array.isArray(message.content)) {
			message.content = JSON.stringify(message.content);
		}
		if (defaultChatTime && message.chat_time === undefined) message.chat_time = defaultChatTime;
		return message;
	});
}
