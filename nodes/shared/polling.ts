import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { MemosContext } from './transport';
import { memosRequest } from './transport';

export interface WaitOptions {
	timeoutSeconds: number;
	itemIndex: number;
	/** First poll comes quickly (fast-mode writes finish in milliseconds); later polls back off. */
	initialDelayMs?: number;
	maxDelayMs?: number;
}

export interface TaskOutcome extends IDataObject {
	task_id: string;
	status: string;
	waited_ms: number;
}

const TERMINAL = new Set(['completed', 'failed', 'success', 'succeeded', 'error']);

/** Poll `/get/status` until the task leaves `running`, or give up after the timeout. */
export async function waitForTask(this: MemosContext, taskId: string, opts: WaitOptions): Promise<TaskOutcome> {
	const started = Date.now();
	const deadline = started + Math.max(1, opts.timeoutSeconds) * 1000;
	let delay = opts.initialDelayMs ?? 200;
	for (;;) {
		const data = await memosRequest.call(this, '/get/status', { task_id: taskId }, { itemIndex: opts.itemIndex });
		const status = String(data.status ?? '').toLowerCase();
		if (TERMINAL.has(status)) return { ...data, task_id: taskId, status, waited_ms: Date.now() - started };
		if (Date.now() + delay > deadline) {
			throw new NodeOperationError(
				this.getNode(),
				`MemOS task ${taskId} is still ${status || 'running'} after ${opts.timeoutSeconds} s`,
				{
					itemIndex: opts.itemIndex,
					description: 'Raise "Timeout (Seconds)" or turn off waiting; the task keeps running on the server.',
				},
			);
		}
		await sleep(delay);
		delay = Math.min(delay * 2, opts.maxDelayMs ?? 2000);
	}
}

/** After a write that answers with a task: wait for the task when the node's "Wait for Completion" is on. */
export async function waitIfAsked(this: IExecuteFunctions, data: IDataObject, itemIndex: number): Promise<IDataObject> {
	if (!this.getNodeParameter('waitForCompletion', itemIndex, false)) return data;
	const taskId = data.task_id as string | undefined;
	if (!taskId || String(data.status) === 'completed') return { ...data, waited_ms: 0 };
	const outcome = await waitForTask.call(this, taskId, {
		timeoutSeconds: this.getNodeParameter('waitTimeout', itemIndex, 60) as number,
		itemIndex,
	});
	return { ...data, status: outcome.status, waited_ms: outcome.waited_ms, task: outcome };
}

/** Map the Chinese doc's "PROCESSING" and friends onto the contract's running/completed/failed. */
export function normalizeFileStatus(status: unknown): string {
	const s = String(status ?? '').toLowerCase();
	if (s === 'processing' || s === 'pending' || s === 'queued') return 'running';
	if (s === 'available' || s === 'success' || s === 'done') return 'completed';
	return s;
}

/** Poll `/get/knowledgebase-file` until every file is completed or failed. */
export async function waitForFiles(
	this: MemosContext,
	fileIds: string[],
	opts: WaitOptions,
): Promise<IDataObject[]> {
	const started = Date.now();
	const deadline = started + Math.max(1, opts.timeoutSeconds) * 1000;
	let delay = opts.initialDelayMs ?? 300;
	for (;;) {
		const data = await memosRequest.call(
			this,
			'/get/knowledgebase-file',
			{ file_ids: fileIds },
			{ itemIndex: opts.itemIndex },
		);
		const files = ((data.file_detail_list as IDataObject[]) ?? []).map((f) => ({
			...f,
			status: normalizeFileStatus(f.status),
		}));
		const pending = files.filter((f) => f.status === 'running');
		if (files.length > 0 && pending.length === 0) return files;
		if (Date.now() + delay > deadline) {
			throw new NodeOperationError(
				this.getNode(),
				`${pending.length || fileIds.length} knowledge base file(s) still processing after ${opts.timeoutSeconds} s`,
				{
					itemIndex: opts.itemIndex,
					description: 'Raise "Timeout (Seconds)" or turn off waiting; processing continues on the server.',
				},
			);
		}
		await sleep(delay);
		delay = Math.min(delay * 2, opts.maxDelayMs ?? 2000);
	}
}
