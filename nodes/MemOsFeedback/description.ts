import type { INodeProperties } from 'n8n-workflow';

import {
	conversationIdField,
	sortOptions,
	userIdField,
	waitFields,
	writeScopeOptions,
} from '../shared/descriptions';

export const properties: INodeProperties[] = [
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
];
