import type { Message, MessageContent } from '@n8n/ai-node-sdk';
import type { IDataObject } from 'n8n-workflow';

/** Conversions between the AI SDK's Message and MemOS messages (contract §2.1, §3.6). */

function textOf(content: MessageContent[]): string {
	return content
		.filter((c): c is Extract<MessageContent, { type: 'text' }> => c.type === 'text')
		.map((c) => c.text)
		.join('\n')
		.trim();
}

function stringify(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value ?? null);
	} catch {
		return String(value);
	}
}

/**
 * The agent hands over plain turns ([user, assistant]) or, when it used tools,
 * [user, assistant(tool calls), tool(results)..., assistant]. Tool results become `role: "tool"` messages
 * linked by `tool_call_id`, so MemOS files them as tool memory and never as something the user said.
 */
export function toMemosMessages(messages: Message[]): IDataObject[] {
	const out: IDataObject[] = [];
	for (const message of messages) {
		const content = Array.isArray(message.content) ? message.content : [];
		const text = textOf(content);
		if (message.role === 'user') {
			if (text) out.push({ role: 'user', content: text });
		} else if (message.role === 'assistant') {
			const calls = content.filter(
				(c): c is Extract<MessageContent, { type: 'tool-call' }> => c.type === 'tool-call',
			);
			if (calls.length === 0) {
				if (text) out.push({ role: 'assistant', content: text });
				continue;
			}
			out.push({
				role: 'assistant',
				content: text,
				tool_calls: calls.map((call, n) => ({
					id: call.toolCallId ?? `call_${n}`,
					type: 'function',
					function: { name: call.toolName, arguments: stringify(call.input ?? '{}') },
				})),
			});
		} else if (message.role === 'tool') {
			for (const part of content) {
				if (part.type !== 'tool-result') continue;
				out.push({ role: 'tool', tool_call_id: part.toolCallId, content: stringify(part.result) });
			}
		}
		// System messages are the agent's own instructions, not conversation: never stored.
	}
	return out;
}

/** `/get/message` rows -> SDK messages. Only user/assistant text is replayed into the window. */
export function fromMemosMessages(rows: IDataObject[]): Message[] {
	const out: Message[] = [];
	for (const row of rows) {
		const role = String(row.role ?? '');
		if (role !== 'user' && role !== 'assistant') continue;
		const raw = row.content;
		const text = typeof raw === 'string' ? raw : Array.isArray(raw) ? textOfParts(raw as IDataObject[]) : '';
		if (text.trim() === '') continue;
		out.push({ role, content: [{ type: 'text', text }] });
	}
	return out;
}

function textOfParts(parts: IDataObject[]): string {
	return parts
		.filter((p) => p.type === 'text' && typeof p.text === 'string')
		.map((p) => p.text as string)
		.join('\n');
}

/**
 * The window must open with a user turn: a leading assistant or tool message would be an orphan
 * (n8n only cleans orphans at position 0, where the recall message sits).
 */
export function startAtUserTurn(messages: Message[]): Message[] {
	const first = messages.findIndex((m) => m.role === 'user');
	return first <= 0 ? (first === 0 ? messages : []) : messages.slice(first);
}
