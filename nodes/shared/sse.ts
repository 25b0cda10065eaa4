/**
 * Collects a `/chat` SSE stream into one answer. Frames are `data: {json}` lines (contract §3.10):
 * `text` deltas are concatenated, `reference` carries memory ids, `error` aborts, unknown types are ignored.
 */
export interface CollectedStream {
	response: string;
	references: unknown[];
	error?: { code: number; message: string };
	frames: number;
}

export function collectSse(raw: string): CollectedStream {
	const result: CollectedStream = { response: '', references: [], frames: 0 };
	for (const line of raw.split(/\r?\n/)) {
		if (!line.startsWith('data:')) continue;
		const payload = line.slice(5).trim();
		if (payload === '' || payload === '[DONE]') continue;
		let frame: { type?: string; data?: unknown; code?: unknown; message?: unknown };
		try {
			frame = JSON.parse(payload) as typeof frame;
		} catch {
			continue;
		}
		result.frames++;
		if (frame.type === 'text' && typeof frame.data === 'string') result.response += frame.data;
		else if (frame.type === 'reference') {
			if (Array.isArray(frame.data)) result.references.push(...(frame.data as unknown[]));
		} else if (frame.type === 'error') {
			result.error = { code: Number(frame.code ?? 50000), message: String(frame.message ?? 'stream error') };
			break;
		} else if (frame.type === 'end') break;
	}
	return result;
}
