import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import { runPerItem } from '../shared/execute';
import { properties } from './description';
import { addFeedback } from './operations';

export class MemOsFeedback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MemOS Feedback',
		name: 'memOsFeedback',
		icon: { light: 'file:../../icons/memos.svg', dark: 'file:../../icons/memos.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: 'Correct memories',
		description: 'Correct MemOS memories with a natural-language feedback, e.g. "the limit is 600, not 800"',
		defaults: { name: 'MemOS Feedback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'memOsApi', required: true, testedBy: 'memOsApiTest' }],
		properties,
	};

	methods = { credentialTest: { memOsApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem.call(this, () => addFeedback);
	}
}
