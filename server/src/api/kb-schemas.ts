/**
 * Knowledge-base endpoint schemas (contract §3.11-3.15). Limits that carry their own codes (20 files → 50103,
 * sizes → 50104/50105) are checked by the engine, which knows the configured caps; the schema keeps to shape.
 */
import { z } from 'zod';
import { checkIdentifier } from './limits';

const kbId = z.string().min(1).max(200).superRefine(checkIdentifier).describe('Knowledge base id, as returned by /create/knowledgebase.');
const fileType = z.enum(['document', 'skill']);

export const createKnowledgebase = z.object({
  knowledgebase_name: z.string().min(1).max(200).describe('A name to recognise it by.'),
  knowledgebase_description: z.string().max(2000).optional(),
});

export const uploadFile = z.object({
  content: z.string().min(1).describe('A public http(s) URL, a base64 string, or a data URL (data:application/pdf;base64,...).'),
  type: fileType.default('document').describe('document (pdf, docx, txt, md, json, xml) or skill (a SKILL.md or a .zip with SKILL.md at its top level).'),
  name: z.string().max(255).optional().describe('File name; recommended for base64 content, it tells the server the format.'),
});

export const addKnowledgebaseFile = z.object({
  knowledgebase_id: kbId,
  file: z.array(uploadFile).min(1).describe('At most 20 files, each at most 100 MB, 300 MB in all.'),
});

export const getKnowledgebaseFile = z
  .object({
    knowledgebase_id: kbId.optional().describe('List mode: the files of this knowledge base.'),
    type: fileType.optional().describe('List mode: only documents or only skills.'),
    page: z.number().int().min(1).optional().describe('List mode: page number (default 1).'),
    current: z.number().int().min(1).optional().describe('List mode: same as page.'),
    page_size: z.number().int().min(1).optional().describe('List mode: files per page (default 20, at most 100).'),
    file_ids: z.array(z.string().min(1).max(200).superRefine(checkIdentifier)).min(1).max(100).optional().describe('Detail mode: these files (not with the list-mode fields).'),
  })
  .superRefine((b, ctx) => {
    const listMode = b.knowledgebase_id !== undefined || b.type !== undefined || b.page !== undefined || b.current !== undefined || b.page_size !== undefined;
    if (b.file_ids !== undefined && listMode)
      ctx.addIssue({ code: 'custom', path: [], message: 'pass either file_ids (detail mode) or knowledgebase_id with type/page/page_size (list mode), not both' });
    else if (b.file_ids === undefined && b.knowledgebase_id === undefined)
      ctx.addIssue({ code: 'custom', path: ['knowledgebase_id'], message: 'pass knowledgebase_id (list mode) or file_ids (detail mode)', params: { code: 40002 } });
  })
  .transform(({ current, ...b }) => ({ ...b, page: b.page ?? current }));

export const deleteKnowledgebase = z.object({ knowledgebase_id: kbId });

export const deleteKnowledgebaseFile = z.object({
  file_ids: z.array(z.string().min(1).max(200).superRefine(checkIdentifier)).min(1).max(100).describe('Document or skill file ids; their memories are deleted with them.'),
});

export type CreateKnowledgebaseRequest = z.output<typeof createKnowledgebase>;
export type AddKnowledgebaseFileRequest = z.output<typeof addKnowledgebaseFile>;
export type GetKnowledgebaseFileRequest = z.output<typeof getKnowledgebaseFile>;
export type DeleteKnowledgebaseRequest = z.output<typeof deleteKnowledgebase>;
export type DeleteKnowledgebaseFileRequest = z.output<typeof deleteKnowledgebaseFile>;
