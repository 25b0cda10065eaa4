import { collectSse } from '../../nodes/shared/sse';
import { runNode } from './harness';
import { serverHasEndpoint, uid, useMemos } from './setup';

const fx = useMemos();

// /chat reached memos-lite after the memory endpoints: skipped while the server has no such route.
const chatTest = serverHasEndpoint('/chat') ? test : test.skip;

describe('MemOS Chat', () => {
	chatTest('parameters map onto /chat and the answer comes back as `response`', async () => {
		const user = uid('u');
		const r = await runNode({
			type: 'memOsChat',
			credentials: fx.creds,
			items: [{ json: { chatInput: 'What do I like to drink?' } }],
			parameters: {
				query: '={{ $json.chatInput }}',
				userId: user,
				conversationId: 'c1',
				addMessageOnAnswer: false,
				options: { systemPrompt: 'Be brief.', temperature: 0.2, topP: 0.9, maxTokens: 256, memoryLimit: 3, includePreference: false, knowledgebaseIds: 'all', tags: 'Drinks' },
			},
		});
		expect(r.error).toBeUndefined();
		expect(fx.recorder.bodies('/chat')[0]).toEqual({
			user_id: user,
			conversation_id: 'c1',
			query: 'What do I like to drink?',
			add_message_on_answer: false,
			stream: false,
			knowledgebase_ids: 'all',
			system_prompt: 'Be brief.',
			memory_limit_number: 3,
			include_preference: false,
			max_tokens: 256,
			temperature: 0.2,
			top_p: 0.9,
			tags: ['Drinks'],
		});
		expect(typeof r.json[0].response).toBe('string');
	});

	chatTest('a streamed answer is collected into one `response`', async () => {
		const r = await runNode({
			type: 'memOsChat',
			credentials: fx.creds,
			parameters: { query: 'Hello there', userId: uid('u'), conversationId: 'c', addMessageOnAnswer: false, options: { stream: true } },
		});
		expect(r.error).toBeUndefined();
		expect(r.json[0]).toMatchObject({ streamed: true, response: expect.any(String) });
		expect((r.json[0].response as string).length).toBeGreaterThan(0);
	});
});

describe('SSE collection', () => {
	test('concatenates text deltas, keeps references, ignores unknown frames, stops at end', () => {
		const raw = [
			'data: {"type":"text","data":"Hel"}',
			'',
			'data: {"type":"reference","data":["m1","m2"]}',
			'data: {"type":"status","data":"thinking"}',
			'data: {"type":"text","data":"lo"}',
			'data: {"type":"end"}',
			'data: {"type":"text","data":"ignored"}',
		].join('\n');
		expect(collectSse(raw)).toEqual({ response: 'Hello', references: ['m1', 'm2'], frames: 5 });
	});

	test('an error frame aborts with its code', () => {
		const r = collectSse('data: {"type":"text","data":"a"}\n\ndata: {"type":"error","code":40301,"message":"too long"}\n\n');
		expect(r.error).toEqual({ code: 40301, message: 'too long' });
	});
});
