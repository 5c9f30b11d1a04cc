import { z } from 'zod';
import type { JsonObject } from '../../json.js';
import { defineNode } from '../../sdk/define-node.js';
import { renderTemplate } from '../../sdk/templates.js';
import { ui } from '../../sdk/ui.js';
import { templateText, variableName } from '../fields.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const httpRequestNode = defineNode({
  type: 'http_request',
  version: 1,
  title: 'HTTP request',
  description:
    'Calls your business system (an order API, a CRM) and saves the answer, e.g. {{order.body.status}}. Goes to "error" when the call fails or answers with a status outside 200–299.',
  category: 'integration',
  icon: 'globe',
  config: z.object({
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
  }),
  ports: [
    { id: 'ok', label: 'OK' },
    { id: 'error', label: 'Error' },
  ],
  activity: {
    input: z.object({
      method: z.enum(methods),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      body: z.string().optional(),
      timeoutMs: z.number().int().positive(),
    }),
    result: z.object({ ok: z.boolean(), status: z.number().int(), body: z.json() }),
    timeoutSeconds: 35,
    maxAttempts: 3,
  },
  step: (ctx) => {
    const { config, vars } = ctx;
    if (ctx.phase === 'result') {
      const { ok, status, body } = ctx.result;
      return {
        set: config.saveAs ? { [config.saveAs]: { status, body } } : {},
        then: { go: ok ? 'ok' : 'error' },
      };
    }
    const headers: Record<string, string> = {};
    for (const header of config.headers) headers[header.name] = renderTemplate(header.value, vars);
    const body = config.method === 'GET' || config.body === '' ? undefined : renderTemplate(config.body, vars);
    return {
      then: {
        call: {
          method: config.method,
          url: renderUrl(config.url, vars),
          headers,
          ...(body === undefined ? {} : { body }),
          timeoutMs: config.timeoutSeconds * 1000,
        },
      },
    };
  },
  setsVariables: (config) => (config.saveAs ? [config.saveAs] : []),
});

/**
 * Values inserted into a URL are percent-encoded, so what a user typed cannot change the path or
 * query (`1/../../admin`); a placeholder at the very start is a base URL and stays as it is.
 *
 * @example
 * renderUrl('{{api}}/orders/{{id}}?q={{q}}', { api: 'https://x.io/v1', id: '1/../admin', q: 'a&b' })
 * // 'https://x.io/v1/orders/1%2F..%2Fadmin?q=a%26b'
 */
export function renderUrl(template: string, vars: Readonly<JsonObject>): string {
  return renderTemplate(template.trim(), vars, { encode: (value, offset) => (offset === 0 ? value : encodeURIComponent(value)) });
}
