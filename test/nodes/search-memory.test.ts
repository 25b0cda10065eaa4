import { runNode } from './harness';
import { uid, useMemos } from './setup';

const fx = useMemos();

async function remember(user: string, text: string, conversation = 'c1') {
	const r = await runNode({
		type: 'memOsAddMessage',
		credentials: fx.direct,
		parameters: {
			operation: 'add',
			userId: user,
			conversationId: conversation,
			messageInput: 'fields',
			userMessage: text,
			options: { chatTime: '2025-06-10 08:00:00' },
		},
	});
	expect(r.error).toBeUndefined();
}

describe('MemOS Search Memory', () => {
	test('search options map onto /search/memory; the output adds a prompt-ready context', async () => {
		const user = uid('u');
		await remember(user, 'My dog Rex does not eat chicken.');
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			items: [{ json: { chatInput: 'What should Rex eat?' } }],
			parameters: {
				operation: 'search',
				query: '={{ $json.chatInput }}',
				userId: user,
				conversationId: 'c2',
				options: {
					memoryLimit: 5,
					includePreference: false,
					preferenceLimit: 3,
					includeToolMemory: true,
					toolMemoryLimit: 2,
					includeSkill: false,
					skillLimit: 1,
					relativity: 0,
					filter: '{"and":[{"scene":"chat"}]}',
				},
			},
		});
		expect(r.error).toBeUndefined();
		expect(fx.recorder.bodies('/search/memory')).toEqual([
			{
				user_id: user,
				query: 'What should Rex eat?',
				conversation_id: 'c2',
				filter: { and: [{ scene: 'chat' }] },
				memory_limit_number: 5,
				include_preference: false,
				preference_limit_number: 3,
				include_tool_memory: true,
				tool_memory_limit_number: 2,
				include_skill: false,
				skill_limit_number: 1,
				relativity: 0,
			},
		]);
		// the filter scene=chat matches nothing written above: lists come back empty but present
		expect(r.json[0]).toMatchObject({ memory_detail_list: [], preference_detail_list: [], memory_count: 0 });
	});

	test('the context follows the contract prompt template and lists the recalled memories', async () => {
		const user = uid('u');
		await remember(user, 'My dog Rex does not eat chicken.');
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'search', query: 'What does Rex eat?', userId: user, options: { relativity: 0 } },
		});
		const { context, memory_count } = r.json[0] as { context: string; memory_count: number };
		expect(memory_count).toBeGreaterThan(0);
		for (const heading of ['# Role', '# System Context', '# Memory Data', '## Facts', '# Safety Protocol', '# Instructions', '# Original Query']) {
			expect(context).toContain(heading);
		}
		expect(context).toMatch(/-\[2025-06-10 08:00\] .*does not eat chicken/);
		expect(context.trim().endsWith('What does Rex eat?')).toBe(true);
		// no knowledge base searched: no KB instructions
		expect(context).not.toContain('knowledge base');
	});

	test('"all" knowledge bases and the short context style; one item per memory on request', async () => {
		const user = uid('u');
		await remember(user, 'I prefer window seats on flights.');
		const short = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'search', query: 'window seats', userId: user, options: { relativity: 0, knowledgebaseIds: 'all', contextStyle: 'short' } },
		});
		expect(fx.recorder.bodies('/search/memory')[0].knowledgebase_ids).toBe('all');
		expect(short.json[0].context).toMatch(/## Memories:\n1\. /);
		const split = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'search', query: 'window seats', userId: user, output: 'split', options: { relativity: 0 } },
		});
		expect(split.json.length).toBeGreaterThan(0);
		expect(split.json[0]).toMatchObject({ category: 'fact', text: expect.stringContaining('window seats') });
		expect(split.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Get Many pages through /get/memory; Delete removes by ID and by user', async () => {
		const user = uid('u');
		await remember(user, 'I live in Beijing.');
		await remember(user, 'I play badminton.');
		const list = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'getAll', userId: user, page: 1, size: 50, getAllOptions: { includePreference: true, includeToolMemory: true } },
		});
		expect(fx.recorder.bodies('/get/memory')).toEqual([
			{ user_id: user, page: 1, size: 50, include_preference: true, include_tool_memory: true },
		]);
		const ids = (list.json[0].memory_detail_list as Array<{ id: string }>).map((m) => m.id);
		expect(ids.length).toBeGreaterThan(1);

		const one = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'delete', deleteBy: 'ids', memoryIds: `${ids[0]}, ${ids[1]}` },
		});
		expect(fx.recorder.bodies('/delete/memory')[0]).toEqual({ memory_ids: [ids[0], ids[1]] });
		expect(one.json[0]).toMatchObject({ success: true, deleted_ids: [ids[0], ids[1]] });

		await remember(user, 'I like jazz.');
		const all = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'delete', deleteBy: 'user', userId: user },
		});
		expect(fx.recorder.bodies('/delete/memory')[1]).toEqual({ user_id: user });
		expect(all.json[0]).toMatchObject({ success: true });

		const again = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'delete', deleteBy: 'ids', memoryIds: ids[0] },
		});
		expect(again.error?.message).toMatch(/^MemOS error 40307/);
	});

	test('Rerank accepts lines or a JSON array and passes the bare /rerank answer through', async () => {
		const r = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: {
				operation: 'rerank',
				query: 'What are my hobbies?',
				documents: "I prefer Jiangxiang baijiu, especially Moutai\nI play badminton every weekend\nI don't drink",
				rerankOptions: { topN: 2, model: 'memos-reranker-0.6b' },
			},
		});
		expect(r.error).toBeUndefined();
		expect(fx.recorder.bodies('/rerank')[0]).toEqual({
			query: 'What are my hobbies?',
			documents: ['I prefer Jiangxiang baijiu, especially Moutai', 'I play badminton every weekend', "I don't drink"],
			model: 'memos-reranker-0.6b',
			top_n: 2,
		});
		expect(r.json[0].results).toHaveLength(2);
		const json = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'rerank', query: 'q', documents: '["a, b", "c"]' },
		});
		expect(fx.recorder.bodies('/rerank')[1].documents).toEqual(['a, b', 'c']);
		expect(json.error).toBeUndefined();
	});

	test('a malformed filter is rejected by MemOS with 40000; a non-object filter by the node', async () => {
		const bad = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'search', query: 'x', userId: 'u', options: { filter: '{"user_id":"u"}' } },
		});
		expect(bad.error?.message).toMatch(/^MemOS error 40000/);
		const notObject = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'search', query: 'x', userId: 'u', options: { filter: '[1,2]' } },
		});
		expect(notObject.error?.message).toBe('Filter must be a JSON object');
	});
});
