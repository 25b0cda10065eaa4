import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { runPerItem, type OperationHandler } from '../shared/execute';
import { properties } from './description';
import { add, extract, getMessages, getStatus } from './operations';

const handlers: Record<string, OperationHandler> = { add, extract, getMessages, getStatus };

export class MemOsAddMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Add Message',
		name: 'memOsAddMessage',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Store conversation turns in MemOS long-term memory',
		defaults: { name: 'MemOS Add Message' },
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
