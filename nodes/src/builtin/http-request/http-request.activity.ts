import type { Json } from '../../json.js';
import { NodeError } from '../../sdk/activity.js';
import { implementActivity } from '../../sdk/implement-activity.js';
import { httpRequestNode } from './http-request.node.js';

export const httpRequestActivity = implementActivity(httpRequestNode, async (input, ctx) => {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new NodeError('invalid_url', `"${input.url}" is not a URL`, { retryable: false });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeError('invalid_url', `only http and https URLs are allowed, not ${url.protocol}`, { retryable: false });
  }
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5', ...input.headers };
  if (input.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = looksLikeJson(input.body) ? 'application/json' : 'text/plain; charset=utf-8';
  }
  const response = await ctx.http.request({
    method: input.method,
    url: url.toString(),
    headers,
    ...(input.body === undefined ? {} : { body: input.body }),
    timeoutMs: input.timeoutMs,
    signal: ctx.signal,
  });
  // A busy or broken server may recover: let the engine retry. Other statuses are answers.
  if (response.status === 429 || response.status >= 500) {
    throw new NodeError('upstream_unavailable', `${input.method} ${url.host} answered ${response.status}`, { retryable: true });
  }
  return {
    ok: response.status >= 200 && response.status < 300,
    status: response.status,
    body: parseBody(response.body, response.headers['content-type']),
  };
});

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

function parseBody(body: string, contentType: string | undefined): Json {
  if (contentType?.includes('json') || looksLikeJson(body)) {
    try {
      return JSON.parse(body) as Json;
    } catch {
      return body;
    }
  }
  return body;
}
