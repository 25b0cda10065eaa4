/**
 * The Chat Memory node's recall cache on its own (nodes/MemOsChatMemory/recall.ts), with the n8n context reduced to
 * what it reads: the execution id, the node, the credential and the HTTP helper answering like MemOS.
 */
import type { IDataObject, ISupplyDataFunctions } from 'n8n-workflow';

import { recallCacheSize, recallContext, type RecallScope } from '../../nodes/MemOsChatMemory/recall';

type Reply = (body: IDataObject) => { code: number; data?: IDataObject; message?: string };

function context(executionId: string | undefined, reply: Reply) {
	const bodies: IDataObject[] = [];
	const ctx = {
		getExecutionId: () => executionId,
		getNode: () => ({ name: 'MemOS Chat Memory', type: 'memOsChatMemory', typeVersion: 1, parameters: {} }),
		getCredentials: async () => ({ baseUrl: 'http://127.0.0.1:9', apiKey: 'mpg-test' }),
		helpers: {
			httpRequestWithAuthentication: async (_name: string, req: { body: IDataObject }) => {
				bodies.push(req.body);
				return { statusCode: 200, body: reply(req.body) };
			},
		},
	} as unknown as ISupplyDataFunctions;
	return { ctx, bodies };
}

const found: Reply = (b) => ({ code: 0, data: { memory_detail_list: [{ id: '1', memory_key: 'k', memory_value: `remembered for ${b.user_id}`, create_time: 0 }] } });
const scope = (over: Partial<RecallScope> = {}): RecallScope => ({ userId: 'u', conversationId: 's', query: 'q', search: {}, itemIndex: 0, timeZone: 'UTC', ...over });
const exec = () => 'exec-' + Math.random().toString(36).slice(2);

test('one search per key within an execution; none shared without an execution id', async () => {
	const { ctx, bodies } = context(exec(), found);
	expect(await recallContext(ctx, scope())).toContain('remembered for u');
	expect(await recallContext(ctx, scope())).toContain('remembered for u');
	expect(bodies).toHaveLength(1);
	const bare = context(undefined, found);
	await recallContext(bare.ctx, scope());
	await recallContext(bare.ctx, scope());
	expect(bare.bodies).toHaveLength(2);
});

test('nothing recalled: no memory message at all', async () => {
	const { ctx } = context(exec(), () => ({ code: 0, data: { memory_detail_list: [], preference_detail_list: [] } }));
	expect(await recallContext(ctx, scope())).toBeUndefined();
});

test('a failed search is not kept: the next load searches again', async () => {
	let fail = true;
	const { ctx, bodies } = context(exec(), (b) => (fail ? { code: 50005, message: 'search unavailable' } : found(b)));
	await expect(recallContext(ctx, scope({ itemIndex: 2 }))).rejects.toMatchObject({ context: { itemIndex: 2 } });
	fail = false;
	expect(await recallContext(ctx, scope({ itemIndex: 2 }))).toContain('remembered for u');
	expect(bodies).toHaveLength(2);
});

test('the cache keeps at most 200 recalls, dropping the oldest', async () => {
	const { ctx, bodies } = context(exec(), found);
	for (let i = 0; i < 201; i++) await recallContext(ctx, scope({ query: `q${i}` }));
	expect(recallCacheSize()).toBe(200);
	// q0 was dropped, q200 is still there.
	await recallContext(ctx, scope({ query: 'q200' }));
	expect(bodies).toHaveLength(201);
	await recallContext(ctx, scope({ query: 'q0' }));
	expect(bodies).toHaveLength(202);
});
