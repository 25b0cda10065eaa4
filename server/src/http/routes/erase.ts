/** Erasing a user (the console's "erase this user", GDPR/PIPL requests). Routes only validate and delegate. */
import * as s from '../../api/erase-schemas';
import { eraseUser } from '../../engine/portability/erase';
import { endpoint } from '../endpoint';

export const eraseEndpoints = [
  endpoint({
    path: '/erase/user',
    operationId: 'eraseUser',
    summary: 'Erase everything stored about a user',
    description:
      'Deletes the user\'s memories of every status, raw messages, profile, vectors, full-text entries and tasks in this project, in one transaction, and purges them from the database files. `confirm` must repeat `user_id`. Returns what was removed, by count.',
    tag: 'memory',
    schema: s.eraseUser,
    handler: async (ctx, caller, body) => {
      const r = await eraseUser(ctx.store, ctx.log, caller.projectId, body.user_id);
      return { memories: r.memories, vectors: r.vectors, messages: r.messages, profiles: r.profiles, tasks: r.tasks };
    },
  }),
];
