import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { runPerItem } from '../shared/execute';
import { properties } from './description';
import { chat } from './operations';

export class MemOsChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Chat',
		name: 'memOsChat',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["query"] }}',
		description: 'Answer a question with MemOS: recall memories, generate, and remember the turn',
		defaults: { name: 'MemOS Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }],
		properties,
	};

	methods = { credentialTest: { memOsApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem.call(this, () => chat);
	}
}
