import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { authorizationHeader, normalizeApiKey, normalizeBaseUrl } from './auth';
import { describeNetworkError } from './errors';

/** A read-only call that every key may make: the (empty) history of a throwaway conversation. */
const PROBE_PATH = '/get/message';
const PROBE_BODY = {
	user_id: 'n8n-credential-test',
	conversation_id: 'n8n-credential-test',
	message_limit_number: 1,
};

interface ProbeResponse {
	statusCode?: number;
	body?: unknown;
}

function envelopeOf(body: unknown): { code?: number; message?: string } | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (value && typeof value === 'object' && 'code' in value) {
		const env = value as { code: unknown; message?: unknown };
		return { code: Number(env.code), message: env.message === undefined ? undefined : String(env.message) };
	}
	return undefined;
}

/** Maps a probe outcome to the sentence shown under the credential form. */
export function verdict(
	baseUrl: string,
	response: ProbeResponse | undefined,
	error?: Error & { code?: string },
): INodeCredentialTestResult {
	if (error) {
		const network = describeNetworkError(error, baseUrl);
		return { status: 'Error', message: `${network.message}. ${network.description}` };
	}
	const status = response?.statusCode ?? 0;
	const env = envelopeOf(response?.body);
	if (env?.code === 0) return { status: 'OK', message: `Connected to MemOS at ${baseUrl}` };
	if (env?.code === 40100 || env?.code === 40130)
		return {
			status: 'Error',
			message: `MemOS at ${baseUrl} did not receive a usable API key (code ${env.code}: ${env.message ?? 'API key required'}). Paste the key from the MemOS console.`,
		};
	if (env?.code === 40132)
		return {
			status: 'Error',
			message: `MemOS at ${baseUrl} rejected the API key: it is unknown, revoked or expired (code 40132). The server is reachable; check the key.`,
		};
	if (env?.code === 40103)
		return {
			status: 'Error',
			message: `The API key is valid but cannot access this project (code 40103).`,
		};
	if (env && env.code !== undefined && !Number.isNaN(env.code))
		return {
			status: 'Error',
			message: `MemOS at ${baseUrl} answered with code ${env.code}: ${env.message ?? 'unknown error'}`,
		};
	if (status === 401 || status === 403)
		return { status: 'Error', message: `${baseUrl} rejected the API key (HTTP ${status}).` };
	if (status === 404)
		return {
			status: 'Error',
			message: `${baseUrl} is reachable but is not a MemOS API (HTTP 404 for ${PROBE_PATH}). The Base URL should end with the API prefix, e.g. /api/openmem/v1.`,
		};
	return {
		status: 'Error',
		message: `${baseUrl} is reachable but did not answer like a MemOS API (HTTP ${status || 'unknown'}).`,
	};
}

/**
 * Credential test used by every node of the pack (`testedBy: 'memOsApiTest'`).
 * Credential test functions receive only `helpers.request`, not `httpRequest`, hence the legacy helper.
 */
export async function memOsApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if (!normalizeApiKey(data.apiKey)) return { status: 'Error', message: 'The API key is empty.' };
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- ICredentialTestFunctions offers no httpRequest
		const response = (await this.helpers.request({
			method: 'POST',
			uri: `${baseUrl}${PROBE_PATH}`,
			headers: { Authorization: authorizationHeader(data.apiKey), 'Content-Type': 'application/json' },
			body: PROBE_BODY,
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 15_000,
		})) as ProbeResponse;
		return verdict(baseUrl, response);
	} catch (error) {
		return verdict(baseUrl, undefined, error as Error & { code?: string });
	}
}
