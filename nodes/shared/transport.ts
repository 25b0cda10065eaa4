import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	ISupplyDataFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CREDENTIAL_NAME, normalizeBaseUrl } from './auth';
import { describeMemosCode, describeNetworkError } from './errors';

export type MemosContext = IExecuteFunctions | ISupplyDataFunctions | ILoadOptionsFunctions;

export interface MemosRequestOptions {
	itemIndex?: number;
	/** `/rerank` answers without the {code, data, message} envelope on success. */
	allowBareBody?: boolean;
	/** Return the raw text body (SSE streams of `/chat`). */
	text?: boolean;
	timeoutMs?: number;
}

interface FullResponse {
	statusCode?: number;
	body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 120_000;

function parseMaybeJson(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return body;
	try {
		return JSON.parse(trimmed);
	} catch {
		return body;
	}
}

export function apiError(
	ctx: MemosContext,
	code: number | string,
	message: string,
	extra: { itemIndex?: number; httpStatus?: number; path?: string } = {},
): NodeApiError {
	const hint = describeMemosCode(Number(code));
	return new NodeApiError(
		ctx.getNode(),
		{ code, message, httpStatus: extra.httpStatus ?? null, path: extra.path ?? null } as JsonObject,
		{
			message: `MemOS error ${code}: ${message}`,
			description: hint,
			httpCode: String(code),
			itemIndex: extra.itemIndex,
		},
	);
}

/**
 * POST one MemOS endpoint and return its `data`.
 *
 * Success is decided only by `code == 0`, never by the HTTP status: MemOS answers business errors with
 * HTTP 200 and a non-zero code, and a server may also be configured to send 401/429/5xx with the same
 * envelope. So HTTP errors are not thrown by the HTTP helper; the envelope is inspected instead.
 */
export async function memosRequest(
	this: MemosContext,
	path: string,
	body: IDataObject,
	opts: MemosRequestOptions = {},
): Promise<IDataObject> {
	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	const baseUrl = normalizeBaseUrl(credentials.baseUrl);
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${baseUrl}${path}`,
		body,
		json: !opts.text,
		headers: { 'Content-Type': 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	if (opts.text) {
		request.encoding = 'text';
		request.headers = { ...request.headers, Accept: 'text/event-stream, application/json' };
	}

	let response: FullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_NAME,
			request,
		)) as FullResponse;
	} catch (error) {
		const network = describeNetworkError(error as Error & { code?: string }, baseUrl);
		// Unclassified failures keep n8n's own error; socket failures get a sentence naming the base URL. The
		// plain errorResponse (no `code`) keeps n8n from swapping that sentence for its generic text.
		if (network.reachable) throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: opts.itemIndex });
		throw new NodeApiError(this.getNode(), { reason: (error as Error).message } as JsonObject, {
			message: network.message,
			description: network.description,
			itemIndex: opts.itemIndex,
		});
	}

	const status = response.statusCode ?? 200;
	if (opts.text && typeof response.body === 'string' && !/^\s*\{/.test(response.body)) {
		if (status >= 400) throw httpError(this, status, response.body, path, opts.itemIndex);
		return { __text: response.body };
	}
	const parsed = parseMaybeJson(response.body);
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'code' in parsed) {
		const envelope = parsed as { code: unknown; data?: unknown; message?: unknown };
		const code = Number(envelope.code);
		if (code === 0) return wrapData(envelope.data);
		throw apiError(this, envelope.code as number, String(envelope.message ?? 'request failed'), {
			itemIndex: opts.itemIndex,
			httpStatus: status,
			path,
		});
	}
	if (status >= 400) throw httpError(this, status, parsed, path, opts.itemIndex);
	if (opts.allowBareBody && parsed && typeof parsed === 'object') return wrapData(parsed);
	throw new NodeApiError(this.getNode(), { body: String(parsed).slice(0, 500) } as JsonObject, {
		message: `Unexpected answer from ${path}: not a MemOS response`,
		description:
			'The server did not answer with a {code, data, message} envelope. Check that the Base URL of the credential ends with the API prefix, e.g. /api/openmem/v1.',
		itemIndex: opts.itemIndex,
	});
}

/**
 * `data` is usually an object; a few endpoints (/add/knowledgebase-file) return an array, kept under `__list`
 * so every caller still gets an object back. Use `listOf()` to read it.
 */
function wrapData(data: unknown): IDataObject {
	if (Array.isArray(data)) return { __list: data as IDataObject[] };
	if (data && typeof data === 'object') return data as IDataObject;
	return data === undefined || data === null ? {} : { value: data as string };
}

export function listOf(data: IDataObject, key: string): IDataObject[] {
	const value = data.__list ?? data[key];
	return Array.isArray(value) ? (value as IDataObject[]) : [];
}

function httpError(
	ctx: MemosContext,
	status: number,
	body: unknown,
	path: string,
	itemIndex?: number,
): NodeApiError {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	const notFound = status === 404;
	return new NodeApiError(ctx.getNode(), { status, body: text.slice(0, 500) } as JsonObject, {
		message: notFound
			? `The server has no endpoint ${path} (HTTP 404)`
			: `MemOS answered HTTP ${status} for ${path}`,
		description: notFound
			? 'Check that the Base URL of the credential ends with the API prefix (e.g. /api/openmem/v1) and that the server version supports this operation.'
			: text.slice(0, 300),
		httpCode: String(status),
		itemIndex,
	});
}
