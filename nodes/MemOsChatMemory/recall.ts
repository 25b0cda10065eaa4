import type { IDataObject, ISupplyDataFunctions } from 'n8n-workflow';

import { memoryBlock, memoryCount } from '../shared/prompt';
import { memosRequest } from '../shared/transport';

export interface RecallScope {
	userId: string;
	conversationId: string;
	query: string;
	search: IDataObject;
	itemIndex: number;
	timeZone: string;
}

/**
 * With tool calls the agent re-enters the memory (supplyData + loadMessages run again for each tool round),
 * so one execution would search MemOS several times for the same input. Cache the answer per execution;
 * the promise is stored so concurrent loads share one request, and failures are not kept.
 */
const cache = new Map<string, Promise<string | undefined>>();
const CACHE_LIMIT = 200;

function remember(key: string, value: Promise<string | undefined>): void {
	cache.set(key, value);
	while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
}

export function recallCacheSize(): number {
	return cache.size;
}

export async function recallContext(ctx: ISupplyDataFunctions, scope: RecallScope): Promise<string | undefined> {
	const executionId = ctx.getExecutionId();
	// Without an execution id there is no safe scope for a cache: search every time.
	if (!executionId) return await search(ctx, scope);
	// Everything the answer depends on: items of one execution may differ in user, filter, limits or knowledge bases.
	const key = JSON.stringify([
		executionId,
		ctx.getNode().name,
		scope.userId,
		scope.conversationId,
		scope.query,
		scope.search,
		scope.timeZone,
	]);
	const hit = cache.get(key);
	if (hit) return await hit;
	const pending = search(ctx, scope);
	remember(key, pending);
	pending.catch(() => cache.delete(key));
	return await pending;
}

async function search(ctx: ISupplyDataFunctions, scope: RecallScope): Promise<string | undefined> {
	const data = await memosRequest.call(
		ctx,
		'/search/memory',
		{
			...scope.search,
			user_id: scope.userId,
			conversation_id: scope.conversationId,
			query: scope.query,
		},
		{ itemIndex: scope.itemIndex },
	);
	if (memoryCount(data) === 0) return undefined;
	return [
		'Long-term memory about the user, recalled for their current message. Use an item only if it is about the user, ' +
			"comes from the user's own words rather than an earlier AI guess, and really helps with this message; " +
			'the current message wins any conflict. Follow the stated preferences and never mention that you have a memory.',
		'',
		memoryBlock(data, scope.timeZone),
	].join('\n');
}
