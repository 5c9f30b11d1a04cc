import { describe, expect, it } from 'vitest';
import { NodeError } from '../../sdk/activity.js';
import { fakeHttp, runActivity } from '../../testing/index.js';
import { endActivity } from './end.activity.js';

const input = { url: 'https://crm.example.com/hook', record: { endedAt: '2026-01-05T10:00:00.000Z', nodeId: 'bye', variables: { a: 1 } } };
const conversation = { id: 'c-42', botId: 'bot-7' };

describe('end activity', () => {
  it('posts the record with the conversation ids and an idempotency key', async () => {
    const http = fakeHttp(() => ({ status: 202 }));
    expect(await runActivity(endActivity, input, { http, conversation })).toEqual({ delivered: true, status: 202 });
    expect(http.requests).toHaveLength(1);
    const request = http.requests[0]!;
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://crm.example.com/hook',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'c-42:end' },
    });
    expect(JSON.parse(request.body!)).toEqual({ conversationId: 'c-42', botId: 'bot-7', ...input.record });
  });

  it('throws a retryable NodeError for a 500 or 429 before the last attempt', async () => {
    for (const [status, attempt] of [[500, 1], [429, 2]] as const) {
      const http = fakeHttp(() => ({ status }));
      const error = await runActivity(endActivity, input, { http, attempt }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NodeError);
      expect(error).toMatchObject({ code: 'record_not_accepted', retryable: true });
    }
  });

  it('gives up quietly on the last attempt: delivered false, with the status', async () => {
    const http = fakeHttp(() => ({ status: 500 }));
    const warnings: string[] = [];
    const result = await runActivity(endActivity, input, { http, attempt: 3, log: { info: () => undefined, warn: (m) => warnings.push(m) } });
    expect(result).toEqual({ delivered: false, status: 500 });
    expect(warnings).toHaveLength(1);
  });

  it('does not retry a refusal such as 400', async () => {
    const http = fakeHttp(() => ({ status: 400 }));
    expect(await runActivity(endActivity, input, { http, attempt: 1 })).toEqual({ delivered: false, status: 400 });
  });

  it('does not retry a non-retryable client error, and retries a network error until the last attempt', async () => {
    const refused = fakeHttp(() => Promise.reject(new NodeError('address_not_allowed', 'private', { retryable: false })));
    expect(await runActivity(endActivity, input, { http: refused, attempt: 1 })).toEqual({ delivered: false });
    const offline = new NodeError('network_error', 'ECONNREFUSED', { retryable: true });
    const down = fakeHttp(() => Promise.reject(offline));
    await expect(runActivity(endActivity, input, { http: down, attempt: 1 })).rejects.toBe(offline);
    expect(await runActivity(endActivity, input, { http: down, attempt: 3 })).toEqual({ delivered: false });
  });
});
