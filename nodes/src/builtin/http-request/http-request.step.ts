import type { z } from 'zod';
import type { JsonObject } from '../../json.js';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import type { httpRequestConfig, httpRequestInput, httpRequestResult } from './http-request.node.js';

export const httpRequestStep = (
  ctx: StepContext<z.output<typeof httpRequestConfig>, z.output<typeof httpRequestResult>>,
): StepResult<z.input<typeof httpRequestInput>> => {
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
};

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
