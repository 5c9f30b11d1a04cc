import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { variableName } from '../fields.js';
import { waitForReplyStep } from './wait-for-reply.step.js';

const NINETY_DAYS = 90 * 24 * 3600;

export const waitForReplyConfig = z.object({
  timeoutSeconds: z
    .number()
    .int()
    .min(1, 'must be at least 1 second')
    .max(NINETY_DAYS, 'must be at most 90 days')
    .default(300)
    .meta(ui({ label: 'Timeout (seconds)', widget: 'number', help: 'How long to wait before taking the timeout exit.' })),
  saveAs: variableName({ label: 'Save the answer as', placeholder: 'answer' }).optional(),
});

export const waitForReplyNode = defineNode({
  type: 'wait_for_reply',
  version: 1,
  title: 'Wait for reply',
  description:
    'Waits until the user answers, or until the timeout passes. The answer is in {{lastMessage}}, and in the variable you choose.',
  category: 'input',
  icon: 'hourglass',
  config: waitForReplyConfig,
  ports: [
    { id: 'replied', label: 'Replied', afterWait: true },
    {
      id: 'timeout',
      label: 'Timeout',
      afterWait: true,
      warnIfUnconnected: 'When the user does not answer in time, the conversation ends.',
    },
  ],
  step: waitForReplyStep,
  setsVariables: (config) => (config.saveAs ? [config.saveAs] : []),
});
