import type { IDataObject, IExecuteFunctions, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

type Ctx = IExecuteFunctions | ISupplyDataFunctions;

/** "a, b\nc" or ["a","b"] -> ["a","b","c"]; MemOS wants real JSON arrays for id lists. */
export function splitList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== '');
	if (typeof value !== 'string') return [];
	const trimmed = value.trim();
	if (trimmed.startsWith('[')) {
		try {
			const parsed = JSON.parse(trimmed) as unknown;
			if (Array.isArray(parsed)) return splitList(parsed);
		} catch {
			// not JSON: fall through to separator splitting
		}
	}
	return trimmed
		.split(/[\n,]/)
		.map((v) => v.trim())
		.filter((v) => v !== '');
}

/** Knowledge base selectors accept ids or the keyword "all" (every KB linked to the project). */
export function knowledgeBaseIds(value: unknown): string[] | 'all' | undefined {
	const ids = splitList(value);
	if (ids.length === 0) return undefined;
	if (ids.length === 1 && ids[0].toLowerCase() === 'all') return 'all';
	return ids;
}

/** A JSON parameter may arrive as an object (expression) or as text (the JSON editor). */
export function parseJsonParam(
	ctx: Ctx,
	value: unknown,
	name: string,
	itemIndex: number,
): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `${name} is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
		});
	}
}

export function parseJsonObject(ctx: Ctx, value: unknown, name: string, itemIndex: number): IDataObject | undefined {
	const parsed = parseJsonParam(ctx, value, name, itemIndex);
	if (parsed === undefined) return undefined;
	if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null) {
		throw new NodeOperationError(ctx.getNode(), `${name} must be a JSON object`, { itemIndex });
	}
	return Object.keys(parsed).length === 0 ? undefined : (parsed as IDataObject);
}

/** Copy only the keys that were actually set, so server defaults apply to everything else. */
export function setIfDefined(target: IDataObject, key: string, value: unknown): void {
	if (value === undefined || value === null || value === '') return;
	if (Array.isArray(value) && value.length === 0) return;
	target[key] = value as IDataObject[keyof IDataObject];
}

/** The fields every write shares (add message, feedback, chat write-back): who wrote it and where it may go. */
export function setWriteScope(ctx: Ctx, body: IDataObject, options: IDataObject, itemIndex: number): void {
	setIfDefined(body, 'agent_id', options.agentId);
	setIfDefined(body, 'app_id', options.appId);
	setIfDefined(body, 'tags', splitList(options.tags));
	setIfDefined(body, 'info', parseJsonObject(ctx, options.info, 'Info', itemIndex));
	if (options.allowPublic !== undefined) body.allow_public = options.allowPublic;
	setIfDefined(body, 'allow_knowledgebase_ids', splitList(options.allowKnowledgebaseIds));
}

export function requireString(ctx: Ctx, value: unknown, label: string, itemIndex: number): string {
	const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
	if (text === '') throw new NodeOperationError(ctx.getNode(), `${label} is required`, { itemIndex });
	return text;
}
