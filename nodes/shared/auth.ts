/** Credential helpers shared by the credential class, the nodes and the credential test. */

export const MEMOS_CLOUD_BASE_URL = 'https://memos.memtensor.cn/api/openmem/v1';

export const CREDENTIAL_NAME = 'memOsApi';

/**
 * MemOS expects `Authorization: Token <key>`. Keys copied from the Coze plugin already carry "Token ",
 * and users used to other APIs paste "Bearer ": strip any of those and add "Token " exactly once.
 */
export function normalizeApiKey(raw: unknown): string {
	let key = typeof raw === 'string' ? raw.trim() : '';
	for (;;) {
		const stripped = key.replace(/^(token|bearer)\s+/i, '').trim();
		if (stripped === key) return key;
		key = stripped;
	}
}

export function authorizationHeader(raw: unknown): string {
	return `Token ${normalizeApiKey(raw)}`;
}

/** The credential stores the full API root; tolerate a trailing slash or surrounding spaces. */
export function normalizeBaseUrl(raw: unknown): string {
	const url = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : MEMOS_CLOUD_BASE_URL;
	return url.replace(/\/+$/, '');
}
