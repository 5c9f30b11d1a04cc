import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { templateText, variableName } from '../fields.js';
import { httpRequestStep } from './http-request.step.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const httpRequestConfig = z.object({
  method: z.enum(methods).default('GET').meta(ui({ label: 'Method', widget: 'select' })),
  url: templateText({ label: 'URL', widget: 'template', placeholder: 'https://api.example.com/orders/{{order_id}}' }, 2000),
  headers: z
    .array(
      z.object({
        name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid header name'),
        value: z.string().max(2000).meta(ui({ widget: 'template' })),
      }),
    )
    .max(20)
    .default([])
    .meta(ui({ label: 'Headers', widget: 'list', advanced: true })),
  body: z
    .string()
    .max(20_000)
    .default('')
    .meta(ui({ label: 'Body', widget: 'template', visibleWhen: { field: 'method', equals: ['POST', 'PUT', 'PATCH', 'DELETE'] } })),
  saveAs: variableName({ label: 'Save the response as', placeholder: 'order' }).optional(),
  timeoutSeconds: z.number().int().min(1).max(30).default(10).meta(ui({ label: 'Timeout (seconds)', advanced: true })),
});

export const httpRequestInput = z.object({
  method: z.enum(methods),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string().optional(),
  timeoutMs: z.number().int().positive(),
});

export const httpRequestResult = z.object({ ok: z.boolean(), status: z.number().int(), body: z.json() });

export const httpRequestNode = defineNode({
  type: 'http_request',
  version: 1,
  title: 'HTTP request',
  description:
    'Calls your business system (an order API, a CRM) and saves the answer, e.g. {{order.body.status}}. Goes to "error" when the call fails or answers with a status outside 200–299.',
  category: 'integration',
  icon: 'globe',
  config: httpRequestConfig,
  ports: [
    { id: 'ok', label: 'OK' },
    { id: 'error', label: 'Error' },
  ],
  activity: {
    input: httpRequestInput,
    result: httpRequestResult,
    timeoutSeconds: 35,
    maxAttempts: 3,
  },
  step: httpRequestStep,
  setsVariables: (config) => (config.saveAs ? [config.saveAs] : []),
});

