import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { findEmail, isEmail } from '../../sdk/email.js';
import { renderTemplate } from '../../sdk/templates.js';
import { getVariable } from '../../sdk/variables.js';
import { ui } from '../../sdk/ui.js';
import { templateText, variableName } from '../fields.js';

export const collectEmailNode = defineNode({
  type: 'collect_email',
  version: 1,
  title: 'Collect email',
  description:
    'Asks for the user\'s email address and checks it. Skipped when the address is already known (from the widget, the chat link or a logged-in user).',
  category: 'input',
  icon: 'at-sign',
  config: z.object({
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
  }),
  ports: ['next'],
  step: (ctx) => {
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
  },
  setsVariables: (config) => [config.saveAs],
});
