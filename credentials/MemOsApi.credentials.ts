import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { MEMOS_CLOUD_BASE_URL, authorizationHeader } from '../nodes/shared/auth';

/**
 * One credential for MemOS Cloud and for a self-hosted memos-lite: both speak the same API, only the
 * base URL differs. It is tested by the nodes (`testedBy: 'memOsApiTest'`) rather than by a declarative
 * request, because a declarative test can only say "ECONNREFUSED" for an unreachable server; the function
 * test tells a wrong key and an unreachable URL apart in plain words.
 */
export class MemOsApi implements ICredentialType {
	name = 'memOsApi';

	displayName = 'MemOS API';

	icon: Icon = { light: 'file:../icons/memos.svg', dark: 'file:../icons/memos.dark.svg' };

	documentationUrl =
		'https://github.com/memos-kit/n8n-nodes-memos-kit/blob/main/README.md#credential-memos-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: MEMOS_CLOUD_BASE_URL,
			placeholder: 'http://127.0.0.1:8000/api/openmem/v1',
			description:
				'MemOS Cloud, or your memos-lite server followed by /api/openmem/v1',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Cloud keys start with mpg-. A pasted "Token " or "Bearer " prefix is removed, and "Token " is added exactly once.',
			required: true,
		},
	];

	// A function rather than a generic header template so a pasted "Token "/"Bearer " prefix is normalised.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				Authorization: authorizationHeader(credentials.apiKey),
			},
		};
	}
}
