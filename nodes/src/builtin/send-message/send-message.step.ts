import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import type { sendMessageConfig } from './send-message.node.js';

export const sendMessageStep = ({ config, vars }: StepContext<z.output<typeof sendMessageConfig>>): StepResult => ({
  say: [renderTemplate(config.text, vars)],
  then: { go: 'next' },
});
