import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { variableName } from '../fields.js';
import { setVariableStep } from './set-variable.step.js';

export const setVariableConfig = z.object({
  name: variableName({ label: 'Variable', placeholder: 'plan' }),
  value: z.string().max(4000).default('').meta(ui({ label: 'Value', widget: 'template' })),
});

export const setVariableNode = defineNode({
  type: 'set_variable',
  version: 1,
  title: 'Set variable',
  description:
    'Remembers a value for later in the conversation. The value may use {{variable}}; a value that is exactly one {{variable}} copies it as it is (a number stays a number).',
  category: 'logic',
  icon: 'variable',
  config: setVariableConfig,
  ports: ['next'],
  step: setVariableStep,
  setsVariables: (config) => [config.name],
});
