import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { handoffFields } from '../handoff-fields.js';
import { assignToUserStep } from './assign-to-user.step.js';

export const assignToUserConfig = z
  .object({
    assignTo: z.enum(['anyone', 'user', 'team']).default('anyone').meta(ui({ label: 'Assign to', widget: 'select' })),
    userId: z.string().max(100).optional().meta(ui({ label: 'User', visibleWhen: { field: 'assignTo', equals: 'user' } })),
    teamId: z.string().max(100).optional().meta(ui({ label: 'Team', visibleWhen: { field: 'assignTo', equals: 'team' } })),
    rerouteAfterSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(0)
      .meta(ui({ label: 'Re-route when the assignee stays silent for (seconds, 0 = never)', advanced: true })),
    ...handoffFields,
  })
  .superRefine((config, ctx) => {
    if (config.assignTo === 'user' && !config.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'is required to assign to a user' });
    if (config.assignTo === 'team' && !config.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'is required to assign to a team' });
  });

export const assignToUserNode = defineNode({
  type: 'assign_to_user',
  version: 1,
  title: 'Assign to a person',
  description:
    'Hands the conversation to people in Baton\'s own inbox: one user, a team, or whoever is online in turn. The bot stays silent until they are done, then continues at "resolved".',
  category: 'handoff',
  icon: 'user-round',
  config: assignToUserConfig,
  ports: [
    { id: 'resolved', label: 'Resolved', afterWait: true },
    { id: 'no_agent', label: 'Nobody answered', afterWait: true },
    { id: 'off_hours', label: 'Off hours' },
  ],
  step: assignToUserStep,
});
