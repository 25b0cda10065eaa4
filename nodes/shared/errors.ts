/** Plain-language explanations for MemOS error codes (contract §1.5) and network failures. */

const CODE_HINTS: Record<number, string> = {
	40000: 'A parameter has the wrong type or shape, or a filter is malformed.',
	40001: 'The referenced memory or file does not exist.',
	40002: 'A required field is empty.',
	40003: 'A list that was supplied is empty.',
	40006: 'An unsupported type value was sent.',
	40007: 'This file type is not supported (pdf, docx, doc, txt, json, md, xml; skills: md or zip).',
	40010: 'The user ID is longer than 100 characters.',
	40011: 'The conversation ID is longer than 100 characters. Use a short session or order ID, not a transcript.',
	40012: 'Relativity must be a number between 0 and 1.',
	40013: 'The messages are too long for one request.',
	40100: 'The API key is missing or lacks the "Token" scheme. Check the MemOS credential.',
	40103: 'The API key is valid but cannot access this project or resource.',
	40130: 'The API key is missing or lacks the "Token" scheme. Check the MemOS credential.',
	40132: 'The API key is unknown, revoked or expired. Check the MemOS credential.',
	40300: 'Rate limit exceeded; slow down (MemOS advises at most 50 requests per second).',
	40301: 'The chat input is longer than the allowed token count.',
	40302: 'Max tokens is above the allowance.',
	40303: 'Prompt plus answer would exceed the model context.',
	40304: 'The account API quota is used up.',
	40305: 'The input exceeds the token limit of this endpoint.',
	40306: 'A memory ID belongs to another project.',
	40307: 'A memory ID to delete was not found.',
	40308: 'The user has no memories in this project.',
	40309: 'Over 400,000 input tokens per minute; wait a minute and retry.',
	50000: 'The MemOS server had an internal error.',
	50004: 'The memory service is unavailable.',
	50005: 'The search service is unavailable.',
	50103: 'More than 20 files in one upload.',
	50104: 'A single file is larger than 100 MB.',
	50105: 'The upload is larger than 300 MB in total.',
	50107: 'The file content does not match its declared format.',
	50120: 'The knowledge base ID is unknown.',
	50123: 'The knowledge base is not linked to the project of this API key.',
	50131: 'The task ID is unknown.',
	50143: 'Adding the memory failed.',
	50144: 'Saving the chat history failed.',
	50145: 'Saving the feedback failed.',
};

export function describeMemosCode(code: number): string | undefined {
	return CODE_HINTS[code];
}

export function isAuthCode(code: number): boolean {
	return code === 40100 || code === 40130 || code === 40132 || code === 40103;
}

type NetworkError = Error & { code?: string; cause?: unknown };

/** Turn low-level socket errors into a sentence a workflow builder can act on. */
export function describeNetworkError(
	error: NetworkError,
	baseUrl: string,
): { message: string; description: string; reachable: boolean } {
	const cause = error.cause as { code?: string } | undefined;
	const code = error.code ?? cause?.code ?? '';
	const text = `${code} ${error.message ?? ''}`;
	const check = `Check the Base URL of the MemOS credential (${baseUrl}) and that the server is running.`;
	if (/ECONNREFUSED/.test(text))
		return { message: `Could not reach MemOS: the connection to ${baseUrl} was refused`, description: check, reachable: false };
	if (/ENOTFOUND|EAI_AGAIN/.test(text))
		return { message: `Could not reach MemOS: the host of ${baseUrl} was not found`, description: check, reachable: false };
	if (/ETIMEDOUT|ECONNABORTED|timeout/i.test(text))
		return { message: `Could not reach MemOS: ${baseUrl} did not answer in time`, description: check, reachable: false };
	if (/ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up/i.test(text))
		return { message: `Could not reach MemOS at ${baseUrl} (${code || 'connection lost'})`, description: check, reachable: false };
	if (/CERT|SSL|TLS/i.test(text))
		return { message: `The TLS certificate of ${baseUrl} was not accepted`, description: error.message, reachable: false };
	return { message: `Request to MemOS failed: ${error.message}`, description: check, reachable: true };
}
