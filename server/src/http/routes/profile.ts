/** Profile endpoints (bind a template, edit and delete a subject's profile). Routes only validate and delegate. */
import * as s from '../../api/profile-schemas';
import { bindProfileTemplates, deleteProfile, editProfile } from '../../engine/profile';
import { endpoint } from '../endpoint';

export const profileEndpoints = [
  endpoint({
    path: '/bind/profile_template',
    operationId: 'bindProfileTemplate',
    summary: 'Give users or agents a profile from a template',
    description: 'Each binding creates the subject\'s profile with the template\'s defaults; later messages fill its fields.',
    tag: 'profile',
    schema: s.bindProfileTemplate,
    handler: (ctx, caller, body) => bindProfileTemplates(ctx, caller, body),
  }),
  endpoint({
    path: '/edit/profile',
    operationId: 'editProfile',
    summary: 'Set or remove fields of a profile',
    description: 'metadata is merged into the profile (a replaced value is kept in the field\'s history); remove_fields takes dotted paths.',
    tag: 'profile',
    schema: s.editProfile,
    handler: (ctx, caller, body) => editProfile(ctx, caller, body),
  }),
  endpoint({
    path: '/delete/profile',
    operationId: 'deleteProfile',
    summary: 'Delete a user\'s or agent\'s profile',
    tag: 'profile',
    schema: s.deleteProfile,
    handler: (ctx, caller, body) => deleteProfile(ctx, caller, body),
  }),
];
