/**
 * A stand-in for the AI Agent in engine tests: a node with an `ai_memory` input that drives the connected
 * memory exactly the way the agent does (loadMemoryVariables → model → saveContext, or with tools
 * chatHistory.addMessages), and reports what the memory returned.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

// The agent uses n8n's own LangChain copy (the one @n8n/ai-utilities depends on); so does the probe.
const lcMessages = require(
	require.resolve('@langchain/core/messages', { paths: [require.resolve('@n8n/ai-utilities')] }),
) as typeof import('@langchain/core/messages');

interface LcMemory {
	loadMemoryVariables(values: IDataObject): Promise<{ chat_history: Array<{ content: unknown; getType?: () => string; _getType?: () => string; tool_calls?: unknown[] }> }>;
	saveContext(input: IDataObject, output: IDataObject): Promise<void>;
	chatHistory: { addMessages(messages: unknown[]): Promise<void>; getMessages(): Promise<unknown[]> };
}

function describe(messages: Array<{ content: unknown; getType?: () => string; _getType?: () => string }>) {
	return messages.map((m) => {
		const role = (m.getType?.() ?? m._getType?.() ?? 'unknown') as string;
		const text =
			typeof m.content === 'string'
				? m.content
				: (m.content as Array<{ type: string; text?: string }>)
						.filter((c) => c.type === 'text')
						.map((c) => c.text)
						.join('\n');
		return { role, text };
	});
}

export class MemoryProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Memory Probe',
		name: 'memoryProbe',
		group: ['transform'],
		version: 1,
		description: 'Drives a memory sub-node like the AI Agent does',
		defaults: { name: 'Memory Probe' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiMemory, required: true, maxConnections: 1 }],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Steps', name: 'steps', type: 'string', default: 'load,save' },
			{ displayName: 'Reply', name: 'reply', type: 'string', default: 'OK, noted.' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const memory = (await this.getInputConnectionData(NodeConnectionTypes.AiMemory, i)) as LcMemory;
			const input = String(items[i].json.chatInput ?? '');
			const reply = this.getNodeParameter('reply', i) as string;
			const report: IDataObject = { loads: [] };
			for (const step of (this.getNodeParameter('steps', i) as string).split(',')) {
				if (step === 'load') {
					const vars = await memory.loadMemoryVariables({});
					(report.loads as IDataObject[]).push({ messages: describe(vars.chat_history) } as IDataObject);
				} else if (step === 'save') {
					await memory.saveContext({ input }, { output: reply });
				} else if (step === 'tools') {
					await memory.chatHistory.addMessages([
						new lcMessages.HumanMessage(input),
						new lcMessages.AIMessage({
							content: '',
							tool_calls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Beijing' }, type: 'tool_call' }],
						}),
						new lcMessages.ToolMessage({ content: '{"temperature":"7°C","sky":"cloudy"}', tool_call_id: 'call_1' }),
						new lcMessages.AIMessage(reply),
					]);
				} else if (step === 'history') {
					report.history = describe((await memory.chatHistory.getMessages()) as never);
				}
			}
			out.push({ json: report, pairedItem: { item: i } });
		}
		return [out];
	}
}
