import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requireString, splitList } from '../shared/params';
import { normalizeFileStatus, waitForFiles } from '../shared/polling';
import { listOf, memosRequest } from '../shared/transport';

const MAX_FILES_PER_UPLOAD = 20;

export async function createKnowledgeBase(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const name = requireString(this, this.getNodeParameter('name', i), 'Name', i);
	const body: IDataObject = { knowledgebase_name: name };
	const description = (this.getNodeParameter('kbDescription', i, '') as string).trim();
	if (description) body.knowledgebase_description = description;
	const data = await memosRequest.call(this, '/create/knowledgebase', body, { itemIndex: i });
	return { ...data, knowledgebase_id: data.id, name };
}

export async function deleteKnowledgeBase(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const id = requireString(this, this.getNodeParameter('knowledgebaseId', i), 'Knowledge Base ID', i);
	const data = await memosRequest.call(this, '/delete/knowledgebase', { knowledgebase_id: id }, { itemIndex: i });
	return { ...data, knowledgebase_id: id };
}

/** Binary fields -> data URLs, which carry the MIME type; the file name lets the server pick a parser. */
async function filesFromBinary(this: IExecuteFunctions, i: number, type: string): Promise<IDataObject[]> {
	const wanted = splitList(this.getNodeParameter('binaryPropertyName', i));
	const available = Object.keys(this.getInputData()[i]?.binary ?? {});
	const names = wanted.includes('*') ? available : wanted;
	if (names.length === 0) {
		throw new NodeOperationError(this.getNode(), 'The item has no binary data to upload', { itemIndex: i });
	}
	const files: IDataObject[] = [];
	for (const property of names) {
		const meta = this.helpers.assertBinaryData(i, property);
		const buffer = await this.helpers.getBinaryDataBuffer(i, property);
		const mime = meta.mimeType || 'application/octet-stream';
		files.push({
			content: `data:${mime};base64,${buffer.toString('base64')}`,
			name: meta.fileName ?? `${property}${meta.fileExtension ? `.${meta.fileExtension}` : ''}`,
			type,
		});
	}
	return files;
}

function filesFromUrls(this: IExecuteFunctions, i: number, type: string): IDataObject[] {
	const urls = splitList(this.getNodeParameter('urls', i));
	if (urls.length === 0) throw new NodeOperationError(this.getNode(), 'URLs is required', { itemIndex: i });
	return urls.map((url) => {
		const name = decodeURIComponent(url.split(/[?#]/)[0].split('/').pop() ?? '');
		return name ? { content: url, name, type } : { content: url, type };
	});
}

export async function uploadFiles(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const knowledgebaseId = requireString(this, this.getNodeParameter('knowledgebaseId', i), 'Knowledge Base ID', i);
	const type = this.getNodeParameter('fileType', i, 'document') as string;
	const files =
		this.getNodeParameter('source', i) === 'url'
			? filesFromUrls.call(this, i, type)
			: await filesFromBinary.call(this, i, type);
	if (files.length > MAX_FILES_PER_UPLOAD) {
		throw new NodeOperationError(this.getNode(), `MemOS accepts at most ${MAX_FILES_PER_UPLOAD} files per upload`, {
			itemIndex: i,
			description: `This item has ${files.length}; split it with a Loop Over Items node.`,
		});
	}
	const data = await memosRequest.call(
		this,
		'/add/knowledgebase-file',
		{ knowledgebase_id: knowledgebaseId, file: files },
		{ itemIndex: i },
	);
	let uploaded: IDataObject[] = listOf(data, 'file_detail_list').map((f) => ({
		...f,
		status: normalizeFileStatus(f.status),
		knowledgebase_id: knowledgebaseId,
	}));
	if (this.getNodeParameter('waitForCompletion', i, false)) {
		const ids = uploaded.map((f) => String(f.id)).filter((id) => id && id !== 'undefined');
		const done = await waitForFiles.call(this, ids, {
			timeoutSeconds: this.getNodeParameter('waitTimeout', i, 120) as number,
			itemIndex: i,
		});
		const byId = new Map(done.map((f) => [String(f.id), f]));
		uploaded = uploaded.map((f) => ({ ...f, ...(byId.get(String(f.id)) ?? {}), knowledgebase_id: knowledgebaseId }));
	}
	return uploaded;
}

function fileList(data: IDataObject): IDataObject[] {
	return ((data.file_detail_list as IDataObject[]) ?? []).map((f) => ({ ...f, status: normalizeFileStatus(f.status) }));
}

export async function getFiles(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const ids = splitList(this.getNodeParameter('fileIds', i));
	if (ids.length === 0) throw new NodeOperationError(this.getNode(), 'File IDs is required', { itemIndex: i });
	const data = await memosRequest.call(this, '/get/knowledgebase-file', { file_ids: ids }, { itemIndex: i });
	return fileList(data);
}

export async function listFiles(this: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const knowledgebaseId = requireString(this, this.getNodeParameter('knowledgebaseId', i), 'Knowledge Base ID', i);
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const pageSize = Math.min(100, Number.isFinite(limit) ? limit : 100);
	const files: IDataObject[] = [];
	for (let page = 1; files.length < limit; page++) {
		const body: IDataObject = { knowledgebase_id: knowledgebaseId, page, page_size: pageSize };
		if (filters.type) body.type = filters.type;
		const data = await memosRequest.call(this, '/get/knowledgebase-file', body, { itemIndex: i });
		const batch = fileList(data);
		files.push(...batch);
		const total = Number(data.total ?? 0);
		if (batch.length === 0 || batch.length < pageSize || (total > 0 && files.length >= total)) break;
	}
	return files.slice(0, limit).map((f) => ({ ...f, knowledgebase_id: knowledgebaseId }));
}

export async function deleteFiles(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const ids = splitList(this.getNodeParameter('fileIds', i));
	if (ids.length === 0) throw new NodeOperationError(this.getNode(), 'File IDs is required', { itemIndex: i });
	const data = await memosRequest.call(this, '/delete/knowledgebase-file', { file_ids: ids }, { itemIndex: i });
	return { ...data, deleted_ids: ids };
}
