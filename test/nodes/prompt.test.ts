import type { Message } from '@n8n/ai-node-sdk';

import { fromMemosMessages, startAtUserTurn, toMemosMessages } from '../../nodes/MemOsChatMemory/convert';
import { knowledgeBaseIds, splitList } from '../../nodes/shared/params';
import { buildContext, formatTime, memoryBlock } from '../../nodes/shared/prompt';

describe('prompt formatting (contract §4.16)', () => {
	test('times: epoch ms and seconds, ISO with zone, zone-less wall clock kept as is', () => {
		expect(formatTime(1765359875901, 'UTC')).toBe('2025-12-10 09:44');
		expect(formatTime(1765359875, 'UTC')).toBe('2025-12-10 09:44');
		expect(formatTime('1765359875901', 'Asia/Shanghai')).toBe('2025-12-10 17:44');
		expect(formatTime('2025-06-10T00:00:00Z', 'Asia/Shanghai')).toBe('2025-06-10 08:00');
		expect(formatTime('2025-06-10 08:00', 'America/New_York')).toBe('2025-06-10 08:00');
		expect(formatTime(undefined)).toBeUndefined();
		expect(formatTime('yesterday')).toBeUndefined();
	});

	const data = {
		memory_detail_list: [
			{ memory_value: 'Chose 7 Days Inn for the Guangzhou trip', memory_time: '2025-06-10 08:00' },
			{ memory_value: '[assistant view] The user may be price-sensitive', create_time: 1765359875901 },
		],
		preference_detail_list: [
			{ preference: 'Cost-effective hotels', preference_type: 'implicit_preference', create_time: 1765359875901 },
			{ preference: 'Window seats', preference_type: 'explicit_preference' },
		],
		tool_memory_detail_list: [
			{ tool_type: 'ToolTrajectoryMemory', tool_value: 'get_weather(Beijing) -> 7°C', experience: 'pass the city' },
		],
		skill_detail_list: [{ skill_value: { name: 'travel-planning' }, skill_url: 'https://x/skill.md' }],
		preference_note: 'Use preferences when relevant.',
	};

	test('memory lines: facts, explicit and implicit preferences, tool memories, skills', () => {
		expect(memoryBlock(data, 'UTC')).toBe(
			[
				'## Facts',
				'-[2025-06-10 08:00] Chose 7 Days Inn for the Guangzhou trip',
				'-[2025-12-10 09:44] [assistant view] The user may be price-sensitive',
				'',
				'## Preferences',
				'-[2025-12-10 09:44] [Implicit Preference] Cost-effective hotels',
				'-[Explicit Preference] Window seats',
				'Use preferences when relevant.',
				'',
				'## Tool Memories',
				'-[Tool Experience] get_weather(Beijing) -> 7°C (advice: pass the city)',
				'',
				'## Skills',
				'-[Skill] {"name":"travel-planning"} (https://x/skill.md)',
			].join('\n'),
		);
	});

	test('full template: sections in order, the current time, KB instructions only with knowledge bases', () => {
		const now = new Date('2025-09-28T02:00:00Z');
		const ctx = buildContext(data, { query: 'Where should I stay?', now, timeZone: 'Asia/Shanghai' });
		const order = ['# Role', '# System Context', '# Memory Data', '# Safety Protocol', '# Instructions', '# Original Query'];
		const positions = order.map((h) => ctx.indexOf(h));
		expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]))).toBe(true);
		expect(ctx).toContain('Current time: 2025-09-28 10:00 (Asia/Shanghai)');
		expect(ctx).toContain('[assistant view] or [model summary] are past AI inferences');
		expect(ctx).not.toContain('knowledge base');
		expect(ctx.endsWith('# Original Query\nWhere should I stay?')).toBe(true);
		expect(buildContext(data, { query: 'q', knowledgeBase: true })).toContain('Prefer the guidance from the knowledge base');
		expect(buildContext({}, { query: 'q' })).toContain('(no relevant memories)');
	});
});

describe('parameter helpers', () => {
	test('lists from commas, lines or JSON; "all" knowledge bases', () => {
		expect(splitList(' a, b\nc ,, ')).toEqual(['a', 'b', 'c']);
		expect(splitList('["x","y"]')).toEqual(['x', 'y']);
		expect(splitList(undefined)).toEqual([]);
		expect(knowledgeBaseIds('ALL')).toBe('all');
		expect(knowledgeBaseIds('kb1,kb2')).toEqual(['kb1', 'kb2']);
		expect(knowledgeBaseIds('')).toBeUndefined();
	});
});

describe('agent message conversion', () => {
	const text = (t: string) => [{ type: 'text' as const, text: t }];

	test('system messages are not stored; empty turns are dropped', () => {
		const messages: Message[] = [
			{ role: 'system', content: text('You are helpful') },
			{ role: 'user', content: text('hi') },
			{ role: 'assistant', content: [] },
		];
		expect(toMemosMessages(messages)).toEqual([{ role: 'user', content: 'hi' }]);
	});

	test('history rows: only user/assistant text is replayed', () => {
		expect(
			fromMemosMessages([
				{ role: 'user', content: 'q' },
				{ role: 'tool', content: '{"x":1}' },
				{ role: 'assistant', content: '' },
				{ role: 'assistant', content: [{ type: 'text', text: 'a' }] },
			]),
		).toEqual([
			{ role: 'user', content: text('q') },
			{ role: 'assistant', content: text('a') },
		]);
	});

	test('the window starts at the first user turn', () => {
		const a: Message = { role: 'assistant', content: text('a') };
		const u: Message = { role: 'user', content: text('u') };
		expect(startAtUserTurn([a, u, a])).toEqual([u, a]);
		expect(startAtUserTurn([a, a])).toEqual([]);
		expect(startAtUserTurn([u, a])).toEqual([u, a]);
	});
});
