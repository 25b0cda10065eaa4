import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { runPerItem, type OperationHandler } from '../shared/execute';
import { properties } from './description';
import {
	createKnowledgeBase,
	deleteFiles,
	deleteKnowledgeBase,
	getFiles,
	listFiles,
	uploadFiles,
} from './operations';

const handlers: Record<string, OperationHandler> = {
	'knowledgeBase:create': createKnowledgeBase,
	'knowledgeBase:delete': deleteKnowledgeBase,
	'file:upload': uploadFiles,
	'file:get': getFiles,
	'file:getAll': listFiles,
	'file:delete': deleteFiles,
};

export class MemOsKnowledgeBase implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Knowledge Base',
		name: 'memOsKnowledgeBase',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create MemOS knowledge bases and upload documents or skills to them',
		defaults: { name: 'MemOS Knowledge Base' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }],
		properties,
	};

	methods = { credentialTest: { memOsApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem.call(this, (i) => {
			const key = `${this.getNodeParameter('resource', i) as string}:${this.getNodeParameter('operation', i) as string}`;
			return handlers[key];
		});
	}
}
