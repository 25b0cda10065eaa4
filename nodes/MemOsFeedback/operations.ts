import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { requireString, setIfDefined, setWriteScope } from '../shared/params';
import { waitIfAsked } from '../shared/polling';
import { memosRequest } from '../shared/transport';

export async function addFeedback(this: IExecuteFunctions, i: number): Promise<IDataObject> {
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
