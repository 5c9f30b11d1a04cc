import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { endStep } from './end.step.js';

export const endConfig = z.object({
  message: z.string().max(4000).default('').meta(ui({ label: 'Last message', widget: 'template' })),
  recordUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })])
    .default('')
    .meta(ui({ label: 'Send the end-of-conversation record to', placeholder: 'https://crm.example.com/hooks/baton', advanced: true })),
});

export const endActivityInput = z.object({ url: z.string(), record: z.record(z.string(), z.json()) });

export const endNode = defineNode({
  type: 'end',
  version: 1,
  title: 'End',
  description:
    'Ends the conversation, optionally with a last message. It can also send a record of the conversation (its variables) to a URL of yours.',
  category: 'flow',
  icon: 'flag',
  config: endConfig,
  ports: [],
  activity: {
    input: endActivityInput,
    result: z.object({ delivered: z.boolean(), status: z.number().int().optional() }),
    timeoutSeconds: 15,
    maxAttempts: 3,
  },
  step: endStep,
});
