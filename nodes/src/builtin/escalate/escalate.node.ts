import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { handoffFields } from '../handoff-fields.js';
import { escalateStep } from './escalate.step.js';

export const escalateConfig = z.object({
  provider: z.enum(['intercom', 'livechat', 'webhook']).meta(ui({ label: 'Desk', widget: 'select', help: 'Set up its credentials in Settings → Desks.' })),
  ...handoffFields,
});

export const escalateNode = defineNode({
  type: 'escalate',
  version: 1,
  title: 'Escalate to a desk',
  description:
    'Hands the conversation to your help desk (Intercom, LiveChat, or any desk through a webhook). The bot stays silent while a human answers, then continues at "resolved".',
  category: 'handoff',
  icon: 'headset',
  config: escalateConfig,
  ports: [
    { id: 'resolved', label: 'Resolved', afterWait: true },
    { id: 'no_agent', label: 'Nobody answered', afterWait: true },
    { id: 'off_hours', label: 'Off hours' },
    { id: 'unavailable', label: 'Desk unavailable' },
  ],
  step: escalateStep,
});
