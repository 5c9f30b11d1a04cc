import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { renderTemplate } from '../../sdk/templates.js';
import { ui } from '../../sdk/ui.js';

export const endNode = defineNode({
  type: 'end',
  version: 1,
  title: 'End',
  description:
    'Ends the conversation, optionally with a last message. It can also send a record of the conversation (its variables) to a URL of yours.',
  category: 'flow',
  icon: 'flag',
  config: z.object({
    message: z.string().max(4000).default('').meta(ui({ label: 'Last message', widget: 'template' })),
    recordUrl: z
      .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })])
      .default('')
      .meta(ui({ label: 'Send the end-of-conversation record to', placeholder: 'https://crm.example.com/hooks/baton', advanced: true })),
  }),
  ports: [],
  activity: {
    input: z.object({ url: z.string(), record: z.record(z.string(), z.json()) }),
    result: z.object({ delivered: z.boolean(), status: z.number().int().optional() }),
    timeoutSeconds: 15,
    maxAttempts: 3,
  },
  step: (ctx) => {
    const { config, vars } = ctx;
    const say = config.message.trim() ? [renderTemplate(config.message, vars)] : [];
    if (ctx.phase === 'enter' && config.recordUrl) {
      return { say, then: { call: { url: config.recordUrl, record: { endedAt: ctx.now, nodeId: ctx.nodeId, variables: { ...vars } } } } };
    }
    return { say: ctx.phase === 'enter' ? say : [], then: { end: true } };
  },
});
