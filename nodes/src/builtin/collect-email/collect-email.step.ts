import type { z } from 'zod';
import { findEmail, isEmail } from '../../sdk/email.js';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import { getVariable } from '../../sdk/variables.js';
import type { collectEmailConfig } from './collect-email.node.js';

export const collectEmailStep = (ctx: StepContext<z.output<typeof collectEmailConfig>>): StepResult => {
  const { config, vars } = ctx;
  if (ctx.phase === 'enter') {
    // The saveAs variable may hold something else (an earlier wrong answer); user.email still counts.
    const known = [getVariable(vars, config.saveAs), getVariable(vars, 'user.email')].find(isEmail);
    if (config.skipIfKnown && known !== undefined) {
      return { set: { [config.saveAs]: known }, then: { go: 'next' } };
    }
    return { say: [renderTemplate(config.prompt, vars)], local: { attempts: 0 }, then: { wait: {} } };
  }
  if (ctx.phase !== 'reply') return { then: { go: 'next' } };
  const email = findEmail(ctx.reply.text);
  if (email) {
    const set: Record<string, string> = { [config.saveAs]: email };
    if (config.saveAs !== 'user.email' && !isEmail(getVariable(vars, 'user.email'))) set['user.email'] = email;
    return { set, then: { go: 'next' } };
  }
  const attempts = Number(ctx.local['attempts'] ?? 0) + 1;
  if (attempts >= config.maxAttempts) return { then: { go: 'next' } };
  return { say: [renderTemplate(config.invalidMessage, vars)], local: { attempts }, then: { wait: {} } };
};
