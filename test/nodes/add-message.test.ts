import { runNode } from './harness';
import { uid, useMemos } from './setup';

const fx = useMemos();

describe('MemOS Add Message', () => {
	test('fields and options map onto /add/message with real JSON types', async () => {
		const user = uid('u');
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			items: [{ json: { user, text: 'I like green tea' } }],
			parameters: {
				operation: 'add',
				userId: '={{ $json.user }}',
				conversationId: 'conv-1',
				messageInput: 'fields',
				userMessage: '={{ $json.text }}',
				assistantReply: 'Noted.',
				options: {
					agentId: 'agent-a',
					appId: 'app-b',
					tags: 'Drinks, Tea',
					info: '{"scene":"chat","biz_id":"o-9"}',
					allowPublic: false,
					asyncMode: false,
					chatTime: '2025-06-10 08:00:00',
				},
			},
		});
		expect(r.error).toBeUndefined();
		expect(fx.recorder.bodies('/add/message')).toEqual([
			{
				user_id: user,
				conversation_id: 'conv-1',
				messages: [
					{ role: 'user', content: 'I like green tea', chat_time: '2025-06-10 08:00:00' },
					{ role: 'assistant', content: 'Noted.', chat_time: '2025-06-10 08:00:00' },
				],
				agent_id: 'agent-a',
				app_id: 'app-b',
				tags: ['Drinks', 'Tea'],
				info: { scene: 'chat', biz_id: 'o-9' },
				allow_public: false,
				async_mode: false,
			},
		]);
		expect(r.json[0]).toMatchObject({ success: true, status: 'completed' });
		expect(r.items[0].pairedItem).toEqual({ item: 0 });
		expect(fx.recorder.requests[0].authorization).toBe(`Token ${fx.server.apiKey}`);
	});

	test('a JSON array keeps roles, chat_time and tool calls; object arguments are sent as a JSON string', async () => {
		const messages = [
			{ role: 'system', content: 'Tools: get_weather(location)' },
			{ role: 'user', content: 'Weather in Beijing?', chat_time: '2025-12-10 09:00:00' },
			{
				role: 'assistant',
				tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: { location: 'Beijing' } } }],
			},
			{ role: 'tool', tool_call_id: 'call_1', content: '{"temp":"7°C","sky":"cloudy"}' },
			{ role: 'assistant', content: '7°C and cloudy.' },
		];
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: {
				operation: 'add',
				userId: uid('u'),
				conversationId: 'weather',
				messageInput: 'json',
				messagesJson: JSON.stringify(messages),
			},
		});
		expect(r.error).toBeUndefined();
		const sent = fx.recorder.bodies('/add/message')[0].messages;
		expect(sent).toHaveLength(5);
		expect(sent[2].tool_calls[0].function).toEqual({ name: 'get_weather', arguments: '{"location":"Beijing"}' });
		expect(sent[1].chat_time).toBe('2025-12-10 09:00:00');
		expect(sent[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"temp":"7°C","sky":"cloudy"}' });
	});

	test('"wait for completion" polls /get/status until the task is done', async () => {
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: {
				operation: 'add',
				userId: uid('u'),
				conversationId: 'c',
				messageInput: 'fields',
				userMessage: 'I moved to Shanghai in June',
				waitForCompletion: true,
				waitTimeout: 30,
			},
		});
		expect(r.error).toBeUndefined();
		expect(r.json[0].status).toBe('completed');
		const taskId = fx.recorder.bodies('/get/status')[0]?.task_id;
		expect(taskId).toBe(r.json[0].task_id);
	});

	test('Get Messages and Get Task Status', async () => {
		const user = uid('u');
		const added = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'add', userId: user, conversationId: 'c1', messageInput: 'fields', userMessage: 'first', assistantReply: 'second' },
		});
		fx.recorder.reset();
		const messages = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'getMessages', userId: user, conversationId: 'c1', limit: 4 },
		});
		expect(fx.recorder.bodies('/get/message')).toEqual([{ user_id: user, conversation_id: 'c1', message_limit_number: 4 }]);
		expect(messages.json[0].message_detail_list).toEqual([
			expect.objectContaining({ role: 'user', content: 'first' }),
			expect.objectContaining({ role: 'assistant', content: 'second' }),
		]);
		const status = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'getStatus', taskId: added.json[0].task_id, waitForCompletion: true },
		});
		expect(status.json[0]).toMatchObject({ task_id: added.json[0].task_id, status: 'completed' });
	});

	test('Extract Memory sends text messages and extraction types, and stores nothing', async () => {
		const user = uid('u');
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: {
				operation: 'extract',
				messageInput: 'fields',
				userMessage: 'I am Alex, 28, a backend developer in Hangzhou. Keep replies short.',
				extractionTypes: ['memory'],
			},
		});
		expect(r.error).toBeUndefined();
		expect(fx.recorder.bodies('/extract/memory')).toEqual([
			{
				messages: [{ role: 'user', content: 'I am Alex, 28, a backend developer in Hangzhou. Keep replies short.' }],
				extraction_types: ['memory'],
			},
		]);
		expect(Array.isArray(r.json[0].memory_detail_list)).toBe(true);
		expect(fx.recorder.bodies('/add/message')).toHaveLength(0);
		void user;
	});

	test('a MemOS error code becomes a NodeApiError with the code and message', async () => {
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'add', userId: 'u', conversationId: 'x'.repeat(101), messageInput: 'fields', userMessage: 'hi' },
		});
		expect(r.error?.name).toBe('NodeApiError');
		expect(r.error?.message).toMatch(/^MemOS error 40011: /);
		expect(r.error?.description).toMatch(/conversation ID is longer than 100/i);
	});

	test('with Continue On Fail the error is an output item carrying the code, paired to its input', async () => {
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			continueOnFail: true,
			items: [{ json: { c: 'ok-conv' } }, { json: { c: 'y'.repeat(101) } }],
			parameters: { operation: 'add', userId: 'u', conversationId: '={{ $json.c }}', messageInput: 'fields', userMessage: 'hello' },
		});
		expect(r.error).toBeUndefined();
		expect(r.json[0]).toMatchObject({ success: true });
		expect(r.json[1]).toMatchObject({ code: 40011, error: expect.stringMatching(/40011/) });
		expect(r.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('input problems are caught before calling MemOS', async () => {
		const empty = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'add', userId: 'u', conversationId: 'c', messageInput: 'fields', userMessage: '' },
		});
		expect(empty.error?.message).toBe('There are no messages to send');
		const badJson = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'add', userId: 'u', conversationId: 'c', messageInput: 'json', messagesJson: '[{"role": "user",' },
		});
		expect(badJson.error?.message).toMatch(/Messages \(JSON\) is not valid JSON/);
		const badRole = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'add', userId: 'u', conversationId: 'c', messageInput: 'json', messagesJson: '[{"role":"human","content":"x"}]' },
		});
		expect(badRole.error?.message).toMatch(/role "human"/);
		expect(fx.recorder.requests).toHaveLength(0);
	});

	test('an unknown task id fails with 50131', async () => {
		const r = await runNode({
			type: 'memOsAddMessage',
			credentials: fx.creds,
			parameters: { operation: 'getStatus', taskId: 'task-does-not-exist' },
		});
		expect(r.error?.message).toMatch(/^MemOS error 50131/);
	});
});
