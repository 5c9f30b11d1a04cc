import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { templateText, variableName } from '../fields.js';
import { collectEmailStep } from './collect-email.step.js';

export const collectEmailConfig = z.object({
  prompt: templateText({ label: 'Question' }).default('What is your email address?'),
  invalidMessage: templateText({ label: 'When it is not an email address' }).default(
    'That does not look like an email address. Could you check it?',
  ),
  saveAs: variableName({ label: 'Save as' }).default('user.email'),
  skipIfKnown: z.boolean().default(true).meta(ui({ label: 'Skip when the email is already known', widget: 'switch' })),
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .meta(ui({ label: 'Attempts', help: 'After this many wrong answers the flow goes on without an email.', advanced: true })),
});

export const collectEmailNode = defineNode({
  type: 'collect_email',
  version: 1,
  title: 'Collect email',
  description:
    'Asks for the user\'s email address and checks it. Skipped when the address is already known (from the widget, the chat link or a logged-in user).',
  category: 'input',
  icon: 'at-sign',
  config: collectEmailConfig,
  ports: ['next'],
  step: collectEmailStep,
  setsVariables: (config) => [config.saveAs],
});
