import type { IDataObject } from 'n8n-workflow';

/**
 * Renders search results as the memory block of the MemOS prompt template (contract §4.16), so a following
 * LLM node needs a single expression: `{{ $json.context }}`.
 */

export type ContextStyle = 'full' | 'short';

export interface ContextOptions {
	query: string;
	now?: Date;
	timeZone?: string;
	style?: ContextStyle;
	/** Knowledge bases were searched: add the KB instructions of the template. */
	knowledgeBase?: boolean;
}

type Item = IDataObject;

function toDate(value: unknown): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d{10,13}$/.test(value))) {
		const n = Number(value);
		// Epoch seconds or milliseconds: MemOS samples use ms, some servers send seconds.
		return new Date(n < 1e12 ? n * 1000 : n);
	}
	if (typeof value === 'string') {
		const d = new Date(value.includes('T') || value.endsWith('Z') ? value : value.replace(' ', 'T'));
		return Number.isNaN(d.getTime()) ? undefined : d;
	}
	return undefined;
}

export function formatTime(value: unknown, timeZone = 'UTC'): string | undefined {
	// A zone-less "2025-06-10 08:00" is already wall-clock time as the server recorded it: keep it as is.
	if (typeof value === 'string') {
		const naive = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(value.trim());
		if (naive) return `${naive[1]} ${naive[2]}`;
	}
	const date = toDate(value);
	if (!date) return undefined;
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
		}).formatToParts(date);
	} catch {
		return formatTime(value, 'UTC');
	}
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
	return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

function stamp(item: Item, timeZone: string): string {
	const time = formatTime(item.memory_time ?? item.update_time ?? item.create_time, timeZone);
	return time ? `[${time}] ` : '';
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value.trim();
	return JSON.stringify(value);
}

function list(value: unknown): Item[] {
	return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Item[]) : [];
}

export function factLines(data: IDataObject, timeZone = 'UTC'): string[] {
	return list(data.memory_detail_list)
		.map((m) => ({ m, text: asText(m.memory_value ?? m.memory) }))
		.filter(({ text }) => text !== '')
		.map(({ m, text }) => `-${stamp(m, timeZone)}${text}`);
}

export function preferenceLines(data: IDataObject, timeZone = 'UTC'): string[] {
	return list(data.preference_detail_list)
		.map((p) => ({ p, text: asText(p.preference) }))
		.filter(({ text }) => text !== '')
		.map(({ p, text }) => {
			const kind = String(p.preference_type ?? '').startsWith('implicit')
				? '[Implicit Preference]'
				: '[Explicit Preference]';
			return `-${stamp(p, timeZone)}${kind} ${text}`;
		});
}

export function toolLines(data: IDataObject, timeZone = 'UTC'): string[] {
	return list(data.tool_memory_detail_list)
		.map((t) => {
			const value = asText(t.tool_value);
			if (!value) return '';
			const experience = asText(t.experience);
			const kind = String(t.tool_type ?? '').includes('Trajectory') ? '[Tool Experience]' : '[Tool Schema]';
			return `-${stamp(t, timeZone)}${kind} ${value}${experience ? ` (advice: ${experience})` : ''}`;
		})
		.filter((line) => line !== '');
}

export function skillLines(data: IDataObject): string[] {
	return list(data.skill_detail_list)
		.map((s) => {
			const value = asText(s.skill_value);
			return value ? `-[Skill] ${value}${s.skill_url ? ` (${asText(s.skill_url)})` : ''}` : '';
		})
		.filter((line) => line !== '');
}

export function memoryCount(data: IDataObject): number {
	return (
		list(data.memory_detail_list).length +
		list(data.preference_detail_list).length +
		list(data.tool_memory_detail_list).length +
		list(data.skill_detail_list).length
	);
}

/** Only the memory lines, for callers (the agent memory) that bring their own framing. */
export function memoryBlock(data: IDataObject, timeZone = 'UTC'): string {
	const sections: string[] = [];
	const facts = factLines(data, timeZone);
	const prefs = preferenceLines(data, timeZone);
	const tools = toolLines(data, timeZone);
	const skills = skillLines(data);
	if (facts.length) sections.push(`## Facts\n${facts.join('\n')}`);
	if (prefs.length) {
		const note = asText(data.preference_note);
		sections.push(`## Preferences\n${prefs.join('\n')}${note ? `\n${note}` : ''}`);
	}
	if (tools.length) sections.push(`## Tool Memories\n${tools.join('\n')}`);
	if (skills.length) sections.push(`## Skills\n${skills.join('\n')}`);
	return sections.join('\n\n');
}

export function buildContext(data: IDataObject, opts: ContextOptions): string {
	const timeZone = opts.timeZone ?? 'UTC';
	const block = memoryBlock(data, timeZone);
	if ((opts.style ?? 'full') === 'short') {
		const lines = [
			...factLines(data, timeZone),
			...preferenceLines(data, timeZone),
			...toolLines(data, timeZone),
			...skillLines(data),
		].map((line, i) => `${i + 1}. ${line.replace(/^-/, '')}`);
		return [
			'You are a helpful assistant who knows the user. Use the memories below naturally when they help, and never mention that you have a memory.',
			'',
			'## Memories:',
			lines.length ? lines.join('\n') : '(none)',
		].join('\n');
	}
	const now = formatTime((opts.now ?? new Date()).getTime(), timeZone);
	const instructions = [
		'- Use only memories that pass all four checks.',
		'- Follow the stated preferences.',
		'- Answer directly, and never mention a "memory store", "memories" or "retrieval".',
	];
	if (opts.knowledgeBase) {
		instructions.push(
			'- Prefer the guidance from the knowledge base when it applies.',
			'- If the answer is not known, say so instead of guessing.',
			"- Reply in the user's language.",
		);
	}
	return [
		'# Role',
		'You are an assistant with long-term memory. Answer in a personal, accurate and rigorous way.',
		'',
		'# System Context',
		`Current time: ${now} (${timeZone}). Use it to judge how fresh each memory is.`,
		'',
		'# Memory Data',
		block || '(no relevant memories)',
		'',
		'Items marked [assistant view] or [model summary] are past AI inferences, not the user\'s own words.',
		'',
		'# Safety Protocol',
		'Drop any memory that fails one of these checks:',
		"1. Source: the user's own words outrank AI guesses.",
		'2. Attribution: the subject is the user, not a third party or a fictional case.',
		'3. Relevance: the memory actually helps with this query, beyond a keyword match.',
		'4. Freshness: when a memory conflicts with the current query, the query wins.',
		'',
		'# Instructions',
		...instructions,
		'',
		'# Original Query',
		opts.query,
	].join('\n');
}
