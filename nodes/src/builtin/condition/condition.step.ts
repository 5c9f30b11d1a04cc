import type { z } from 'zod';
import type { Json, JsonObject } from '../../json.js';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { getVariable } from '../../sdk/variables.js';
import type { conditionConfig, conditionRuleSchema } from './condition.node.js';

type Rule = z.output<typeof conditionRuleSchema>;

export const conditionStep = ({ config, vars }: StepContext<z.output<typeof conditionConfig>>): StepResult => {
  const rule = config.rules.find((r) => holds(r, vars, config.ignoreCase));
  return { then: { go: rule?.port ?? 'else' } };
};

export function compiles(pattern: string): boolean {
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
  const op = rule.op;
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
