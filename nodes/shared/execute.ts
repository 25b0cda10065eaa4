import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

export type OperationHandler = (this: IExecuteFunctions, itemIndex: number) => Promise<OperationResult>;

function isExecutionData(value: unknown): value is INodeExecutionData {
	return typeof value === 'object' && value !== null && 'json' in value;
}

/**
 * The per-item loop every node shares: one handler call per input item, `pairedItem` on every output,
 * and with "Continue On Fail" an error item carrying the MemOS code instead of a failed execution.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	pick: (itemIndex: number) => OperationHandler,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await pick(i).call(this, i);
			const rows = Array.isArray(result) ? result : [result];
			for (const row of rows) {
				const item = isExecutionData(row) ? row : { json: row };
				out.push({ ...item, pairedItem: { item: i } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				const err = error as NodeApiError & { cause?: unknown };
				const context = (err as { context?: IDataObject }).context ?? {};
				const response = (err.errorResponse ?? {}) as IDataObject;
				out.push({
					json: {
						error: err.message,
						code: response.code ?? context.code ?? null,
						description: err.description ?? null,
					},
					pairedItem: { item: i },
				});
				continue;
			}
			// Both constructors hand back an error of their own class unchanged, so nothing is wrapped twice.
			if (error instanceof NodeOperationError) throw new NodeOperationError(this.getNode(), error);
			throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
		}
	}
	return [out];
}
