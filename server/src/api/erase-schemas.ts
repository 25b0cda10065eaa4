/** The erase endpoint's request: the user, and the same id typed again as an explicit confirmation. */
import { z } from 'zod';
import { userId } from './schemas';

export const eraseUser = z
  .object({
    user_id: userId.describe('The user whose data is erased, everywhere in this key\'s project.'),
    confirm: z.string().describe('Must repeat user_id exactly: an erase cannot be undone.'),
  })
  .refine((b) => b.confirm === b.user_id, { message: 'confirm must repeat user_id exactly to erase that user', path: ['confirm'] });
