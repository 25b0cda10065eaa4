/**
 * Profile endpoints (MemOS "profile" memory): bind a template to users or agents, edit a subject's profile,
 * delete it. Templates themselves are created with `memos-lite profiles create --file template.json`.
 */
import { z } from 'zod';
import { optionalId, userId } from './schemas';

const templateId = z.string().min(1).max(200).describe('A profile template id (see memos-lite profiles list).');
const subject = {
  user_id: userId.optional().describe('The user whose profile it is (or agent_id, not both).'),
  agent_id: optionalId.min(1).optional().describe('The agent whose profile it is (or user_id, not both).'),
};
type Subject = { user_id?: string; agent_id?: string };
const oneSubject = (b: Subject, ctx: z.RefinementCtx, path: PropertyKey[] = []) => {
  if (b.user_id === undefined && b.agent_id === undefined)
    ctx.addIssue({ code: 'custom', path: [...path, 'user_id'], message: 'pass user_id or agent_id', params: { code: 40002 } });
  else if (b.user_id !== undefined && b.agent_id !== undefined) ctx.addIssue({ code: 'custom', path, message: 'pass exactly one of user_id or agent_id, not both' });
};

export const bindProfileTemplate = z.object({
  bind_list: z
    .array(z.object({ ...subject, profile_template_id: templateId }).superRefine((b, ctx) => oneSubject(b, ctx)))
    .min(1)
    .max(20)
    .describe('Up to 20 bindings: {user_id or agent_id, profile_template_id}. Binding again keeps the existing profile.'),
});

export const editProfile = z
  .object({
    ...subject,
    profile_template_id: templateId,
    metadata: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Fields to set, as the template tree: {"basic": {"city": {"value": "Shanghai", "algorithm_updatable": false}}} or {"basic": {"city": "Shanghai"}}.'),
    remove_fields: z.array(z.string().min(1).max(300)).max(200).optional().describe('Dotted paths of fields or groups to remove, e.g. "basic.city".'),
  })
  .superRefine((b, ctx) => {
    oneSubject(b, ctx);
    if (b.metadata === undefined && !b.remove_fields?.length)
      ctx.addIssue({ code: 'custom', path: ['metadata'], message: 'pass metadata or remove_fields', params: { code: 40002 } });
  });

export const deleteProfile = z.object({ ...subject, profile_template_id: templateId }).superRefine((b, ctx) => oneSubject(b, ctx));

export type BindProfileTemplateRequest = z.output<typeof bindProfileTemplate>;
export type EditProfileRequest = z.output<typeof editProfile>;
export type DeleteProfileRequest = z.output<typeof deleteProfile>;
