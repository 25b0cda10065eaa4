/**
 * The Chat Memory node caches its recall per execution (tool rounds re-load the memory). One execution can carry
 * items of different users, agents or filters: each must get its own recall, never another item's.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from './harness';
import { uid, useMemos } from './setup';

const fx = useMemos();

interface Report {
	loads: Array<{ messages: Array<{ role: string; text: string }> }>;
}

/** One execution of the probe agent over `items`; each item names its user (and options) in its JSON. */
async function oneExecution(items: IDataObject[], steps = 'load', options: IDataObject = { relativity: 0 }) {
	const r = await runNode({
		type: 'memOsChatMemory',
		credentials: fx.creds,
		items: items.map((json) => ({ json })),
		parameters: { sessionKey: '={{ $json.sessionId }}', userId: '={{ $json.userId }}', recallQuery: '={{ $json.chatInput }}', options },
		consumer: { type: 'test.memoryProbe', parameters: { steps, reply: 'OK.' }, connection: 'ai_memory' },
	});
	if (r.error) throw new Error(`${r.error.message}: ${r.error.description ?? ''}`);
	return r.json as unknown as Report[];
}

const recalled = (report: Report) => report.loads.map((l) => l.messages.map((m) => m.text).join('\n')).join('\n');

async function remember(user: string, text: string, agentId?: string) {
	const r = await runNode({
		type: 'memOsAddMessage',
		credentials: fx.direct,
		parameters: {
			operation: 'add',
			userId: user,
			conversationId: 'seed-' + uid('c'),
			messageInput: 'json',
			messagesJson: JSON.stringify([{ role: 'user', content: text }]),
			...(agentId ? { options: { agentId, waitForCompletion: true } } : { options: { waitForCompletion: true } }),
		},
	});
	if (r.error) throw new Error(r.error.message);
}

test("two users in one execution, same session key and question: user B is not handed user A's memories", async () => {
	const alice = uid('alice');
	const bob = uid('bob');
	await remember(alice, 'My dog Rex is allergic to chicken.');
	await remember(bob, 'My cat Tom is allergic to fish.');
	const question = 'What is my pet allergic to?';
	const [a, b] = await oneExecution([
		{ userId: alice, sessionId: 'shared', chatInput: question },
		{ userId: bob, sessionId: 'shared', chatInput: question },
	]);
	expect(recalled(a)).toContain('allergic to chicken');
	expect(recalled(a)).not.toContain('allergic to fish');
	expect(recalled(b)).toContain('allergic to fish');
	expect(recalled(b)).not.toContain('allergic to chicken');
	expect(fx.recorder.bodies('/search/memory').map((body) => body.user_id)).toEqual([alice, bob]);
});

test('the same user under two filters in one execution: each item gets its own filtered recall', async () => {
	const user = uid('carol');
	await remember(user, 'My locker code is 4711.', 'gym-bot');
	await remember(user, 'My door code is 8812.', 'home-bot');
	const question = 'What is my code?';
	const r = await runNode({
		type: 'memOsChatMemory',
		credentials: fx.creds,
		items: [
			{ json: { sessionId: 's', chatInput: question, filter: '{"and":[{"agent_id":"gym-bot"}]}' } },
			{ json: { sessionId: 's', chatInput: question, filter: '{"and":[{"agent_id":"home-bot"}]}' } },
		],
		parameters: { sessionKey: '={{ $json.sessionId }}', userId: user, recallQuery: '={{ $json.chatInput }}', options: { relativity: 0, filter: '={{ $json.filter }}' } },
		consumer: { type: 'test.memoryProbe', parameters: { steps: 'load', reply: 'OK.' }, connection: 'ai_memory' },
	});
	if (r.error) throw new Error(`${r.error.message}: ${r.error.description ?? ''}`);
	const [gym, home] = r.json as unknown as Report[];
	expect(recalled(gym)).toContain('4711');
	expect(recalled(gym)).not.toContain('8812');
	expect(recalled(home)).toContain('8812');
	expect(recalled(home)).not.toContain('4711');
});
