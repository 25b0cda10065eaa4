import { runNode } from './harness';
import { uid, useMemos } from './setup';

const fx = useMemos();

describe('MemOS Feedback', () => {
	test('maps onto /add/feedback and waits for the task', async () => {
		const user = uid('u');
		await runNode({
			type: 'memOsAddMessage',
			credentials: fx.direct,
			parameters: { operation: 'add', userId: user, conversationId: 'fruit', messageInput: 'fields', userMessage: 'I like apples and dislike bananas.' },
		});
		const r = await runNode({
			type: 'memOsFeedback',
			credentials: fx.creds,
			parameters: {
				feedbackContent: 'Actually I like mangosteens, not apples.',
				userId: user,
				conversationId: 'fruit',
				waitForCompletion: true,
				waitTimeout: 30,
				options: { feedbackTime: '2025-09-25 10:00:00', agentId: 'a', appId: 'b', allowPublic: false, allowKnowledgebaseIds: '' },
			},
		});
		expect(r.error).toBeUndefined();
		expect(fx.recorder.bodies('/add/feedback')).toEqual([
			{
				user_id: user,
				conversation_id: 'fruit',
				feedback_content: 'Actually I like mangosteens, not apples.',
				feedback_time: '2025-09-25 10:00:00',
				agent_id: 'a',
				app_id: 'b',
				allow_public: false,
			},
		]);
		expect(r.json[0].status).toBe('completed');
	});

	test('an unlinked knowledge base is refused with the MemOS code', async () => {
		const r = await runNode({
			type: 'memOsFeedback',
			credentials: fx.creds,
			parameters: {
				feedbackContent: 'The office limit is 600, not 800.',
				userId: 'u',
				conversationId: 'c',
				options: { allowKnowledgebaseIds: 'kb-not-linked' },
			},
		});
		expect(fx.recorder.bodies('/add/feedback')[0].allow_knowledgebase_ids).toEqual(['kb-not-linked']);
		expect(r.error?.message).toMatch(/^MemOS error 50(120|123)/);
	});
});
