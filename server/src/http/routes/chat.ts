/** /chat (contract §3.10): JSON by default, server-sent events with `stream: true`. */
import * as s from '../../api/chat-schemas';
import { chat, chatStream } from '../../engine/chat';
import { endpoint } from '../endpoint';

export const chatEndpoints = [
  endpoint({
    path: '/chat',
    operationId: 'chat',
    summary: 'Answer with the user\'s memories and knowledge bases',
    description:
      'Recalls memories with the same scoping as /search/memory, answers with the configured language model (or, offline, ' +
      'with the recalled memories themselves), and remembers the turn. stream:true answers as server-sent events.',
    tag: 'chat',
    schema: s.chat,
    handler: (ctx, caller, body) => chat(ctx, caller, body),
    stream: async (ctx, caller, body, signal) => (body.stream ? chatStream(ctx, caller, body, signal) : undefined),
  }),
];
