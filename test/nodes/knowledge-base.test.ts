import { runNode } from './harness';
import { serverHasEndpoint, uid, useMemos } from './setup';

const fx = useMemos();

// The knowledge-base endpoints reached memos-lite after the memory endpoints: these tests are skipped
// (and listed as skipped by jest) while the server has no /create/knowledgebase route.
const kbTest = serverHasEndpoint('/create/knowledgebase') ? test : test.skip;

const POLICY = '# Reimbursement policy\n\nOffice software is reimbursed up to 800 yuan per person.\n';

async function createKb(name = uid('kb')) {
	const r = await runNode({
		type: 'memOsKnowledgeBase',
		credentials: fx.creds,
		parameters: { resource: 'knowledgeBase', operation: 'create', name, kbDescription: 'finance rules' },
	});
	expect(r.error).toBeUndefined();
	return r.json[0].knowledgebase_id as string;
}

describe('MemOS Knowledge Base', () => {
	kbTest('create maps name and description; delete unlinks', async () => {
		const id = await createKb('Finance');
		expect(fx.recorder.bodies('/create/knowledgebase')[0]).toEqual({
			knowledgebase_name: 'Finance',
			knowledgebase_description: 'finance rules',
		});
		expect(typeof id).toBe('string');
		const del = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			parameters: { resource: 'knowledgeBase', operation: 'delete', knowledgebaseId: id },
		});
		expect(fx.recorder.bodies('/delete/knowledgebase')[0]).toEqual({ knowledgebase_id: id });
		expect(del.json[0]).toMatchObject({ success: true, knowledgebase_id: id });
	});

	kbTest('uploads several binary properties as data URLs, waits for processing, then lists, gets and deletes', async () => {
		const kb = await createKb();
		const b64 = (s: string) => Buffer.from(s).toString('base64');
		const upload = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			items: [
				{
					json: {},
					binary: {
						policy: { data: b64(POLICY), mimeType: 'text/markdown', fileName: 'policy.md', fileExtension: 'md' },
						notes: { data: b64('Design software: up to 1000 yuan.'), mimeType: 'text/plain', fileName: 'notes.txt' },
					},
				},
			],
			parameters: {
				resource: 'file',
				operation: 'upload',
				knowledgebaseId: kb,
				source: 'binary',
				binaryPropertyName: 'policy, notes',
				fileType: 'document',
				waitForCompletion: true,
				waitTimeout: 60,
			},
		});
		expect(upload.error).toBeUndefined();
		const [sent] = fx.recorder.bodies('/add/knowledgebase-file');
		expect(sent.knowledgebase_id).toBe(kb);
		expect(sent.file).toEqual([
			{ content: `data:text/markdown;base64,${b64(POLICY)}`, name: 'policy.md', type: 'document' },
			{ content: `data:text/plain;base64,${b64('Design software: up to 1000 yuan.')}`, name: 'notes.txt', type: 'document' },
		]);
		expect(upload.json.map((f) => f.status)).toEqual(['completed', 'completed']);
		const ids = upload.json.map((f) => f.id as string);

		const list = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			parameters: { resource: 'file', operation: 'getAll', knowledgebaseId: kb, returnAll: false, limit: 1, filters: { type: 'document' } },
		});
		expect(fx.recorder.bodies('/get/knowledgebase-file').pop()).toEqual({ knowledgebase_id: kb, page: 1, page_size: 1, type: 'document' });
		expect(list.json).toHaveLength(1);

		const got = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			parameters: { resource: 'file', operation: 'get', fileIds: ids.join(',') },
		});
		expect(got.json.map((f) => f.id).sort()).toEqual([...ids].sort());

		const search = await runNode({
			type: 'memOsSearchMemory',
			credentials: fx.creds,
			parameters: { operation: 'search', query: 'office software reimbursement limit', userId: uid('u'), options: { knowledgebaseIds: kb, relativity: 0 } },
		});
		expect(JSON.stringify(search.json[0].memory_detail_list)).toContain('800');
		expect(search.json[0].context).toContain('knowledge base');

		const del = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			parameters: { resource: 'file', operation: 'delete', fileIds: ids.join(',') },
		});
		expect(fx.recorder.bodies('/delete/knowledgebase-file')[0]).toEqual({ file_ids: ids });
		expect(del.json[0]).toMatchObject({ success: true });
	});

	kbTest('URL uploads send the URL as content with a name taken from the path', async () => {
		const kb = await createKb();
		await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			continueOnFail: true,
			parameters: { resource: 'file', operation: 'upload', knowledgebaseId: kb, source: 'url', urls: 'https://example.com/docs/policy%20v2.pdf\nhttps://example.com/skill.md', fileType: 'skill' },
		});
		expect(fx.recorder.bodies('/add/knowledgebase-file')[0].file).toEqual([
			{ content: 'https://example.com/docs/policy%20v2.pdf', name: 'policy v2.pdf', type: 'skill' },
			{ content: 'https://example.com/skill.md', name: 'skill.md', type: 'skill' },
		]);
	});

	kbTest('an unknown knowledge base is reported with 50120/50123', async () => {
		const r = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			parameters: { resource: 'file', operation: 'getAll', knowledgebaseId: 'kb-unknown', returnAll: true },
		});
		expect(r.error?.message).toMatch(/^MemOS error 501(20|23)/);
	});

	test('binary input problems are caught before any request', async () => {
		const r = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			items: [{ json: {} }],
			parameters: { resource: 'file', operation: 'upload', knowledgebaseId: 'kb', source: 'binary', binaryPropertyName: '*' },
		});
		expect(r.error?.message).toBe('The item has no binary data to upload');
		const missing = await runNode({
			type: 'memOsKnowledgeBase',
			credentials: fx.creds,
			items: [{ json: {}, binary: { data: { data: 'eA==', mimeType: 'text/plain' } } }],
			parameters: { resource: 'file', operation: 'upload', knowledgebaseId: 'kb', source: 'binary', binaryPropertyName: 'other' },
		});
		expect(missing.error?.message).toMatch(/other/);
		expect(fx.recorder.requests).toHaveLength(0);
	});
});
