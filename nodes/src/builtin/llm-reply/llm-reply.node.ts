import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { templateText, variableName } from '../fields.js';
import { llmReplyStep } from './llm-reply.step.js';

export const historyEntrySchema = z.object({ role: z.enum(['user', 'bot', 'agent']), text: z.string() });

export const llmReplyConfig = z.object({
  instructions: templateText({ label: 'Instructions', widget: 'textarea', help: 'What the assistant knows and how it should answer.' }, 20_000),
  escalationHint: z
    .string()
    .trim()
    .max(1000)
    .default('')
    .meta(
      ui({
        label: 'When to hand over to a human',
        widget: 'textarea',
        placeholder: 'The user asks for a refund, is angry, or asks for a person.',
        help: 'Leave empty to never escalate.',
      }),
    ),
  model: z.string().trim().max(100).default('').meta(ui({ label: 'Model', placeholder: 'default', advanced: true })),
  temperature: z.number().min(0).max(2).optional().meta(ui({ label: 'Temperature', advanced: true })),
  historyRounds: z
    .number()
    .int()
    .min(0)
    .max(50)
    .default(10)
    .meta(ui({ label: 'Rounds of history', help: 'How many earlier exchanges the model sees.', advanced: true })),
  saveAs: variableName({ label: 'Save the answer as', advanced: true }).optional(),
});

export const llmReplyInput = z.object({
  model: z.string(),
  instructions: z.string(),
  escalationHint: z.string(),
  temperature: z.number().optional(),
  history: z.array(historyEntrySchema),
});

export const llmReplyResult = z.object({ text: z.string(), escalate: z.boolean(), reason: z.string().optional() });

export const llmReplyNode = defineNode({
  type: 'llm_reply',
  version: 1,
  title: 'AI reply',
  description:
    'Answers the user with a language model (OpenAI or any compatible endpoint), using the recent conversation. It takes the "escalate" exit by itself when the user needs a human, as the escalation hint describes.',
  category: 'ai',
  icon: 'sparkles',
  config: llmReplyConfig,
  ports: [
    { id: 'next', label: 'Answered' },
    { id: 'escalate', label: 'Needs a human' },
    { id: 'error', label: 'Error' },
  ],
  activity: {
    input: llmReplyInput,
    result: llmReplyResult,
    timeoutSeconds: 60,
    heartbeatSeconds: 10,
    maxAttempts: 3,
  },
  step: llmReplyStep,
  setsVariables: (config) => (config.saveAs ? [config.saveAs] : []),
});

