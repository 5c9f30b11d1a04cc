import { z } from 'zod';
import type { Json, JsonObject } from '../../json.js';
import { defineNode } from '../../sdk/define-node.js';
import { getVariable } from '../../sdk/variables.js';
import { ui } from '../../sdk/ui.js';
import { variableName } from '../fields.js';

const operators = ['equals', 'contains', 'matches', 'exists'] as const;
type Operator = (typeof operators)[number];

const ruleSchema = z.object({
  port: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
    .meta(ui({ label: 'Exit name', placeholder: 'vip' })),
  variable: variableName({ label: 'Variable', placeholder: 'lastMessage' }),
  op: z.enum(operators).default('equals').meta(ui({ label: 'Test', widget: 'select' })),
  value: z.string().max(500).default('').meta(ui({ label: 'Value', visibleWhen: { field: 'op', equals: ['equals', 'contains', 'matches'] } })),
});
type Rule = z.output<typeof ruleSchema>;

export const conditionNode = defineNode({
  type: 'condition',
  version: 1,
  title: 'Condition',
  description: 'Goes out through the first rule that holds, or through "else". Each rule is an exit of its own.',
  category: 'logic',
  icon: 'split',
  config: z
    .object({
      rules: z.array(ruleSchema).max(20, 'at most 20 rules').default([]).meta(ui({ label: 'Rules', widget: 'list' })),
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
    }),
  ports: [{ fromConfig: 'rules', idField: 'port' }, { id: 'else', label: 'Else' }],
  step: ({ config, vars }) => {
    const rule = config.rules.find((r) => holds(r, vars, config.ignoreCase));
    return { then: { go: rule?.port ?? 'else' } };
  },
});

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function asText(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether one rule holds for the current variables. */
export function holds(rule: Rule, vars: Readonly<JsonObject>, ignoreCase: boolean): boolean {
  const raw = getVariable(vars, rule.variable);
  const op: Operator = rule.op;
  if (op === 'exists') return raw !== undefined && raw !== null && asText(raw).trim() !== '';
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const actual = fold(asText(raw).trim());
  const expected = fold(rule.value.trim());
  switch (op) {
    case 'equals':
      return actual === expected;
    case 'contains':
      return actual.includes(expected);
    case 'matches':
      // Bounded input: user messages are capped in length before they reach variables.
      return compiles(rule.value) && new RegExp(rule.value, ignoreCase ? 'i' : '').test(asText(raw));
  }
}
