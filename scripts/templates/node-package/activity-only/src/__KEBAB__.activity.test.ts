import { describe, expect, it } from 'vitest';
import { NodeError } from '@baton/nodes';
import { fakeHttp, runActivity } from '@baton/nodes/testing';
import { __CAMEL__Activity } from './__KEBAB__.activity.js';

const input = {
  config: { url: 'https://api.example.com/lookup', apiKey: 'example_api_key' },
  vars: { lastMessage: 'Where is order 42?' },
};
const secrets = { example_api_key: 'sk-test' };

describe('__TYPE__ activity', () => {
  it('posts the rendered query with the key and an idempotency key, and saves the answer', async () => {
    const http = fakeHttp(() => ({ status: 200, body: '{"status":"shipped"}' }));
    const result = await runActivity(__CAMEL__Activity, input, { http, secrets, conversation: { id: 'c1' }, nodeId: 'lookup' });
    expect(result).toEqual({ port: 'ok', set: { __TYPE__: { status: 'shipped' } } });
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://api.example.com/lookup',
      headers: { authorization: 'Bearer sk-test', 'idempotency-key': 'c1:lookup' },
      body: JSON.stringify({ query: 'Where is order 42?' }),
    });
  });

  it.each([429, 503])('asks for a retry when the API answers %i', async (status) => {
    const http = fakeHttp(() => ({ status, headers: { 'retry-after': '2' } }));
    const failure = runActivity(__CAMEL__Activity, input, { http, secrets });
    await expect(failure).rejects.toThrow(NodeError);
    await expect(failure).rejects.toMatchObject({ code: 'api_unavailable', retryable: true, retryAfterMs: 2000 });
  });

  it('fails for good when the API refuses the request', async () => {
    const http = fakeHttp(() => ({ status: 401 }));
    await expect(runActivity(__CAMEL__Activity, input, { http, secrets })).rejects.toMatchObject({ code: 'api_refused', retryable: false });
  });

  it('fails for good, without calling the API, when the bot has no such secret', async () => {
    const http = fakeHttp(() => ({ status: 200 }));
    await expect(runActivity(__CAMEL__Activity, input, { http, secrets: {} })).rejects.toMatchObject({
      code: 'missing_secret',
      retryable: false,
    });
    expect(http.requests).toEqual([]);
  });
});
