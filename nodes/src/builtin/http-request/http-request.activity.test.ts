import { describe, expect, it } from 'vitest';
import { NodeError } from '../../sdk/activity.js';
import { fakeHttp, runActivity } from '../../testing/index.js';
import { httpRequestActivity } from './http-request.activity.js';

const get = { method: 'GET' as const, url: 'https://api.example.com/orders/7', headers: {}, timeoutMs: 5000 };

async function failure(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

describe('http_request activity', () => {
  it('refuses a string that is not a URL, without calling out and without retrying', async () => {
    const http = fakeHttp(() => ({ status: 200 }));
    const error = await failure(runActivity(httpRequestActivity, { ...get, url: 'orders/7' }, { http }));
    expect(error).toMatchObject({ code: 'invalid_url', retryable: false });
    expect(http.requests).toHaveLength(0);
  });

  it('refuses schemes other than http and https', async () => {
    const http = fakeHttp(() => ({ status: 200 }));
    for (const url of ['ftp://example.com/file', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const error = await failure(runActivity(httpRequestActivity, { ...get, url }, { http }));
      expect(error).toMatchObject({ code: 'invalid_url', retryable: false });
    }
    expect(http.requests).toHaveLength(0);
  });

  it('passes method, url, headers, timeout and the cancellation signal to the client', async () => {
    const http = fakeHttp(() => ({ status: 200, body: 'ok' }));
    const signal = new AbortController().signal;
    await runActivity(httpRequestActivity, { ...get, url: 'https://api.example.com/a b', headers: { Authorization: 'Bearer t' } }, { http, signal });
    expect(http.requests).toEqual([
      {
        method: 'GET',
        url: 'https://api.example.com/a%20b',
        headers: { accept: expect.stringContaining('application/json'), Authorization: 'Bearer t' },
        timeoutMs: 5000,
        signal,
      },
    ]);
  });

  it('sends no body and no content type when there is no body', async () => {
    const http = fakeHttp(() => ({ status: 200 }));
    await runActivity(httpRequestActivity, get, { http });
    expect(http.requests[0]).not.toHaveProperty('body');
    expect(http.requests[0]?.headers).not.toHaveProperty('content-type');
  });

  it('defaults the content type from the body: JSON or plain text', async () => {
    const http = fakeHttp(() => ({ status: 201 }));
    await runActivity(httpRequestActivity, { ...get, method: 'POST', body: ' {"a":1}' }, { http });
    await runActivity(httpRequestActivity, { ...get, method: 'POST', body: 'hello' }, { http });
    expect(http.requests.map((r) => [r.body, r.headers?.['content-type']])).toEqual([
      [' {"a":1}', 'application/json'],
      ['hello', 'text/plain; charset=utf-8'],
    ]);
  });

  it('keeps a content type given in any case', async () => {
    const http = fakeHttp(() => ({ status: 200 }));
    await runActivity(httpRequestActivity, { ...get, method: 'PUT', body: '{}', headers: { 'Content-Type': 'application/vnd.api+json' } }, { http });
    expect(http.requests[0]?.headers).toEqual({ accept: expect.any(String), 'Content-Type': 'application/vnd.api+json' });
  });

  it('parses a JSON answer', async () => {
    const http = fakeHttp(() => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"status":"shipped","items":[1,2]}' }));
    expect(await runActivity(httpRequestActivity, get, { http })).toEqual({ ok: true, status: 200, body: { status: 'shipped', items: [1, 2] } });
  });

  it('parses a body that looks like JSON without a content type, and keeps broken JSON as text', async () => {
    const json = fakeHttp(() => ({ status: 200, body: '[1,2]' }));
    expect((await runActivity(httpRequestActivity, get, { http: json })).body).toEqual([1, 2]);
    const broken = fakeHttp(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{oops' }));
    expect((await runActivity(httpRequestActivity, get, { http: broken })).body).toBe('{oops');
    const text = fakeHttp(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'shipped' }));
    expect((await runActivity(httpRequestActivity, get, { http: text })).body).toBe('shipped');
  });

  it('answers ok: false for a 4xx status, without retrying', async () => {
    const http = fakeHttp(() => ({ status: 404, body: 'no such order' }));
    expect(await runActivity(httpRequestActivity, get, { http })).toEqual({ ok: false, status: 404, body: 'no such order' });
  });

  it('throws a retryable NodeError for 5xx and 429', async () => {
    for (const status of [503, 500, 429]) {
      const http = fakeHttp(() => ({ status, body: 'busy' }));
      const error = await failure(runActivity(httpRequestActivity, get, { http }));
      expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
      expect(error.message).toContain(String(status));
    }
  });

  it('lets client errors (such as a refused private address) through unchanged', async () => {
    const refused = new NodeError('address_not_allowed', 'private', { retryable: false });
    const http = fakeHttp(() => Promise.reject(refused));
    await expect(runActivity(httpRequestActivity, get, { http })).rejects.toBe(refused);
  });
});
