import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { renderTemplate } from '../../sdk/templates.js';
import { ui } from '../../sdk/ui.js';
import { handoffFields } from '../handoff-fields.js';

export const escalateNode = defineNode({
  type: 'escalate',
  version: 1,
  title: 'Escalate to a desk',
  description:
    'Hands the conversation to your help desk (Intercom, LiveChat, or any desk through a webhook). The bot stays silent while a human answers, then continues at "resolved".',
  category: 'handoff',
  icon: 'headset',
  config: z.object({
    provider: z.enum(['intercom', 'livechat', 'webhook']).meta(ui({ label: 'Desk', widget: 'select', help: 'Set up its credentials in Settings → Desks.' })),
    ...handoffFields,
  }),
  ports: [
    { id: 'resolved', label: 'Resolved', afterWait: true },
    { id: 'no_agent', label: 'Nobody answered', afterWait: true },
    { id: 'off_hours', label: 'Off hours' },
    { id: 'unavailable', label: 'Desk unavailable' },
  ],
  step: (ctx) => {
    const { config, vars } = ctx;
    if (ctx.phase === 'handoff_ended') {
      if (ctx.outcome === 'off_hours') return { say: [renderTemplate(config.offHoursMessage, vars)], then: { go: 'off_hours' } };
      return { then: { go: ctx.outcome } };
    }
    return {
      then: {
        handoff: {
          target: { kind: 'desk', provider: config.provider },
          waitTimeoutSeconds: config.waitTimeoutSeconds,
          sessionTimeoutSeconds: config.sessionTimeoutSeconds,
          historyRounds: config.historyRounds,
          requireEmail: config.requireEmail,
          texts: config.texts,
        },
      },
    };
  },
});
