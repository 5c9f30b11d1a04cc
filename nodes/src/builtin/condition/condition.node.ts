import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { variableName } from '../fields.js';
import { compiles, conditionStep } from './condition.step.js';

const operators = ['equals', 'contains', 'matches', 'exists'] as const;

export const conditionRuleSchema = z.object({
  port: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
    .meta(ui({ label: 'Exit name', placeholder: 'vip' })),
  variable: variableName({ label: 'Variable', placeholder: 'lastMessage' }),
  op: z.enum(operators).default('equals').meta(ui({ label: 'Test', widget: 'select' })),
  value: z.string().max(500).default('').meta(ui({ label: 'Value', visibleWhen: { field: 'op', equals: ['equals', 'contains', 'matches'] } })),
});

export const conditionConfig = z
  .object({
    rules: z.array(conditionRuleSchema).max(20, 'at most 20 rules').default([]).meta(ui({ label: 'Rules', widget: 'list' })),
    ignoreCase: z.boolean().default(true).meta(ui({ label: 'Ignore upper/lower case', widget: 'switch' })),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.rules.forEach((rule, index) => {
      if (rule.port === 'else' || seen.has(rule.port)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'port'],
          message: rule.port === 'else' ? '"else" is reserved' : `exit "${rule.port}" is used by two rules`,
        });
      }
      seen.add(rule.port);
      if (rule.op === 'matches' && !compiles(rule.value)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'value'], message: 'is not a valid regular expression' });
      }
    });
  });

export const conditionNode = defineNode({
  type: 'condition',
  version: 1,
  title: 'Condition',
  description: 'Goes out through the first rule that holds, or through "else". Each rule is an exit of its own.',
  category: 'logic',
  icon: 'split',
  config: conditionConfig,
  ports: [{ fromConfig: 'rules', idField: 'port' }, { id: 'else', label: 'Else' }],
  step: conditionStep,
});

