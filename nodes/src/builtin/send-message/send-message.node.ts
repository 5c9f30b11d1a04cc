import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { renderTemplate } from '../../sdk/templates.js';
import { templateText } from '../fields.js';

export const sendMessageNode = defineNode({
  type: 'send_message',
  version: 1,
  title: 'Send message',
  description: 'The bot says something. Use {{variable}} to insert what you know, like {{user.name}}.',
  category: 'message',
  icon: 'message-square',
  config: z.object({
    text: templateText({ label: 'Message', widget: 'template', placeholder: 'Hi {{user.name | there}}! How can I help?' }),
  }),
  ports: ['next'],
  step: ({ config, vars }) => ({ say: [renderTemplate(config.text, vars)], then: { go: 'next' } }),
});
