import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { memOsApiTest } from '../shared/credential-test';
import {
	conversationIdField,
	sortOptions,
	userIdField,
	waitFields,
	writeScopeOptions,
} from '../shared/descriptions';
import { runPerItem } from '../shared/execute';
import { requireString, setIfDefined, setWriteScope } from '../shared/params';
import { waitIfAsked } from '../shared/polling';
import { memosRequest } from '../shared/transport';

async function addFeedback(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const body: IDataObject = {
		user_id: requireString(this, this.getNodeParameter('userId', i), 'User ID', i),
		conversation_id: requireString(this, this.getNodeParameter('conversationId', i), 'Conversation ID', i),
		feedback_content: requireString(this, this.getNodeParameter('feedbackContent', i), 'Feedback', i),
	};
	setIfDefined(body, 'feedback_time', options.feedbackTime);
	setWriteScope(this, body, options, i);

	const data = await memosRequest.call(this, '/add/feedback', body, { itemIndex: i });
	return await waitIfAsked.call(this, data, i);
}

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
		properties: [
			{
				displayName: 'Feedback',
				name: 'feedbackContent',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				required: true,
				placeholder: 'Actually I like mangosteens, not apples',
				description: 'The correction in plain words; MemOS updates or archives the memories it contradicts',
			},
			userIdField(),
			conversationIdField(),
			...waitFields(undefined, 'MemOS has applied the feedback (polls /get/status)'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: sortOptions([
					...writeScopeOptions,
					{
						displayName: 'Feedback Time',
						name: 'feedbackTime',
						type: 'string',
						default: '',
						placeholder: '2025-09-25 10:00:00',
						description: 'When the feedback was given: a timestamp or natural-language time',
					},
				]),
			},
		],
	};

	methods = { credentialTest: { memOsApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runPerItem.call(this, () => addFeedback);
	}
}
