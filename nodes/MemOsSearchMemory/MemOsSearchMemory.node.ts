import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { runPerItem, type OperationHandler } from '../shared/execute';
import { properties } from './description';
import { getAll, remove, rerank, search } from './operations';

const handlers: Record<string, OperationHandler> = { search, getAll, delete: remove, rerank };

export class MemOsSearchMemory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Search Memory',
		name: 'memOsSearchMemory',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Recall long-term memories from MemOS and format them for an LLM prompt',
		defaults: { name: 'MemOS Search Memory' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }],
		properties,
	};

	methods = { credentialTest: { memOsApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem.call(this, (i) => handlers[this.getNodeParameter('operation', i) as string]);
	}
}
