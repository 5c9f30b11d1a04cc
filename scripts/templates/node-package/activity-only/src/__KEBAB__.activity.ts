import { NodeError, renderTemplate, type Json } from '@baton/nodes';
import { implementActivity } from '@baton/nodes/activities';
import { __CAMEL__Node } from './__KEBAB__.node.js';

// The Node half, loaded by the worker only: the place for I/O. It gets the parsed config and the
// conversation's variables, and answers the port to take (plus variables to set).
export const __CAMEL__Activity = implementActivity(__CAMEL__Node, async ({ config, vars }, ctx) => {
  const apiKey = await ctx.secrets.get(config.apiKey);
  // Retrying will not create the secret: a final error, the node leaves through `error`.
  if (!apiKey) throw new NodeError('missing_secret', `the bot has no secret "${config.apiKey}"`, { retryable: false });

  const response = await ctx.http.request({
    method: 'POST',
    url: config.url,
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      // An activity may run more than once (a retry, a worker lost after the call): the same
      // key on every attempt lets the API do the work once.
      'idempotency-key': `${ctx.conversation.id}:${ctx.nodeId}`,
    },
    body: JSON.stringify({ query: renderTemplate(config.query, vars) }),
    signal: ctx.signal,
  });
  // Busy or broken may recover: retryable, after Retry-After when the API sends one.
  if (response.status === 429 || response.status >= 500) {
    const retryAfterSeconds = Number(response.headers['retry-after']);
    throw new NodeError('api_unavailable', `the API answered ${response.status}`, {
      retryable: true,
      ...(retryAfterSeconds > 0 ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    });
  }
  // A refusal (bad key, bad request) will not improve with retries: final.
  if (response.status < 200 || response.status >= 300) {
    throw new NodeError('api_refused', `the API answered ${response.status}`, { retryable: false });
  }
  // Never return the key: results are recorded in the conversation's history.
  return { port: 'ok', set: { __TYPE__: parseBody(response.body) } };
});

function parseBody(body: string): Json {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return body;
  }
}
