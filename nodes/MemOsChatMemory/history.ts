import type { Message } from '@n8n/ai-node-sdk';
import { BaseChatHistory } from '@n8n/ai-node-sdk';
import type { IDataObject, ISupplyDataFunctions } from 'n8n-workflow';

import { memosRequest } from '../shared/transport';
import { fromMemosMessages, toMemosMessages } from './convert';

export interface HistoryScope {
	userId: string;
	conversationId: string;
	/** Most recent messages to load (MemOS allows up to 50). */
	messageLimit: number;
	writeBack: boolean;
	/** Extra /add/message fields: agent_id, app_id, tags, async_mode... */
	writeFields: IDataObject;
	itemIndex: number;
}

/**
 * The conversation as MemOS stores it: `/get/message` for the short-term window, `/add/message` for writes.
 * Writes happen here rather than in saveTurn because an agent that used tools calls
 * `chatHistory.addMessages()` directly and never calls saveTurn.
 */
export class MemosChatHistory extends BaseChatHistory {
	constructor(
		private readonly ctx: ISupplyDataFunctions,
		private readonly scope: HistoryScope,
	) {
		super();
	}

	async getMessages(): Promise<Message[]> {
		const data = await memosRequest.call(
			this.ctx,
			'/get/message',
			{
				user_id: this.scope.userId,
				conversation_id: this.scope.conversationId,
				message_limit_number: this.scope.messageLimit,
			},
			{ itemIndex: this.scope.itemIndex },
		);
		return fromMemosMessages((data.message_detail_list as IDataObject[]) ?? []);
	}

	async addMessage(message: Message): Promise<void> {
		await this.addMessages([message]);
	}

	async addMessages(messages: Message[]): Promise<void> {
		if (!this.scope.writeBack) return;
		const converted = toMemosMessages(messages);
		if (converted.length === 0) return;
		await memosRequest.call(
			this.ctx,
			'/add/message',
			{
				...this.scope.writeFields,
				user_id: this.scope.userId,
				conversation_id: this.scope.conversationId,
				messages: converted,
			},
			{ itemIndex: this.scope.itemIndex },
		);
	}

	/** MemOS has no "delete one conversation" call (deleting is per memory or per user), so nothing to do. */
	async clear(): Promise<void> {}
}
