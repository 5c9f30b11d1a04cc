import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import { getVariable } from '../../sdk/variables.js';
import type { setVariableConfig } from './set-variable.node.js';

const SINGLE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/;

export const setVariableStep = ({ config, vars }: StepContext<z.output<typeof setVariableConfig>>): StepResult => {
  const copied = SINGLE_PLACEHOLDER.exec(config.value.trim())?.[1];
  const value = copied !== undefined ? (getVariable(vars, copied) ?? '') : renderTemplate(config.value, vars);
  return { set: { [config.name]: value }, then: { go: 'next' } };
};
