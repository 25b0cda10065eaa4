/**
 * Runs the node pack through n8n's own execution engine (n8n-core's WorkflowExecute), the way n8n's node tests
 * do: real Workflow, real execute/supply-data contexts, real parameter and expression resolution, real
 * httpRequestWithAuthentication with our credential's authenticate(). What is provided here is only what the
 * n8n server would provide around the engine: the node-type registry, stored credentials and additionalData.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// n8n-core keeps instance settings (an encryption key) under N8N_USER_FOLDER: never touch the real ~/.n8n.
process.env.N8N_USER_FOLDER ??= fs.mkdtempSync(path.join(os.tmpdir(), 'memos-n8n-core-'));
process.env.N8N_LOG_LEVEL ??= 'silent';

import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	IConnections,
	ExecutionError,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';
import { CredentialTestContext, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { MemOsApi } from '../../credentials/MemOsApi.credentials';
import { MemOsAddMessage } from '../../nodes/MemOsAddMessage/MemOsAddMessage.node';
import { MemOsChat } from '../../nodes/MemOsChat/MemOsChat.node';
import { MemOsChatMemory } from '../../nodes/MemOsChatMemory/MemOsChatMemory.node';
import { MemOsFeedback } from '../../nodes/MemOsFeedback/MemOsFeedback.node';
import { MemOsKnowledgeBase } from '../../nodes/MemOsKnowledgeBase/MemOsKnowledgeBase.node';
import { MemOsSearchMemory } from '../../nodes/MemOsSearchMemory/MemOsSearchMemory.node';
import { memOsApiTest } from '../../nodes/shared/credential-test';
import { MemoryProbe } from './memory-probe';

export const PKG = 'n8n-nodes-memos-kit';

const nodeClasses: Record<string, INodeType> = {
	[`${PKG}.memOsAddMessage`]: new MemOsAddMessage(),
	[`${PKG}.memOsSearchMemory`]: new MemOsSearchMemory(),
	[`${PKG}.memOsFeedback`]: new MemOsFeedback(),
	[`${PKG}.memOsKnowledgeBase`]: new MemOsKnowledgeBase(),
	[`${PKG}.memOsChat`]: new MemOsChat(),
	[`${PKG}.memOsChatMemory`]: new MemOsChatMemory(),
	'test.memoryProbe': new MemoryProbe(),
};

class NodeTypes implements INodeTypes {
	getByName(type: string): INodeType {
		const node = nodeClasses[type];
		if (!node) throw new Error(`unknown node type ${type}`);
		return node;
	}

	getByNameAndVersion(type: string): INodeType {
		return this.getByName(type);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

const credentialTypes: Record<string, ICredentialType> = { memOsApi: new MemOsApi() };

/** Hands the engine decrypted credentials and applies the credential type's authenticate(), as n8n does. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		throw new Error(`credential type ${typeName} has no authenticate function`);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.data[type];
		if (!found) throw new Error(`no credentials of type ${type}`);
		return found;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type]?.properties ?? [];
	}
}

export interface MemosCredentials {
	baseUrl: string;
	apiKey: string;
}

function additionalDataFor(
	credentials: MemosCredentials,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		executionId,
		credentialsHelper: new CredentialsHelper({ memOsApi: { ...credentials } }),
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used by these nodes');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunResult {
	/** Items on the first output of the node under test. */
	items: INodeExecutionData[];
	json: IDataObject[];
	error?: ExecutionError;
	run: IRun;
	/** Runs of the other nodes (e.g. the memory sub-node's logged calls). */
	runData: IRun['data']['resultData']['runData'];
}

export interface RunOptions {
	type: string;
	parameters: IDataObject;
	items?: INodeExecutionData[];
	credentials: MemosCredentials;
	continueOnFail?: boolean;
	/** For sub-nodes: a consumer node connected to the node under test, which the engine starts from. */
	consumer?: { type: string; parameters: IDataObject; connection: string };
	timezone?: string;
}

/** Executes one node (or a consumer plus the sub-node under test) through WorkflowExecute. */
export async function runNode(opts: RunOptions): Promise<RunResult> {
	const node: INode = {
		id: 'node-under-test',
		name: 'Node',
		type: opts.type.includes('.') ? opts.type : `${PKG}.${opts.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: opts.parameters as INode['parameters'],
		credentials: { memOsApi: { id: 'cred-1', name: 'MemOS test' } },
		...(opts.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const nodes: INode[] = [node];
	const connections: IConnections = {};
	let start = node;
	if (opts.consumer) {
		start = {
			id: 'consumer',
			name: 'Consumer',
			type: opts.consumer.type,
			typeVersion: 1,
			position: [200, 0],
			parameters: opts.consumer.parameters as INode['parameters'],
		};
		nodes.push(start);
		connections[node.name] = {
			[opts.consumer.connection]: [[{ node: start.name, type: opts.consumer.connection as never, index: 0 }]],
		};
	}

	const workflow = new Workflow({
		id: 'memos-test',
		nodes,
		connections,
		nodeTypes: new NodeTypes(),
		active: false,
		settings: { executionOrder: 'v1', timezone: opts.timezone ?? 'UTC' },
	});

	const executionId = `exec-${Math.random().toString(36).slice(2, 10)}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'memos-test',
		name: 'memos test',
		nodes,
		connections,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
	} as never);
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	// n8n's own factory, so the run data has the shape the engine of this version expects.
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [opts.items ?? [{ json: {} }]] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(additionalDataFor(opts.credentials, hooks, executionId), 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done;
	const runData = run.data.resultData.runData;
	const task = runData[start.name]?.[0];
	const items = (task?.data?.main?.[0] ?? []) as INodeExecutionData[];
	return {
		items,
		json: items.map((i) => i.json),
		error: task?.error ?? run.data.resultData.error,
		run,
		runData,
	};
}

/** Runs the pack's credential test function in n8n-core's credential test context (as /rest/credentials/test does). */
export async function testCredential(data: MemosCredentials) {
	const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
	return await memOsApiTest.call(context as never, { id: 'c', name: 'c', type: 'memOsApi', data: { ...data } });
}

export const NODE_TYPES = Object.keys(nodeClasses).filter((t) => t.startsWith(PKG));

export function descriptionOf(type: string): INodeTypeDescription {
	return nodeClasses[type.includes('.') ? type : `${PKG}.${type}`].description;
}

export type { IExecuteFunctions };
export { NodeConnectionTypes };
