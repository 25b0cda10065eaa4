import type { ChatHistory, Message } from '@n8n/ai-node-sdk';
import { BaseChatMemory } from '@n8n/ai-node-sdk';

import { startAtUserTurn } from './convert';

export interface MemoryConfig {
	/** Number of recent messages to replay (the history already limits what it loads). */
	windowMessages: number;
	startAtUserTurn: boolean;
	/** Resolves the recalled long-term context for the current input, or undefined. */
	recall?: () => Promise<string | undefined>;
}

/**
 * Window of recent turns from MemOS, preceded by the long-term recall.
 * The recall is injected here only, not in the history: the Chat Trigger's "load previous session" reads
 * `chatHistory.getMessages()` and must show real turns only. It goes in as a *user* message because
 * several chat models (Anthropic, Gemini) reject a system message after the first position.
 */
export class MemosLongTermMemory extends BaseChatMemory {
	constructor(
		readonly chatHistory: ChatHistory,
		private readonly config: MemoryConfig,
	) {
		super();
	}

	async loadMessages(): Promise<Message[]> {
		let recent = await this.chatHistory.getMessages();
		if (recent.length > this.config.windowMessages) recent = recent.slice(-this.config.windowMessages);
		if (this.config.startAtUserTurn) recent = startAtUserTurn(recent);
		const recalled = this.config.recall ? await this.config.recall() : undefined;
		if (!recalled) return recent;
		return [{ role: 'user', content: [{ type: 'text', text: recalled }] }, ...recent];
	}

	async saveTurn(input: string, output: string): Promise<void> {
		await this.chatHistory.addMessages([
			{ role: 'user', content: [{ type: 'text', text: input }] },
			{ role: 'assistant', content: [{ type: 'text', text: output }] },
		]);
	}

	async clear(): Promise<void> {
		await this.chatHistory.clear();
	}
}
