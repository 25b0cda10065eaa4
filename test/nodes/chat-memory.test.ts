import type { IDataObject } from 'n8n-workflow';

import { runNode } from './harness';
import { uid, useMemos } from './setup';

const fx = useMemos();

interface Load {
	messages: Array<{ role: string; text: string }>;
}

/** Runs the memory under the probe agent; `steps` is what the agent does with it. */
async function agentTurn(params: IDataObject, input: IDataObject, steps = 'load,save', reply = 'OK, noted.') {
	const r = await runNode({
		type: 'memOsChatMemory',
		credentials: fx.creds,
		items: [{ json: input }],
		parameters: { sessionKey: '={{ $json.sessionId }}', recallQuery: '={{ $json.chatInput }}', options: { relativity: 0 }, ...params },
		consumer: { type: 'test.memoryProbe', parameters: { steps, reply }, connection: 'ai_memory' },
	});
	if (r.error) throw new Error(`${r.error.message}: ${r.error.description ?? ''}`);
	return { ...r, report: r.json[0] as { loads: Load[]; history?: Array<{ role: string; text: string }> } };
}

describe('MemOS Chat Memory (driven through the engine like the AI Agent)', () => {
	test('a fact from an earlier session is recalled into the prompt as a user message before the window', async () => {
		const user = uid('alice');
		await agentTurn({ userId: user }, { sessionId: 's1', chatInput: 'My dog Rex is allergic to chicken.' });
		fx.recorder.reset();
		const { report } = await agentTurn({ userId: user }, { sessionId: 's2', chatInput: 'What should I feed Rex tonight?' }, 'load');
		const [first] = report.loads[0].messages;
		expect(first.role).toBe('human');
		expect(first.text).toMatch(/^Long-term memory about the user/);
		expect(first.text).toContain('allergic to chicken');
		expect(fx.recorder.bodies('/search/memory')).toEqual([
			{
				memory_limit_number: 6,
				include_preference: true,
				preference_limit_number: 6,
				relativity: 0,
				user_id: user,
				conversation_id: 's2',
				query: 'What should I feed Rex tonight?',
			},
		]);
	});

	test('the window replays recent turns of the session from /get/message, oldest first', async () => {
		const user = uid('bob');
		for (const text of ['one', 'two', 'three']) {
			await agentTurn({ userId: user, recallQuery: '' }, { sessionId: 'w', chatInput: text }, 'load,save', `re ${text}`);
		}
		fx.recorder.reset();
		const { report } = await agentTurn({ userId: user, recallQuery: '', options: { windowSize: 2 } }, { sessionId: 'w', chatInput: 'four' }, 'load');
		expect(fx.recorder.bodies('/get/message')).toEqual([{ user_id: user, conversation_id: 'w', message_limit_number: 4 }]);
		expect(report.loads[0].messages).toEqual([
			{ role: 'human', text: 'two' },
			{ role: 'ai', text: 're two' },
			{ role: 'human', text: 'three' },
			{ role: 'ai', text: 're three' },
		]);
		expect(fx.recorder.bodies('/search/memory')).toHaveLength(0);
	});

	test('an odd window never opens with an assistant message', async () => {
		const user = uid('carol');
		await agentTurn({ userId: user, recallQuery: '' }, { sessionId: 'o', chatInput: 'hello' }, 'load,save', 'hi there');
		// three stored messages: user, assistant, plus an assistant-only write from another writer
		await runNode({
			type: 'memOsAddMessage',
			credentials: fx.direct,
			parameters: { operation: 'add', userId: user, conversationId: 'o', messageInput: 'json', messagesJson: '[{"role":"user","content":"q2"},{"role":"assistant","content":"a2"}]' },
		});
		const { report } = await agentTurn(
			{ userId: user, recallQuery: '', options: { windowSize: 1 } },
			{ sessionId: 'o', chatInput: 'next' },
			'load',
		);
		expect(report.loads[0].messages[0].role).toBe('human');
	});

	test('saveContext stores the turn as user + assistant; the recall text is never stored', async () => {
		const user = uid('dan');
		await agentTurn({ userId: user }, { sessionId: 'seed', chatInput: 'I live in Hangzhou.' });
		fx.recorder.reset();
		await agentTurn({ userId: user, options: { relativity: 0, agentId: 'support-bot', tags: 'Home' } }, { sessionId: 'n', chatInput: 'Where do I live?' }, 'load,save', 'In Hangzhou.');
		expect(fx.recorder.bodies('/add/message')).toEqual([
			{
				agent_id: 'support-bot',
				tags: ['Home'],
				user_id: user,
				conversation_id: 'n',
				messages: [
					{ role: 'user', content: 'Where do I live?' },
					{ role: 'assistant', content: 'In Hangzhou.' },
				],
			},
		]);
	});

	test('with tools, the agent writes through chatHistory.addMessages: tool output is stored as a tool message', async () => {
		const user = uid('erin');
		await agentTurn({ userId: user, recallQuery: '' }, { sessionId: 't', chatInput: 'Weather in Beijing?' }, 'tools', '7°C and cloudy.');
		const [body] = fx.recorder.bodies('/add/message');
		expect(body.messages).toEqual([
			{ role: 'user', content: 'Weather in Beijing?' },
			{
				role: 'assistant',
				content: '',
				tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Beijing"}' } }],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '{"temperature":"7°C","sky":"cloudy"}' },
			{ role: 'assistant', content: '7°C and cloudy.' },
		]);
		expect(body.messages.filter((m: { role: string }) => m.role === 'user')).toHaveLength(1);
	});

	test('recall is cached per execution: tool rounds re-load the memory without searching again', async () => {
		const user = uid('fay');
		await agentTurn({ userId: user }, { sessionId: 'c', chatInput: 'I love jazz.' });
		fx.recorder.reset();
		await agentTurn({ userId: user }, { sessionId: 'c', chatInput: 'Any music tips?' }, 'load,load,load');
		expect(fx.recorder.bodies('/search/memory')).toHaveLength(1);
		expect(fx.recorder.bodies('/get/message')).toHaveLength(3);
		fx.recorder.reset();
		await agentTurn({ userId: user }, { sessionId: 'c', chatInput: 'Any music tips?' }, 'load');
		expect(fx.recorder.bodies('/search/memory')).toHaveLength(1);
	});

	test('chatHistory.getMessages (the Chat Trigger "load previous session") shows real turns only', async () => {
		const user = uid('gus');
		await agentTurn({ userId: user }, { sessionId: 'h', chatInput: 'I am vegetarian.' }, 'load,save', 'Noted!');
		const { report } = await agentTurn({ userId: user }, { sessionId: 'h', chatInput: 'I am vegetarian.' }, 'history');
		expect(report.history).toEqual([
			{ role: 'human', text: 'I am vegetarian.' },
			{ role: 'ai', text: 'Noted!' },
		]);
	});

	test('"Remember Turns" off: nothing is written', async () => {
		const user = uid('hal');
		await agentTurn({ userId: user, options: { writeBack: false } }, { sessionId: 'x', chatInput: 'secret' }, 'load,save,tools');
		expect(fx.recorder.bodies('/add/message')).toHaveLength(0);
	});

	test('missing session key or user ID stop the agent with a clear message', async () => {
		await expect(agentTurn({ userId: 'u' }, { chatInput: 'hi' })).rejects.toThrow(/No session key found/);
		await expect(agentTurn({ userId: '' }, { sessionId: 's', chatInput: 'hi' })).rejects.toThrow(/User ID is required/);
	});

	test('a wrong key fails the memory with the MemOS code', async () => {
		const r = await runNode({
			type: 'memOsChatMemory',
			credentials: { ...fx.creds, apiKey: 'mpg-wrong' },
			items: [{ json: { sessionId: 's', chatInput: 'hi' } }],
			parameters: { sessionKey: '={{ $json.sessionId }}', userId: 'u', recallQuery: '={{ $json.chatInput }}' },
			consumer: { type: 'test.memoryProbe', parameters: { steps: 'load' }, connection: 'ai_memory' },
		});
		expect(JSON.stringify(r.error?.message ?? '') + JSON.stringify(r.runData)).toMatch(/40132/);
	});
});
