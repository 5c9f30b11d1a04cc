import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { renderTemplate } from '../../sdk/templates.js';
import { getVariable } from '../../sdk/variables.js';
import { ui } from '../../sdk/ui.js';
import { variableName } from '../fields.js';

const SINGLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/;

export const setVariableNode = defineNode({
  type: 'set_variable',
  version: 1,
  title: 'Set variable',
  description:
    'Remembers a value for later in the conversation. The value may use {{variable}}; a value that is exactly one {{variable}} copies it as it is (a number stays a number).',
  category: 'logic',
  icon: 'variable',
  config: z.object({
    name: variableName({ label: 'Variable', placeholder: 'plan' }),
    value: z.string().max(4000).default('').meta(ui({ label: 'Value', widget: 'template' })),
  }),
  ports: ['next'],
  step: ({ config, vars }) => {
    const copied = SINGLE_PLACEHOLDER.exec(config.value.trim())?.[1];
    const value = copied !== undefined ? (getVariable(vars, copied) ?? '') : renderTemplate(config.value, vars);
    return { set: { [config.name]: value }, then: { go: 'next' } };
  },
  setsVariables: (config) => [config.name],
});
