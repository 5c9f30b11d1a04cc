import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { templateText } from '../fields.js';
import { sendMessageStep } from './send-message.step.js';

export const sendMessageConfig = z.object({
  text: templateText({ label: 'Message', widget: 'template', placeholder: 'Hi {{user.name | there}}! How can I help?' }),
});

export const sendMessageNode = defineNode({
  type: 'send_message',
  version: 1,
  title: 'Send message',
  description: 'The bot says something. Use {{variable}} to insert what you know, like {{user.name}}.',
  category: 'message',
  icon: 'message-square',
  config: sendMessageConfig,
  ports: ['next'],
  step: sendMessageStep,
});
