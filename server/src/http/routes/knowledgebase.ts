/** The knowledge-base API (contract §3.11-3.15). Routes only validate and delegate to the engine. */
import * as s from '../../api/kb-schemas';
import { ErrorCode } from '../../errors';
import {
  addKnowledgebaseFiles,
  addKnowledgebaseFilesFromBody,
  createKnowledgebase,
  deleteKnowledgebase,
  deleteKnowledgebaseFiles,
  getKnowledgebaseFiles,
} from '../../engine/knowledgebase';
import { endpoint } from '../endpoint';

/** 300 MB of files as base64 is 400 MB of JSON; the engine enforces the configured caps exactly. */
const UPLOAD_BODY_MB = 420;

export const knowledgebaseEndpoints = [
  endpoint({
    path: '/create/knowledgebase',
    operationId: 'createKnowledgebase',
    summary: 'Create a knowledge base',
    description: 'Creates a knowledge base linked to the key\'s project and returns its id.',
    tag: 'knowledgebase',
    schema: s.createKnowledgebase,
    handler: (ctx, caller, body) => createKnowledgebase(ctx, caller, body),
  }),
  endpoint({
    path: '/add/knowledgebase-file',
    operationId: 'addKnowledgebaseFile',
    summary: 'Upload documents or skills to a knowledge base',
    description:
      'Files by URL or base64: pdf, docx, txt, md, json, xml documents, or skills (SKILL.md or a .zip with SKILL.md at its top level). ' +
      'Each file is parsed and indexed in the background; its status goes from running to completed or failed.',
    tag: 'knowledgebase',
    schema: s.addKnowledgebaseFile,
    bodyLimitMb: UPLOAD_BODY_MB,
    multipart: true,
    bodyTooLargeCode: ErrorCode.UploadTooLarge,
    handler: (ctx, caller, body) => addKnowledgebaseFiles(ctx, caller, body),
    bodyStream: (ctx, caller, body) => addKnowledgebaseFilesFromBody(ctx, caller, body),
  }),
  endpoint({
    path: '/get/knowledgebase-file',
    operationId: 'getKnowledgebaseFile',
    summary: 'List the files of a knowledge base, or get files by id',
    tag: 'knowledgebase',
    schema: s.getKnowledgebaseFile,
    handler: (ctx, caller, body) => getKnowledgebaseFiles(ctx, caller, body),
  }),
  endpoint({
    path: '/delete/knowledgebase',
    operationId: 'deleteKnowledgebase',
    summary: 'Unlink a knowledge base from the project',
    description: 'A knowledge base that no project links any more is deleted with its files and memories.',
    tag: 'knowledgebase',
    schema: s.deleteKnowledgebase,
    handler: (ctx, caller, body) => deleteKnowledgebase(ctx, caller, body),
  }),
  endpoint({
    path: '/delete/knowledgebase-file',
    operationId: 'deleteKnowledgebaseFile',
    summary: 'Delete knowledge-base files and the memories made from them',
    tag: 'knowledgebase',
    schema: s.deleteKnowledgebaseFile,
    handler: (ctx, caller, body) => deleteKnowledgebaseFiles(ctx, caller, body),
  }),
];
