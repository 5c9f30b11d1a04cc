import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { httpRequestNode } from './http-request.node.js';

const vars = { order: { id: 'A7' }, token: 's3cr3t', user: { email: 'ann@example.com' } };

describe('http_request', () => {
  it('renders url, headers and body templates into the call', () => {
    const out = runStep(httpRequestNode, {
      config: {
        method: 'POST',
        url: 'https://api.example.com/orders/{{order.id}}',
        headers: [
          { name: 'Authorization', value: 'Bearer {{token}}' },
          { name: 'X-Static', value: 'yes' },
        ],
        body: '{"email":"{{user.email}}"}',
        timeoutSeconds: 5,
      },
      vars,
    });
    expect(out).toEqual({
      say: [],
      then: {
        call: {
          method: 'POST',
          url: 'https://api.example.com/orders/A7',
          headers: { Authorization: 'Bearer s3cr3t', 'X-Static': 'yes' },
          body: '{"email":"ann@example.com"}',
          timeoutMs: 5000,
        },
      },
    });
  });

  it('percent-encodes values inserted into the URL, except a base URL at its start', () => {
    const out = runStep(httpRequestNode, {
      config: { url: '{{api}}/orders/{{lastMessage}}?q={{q}}' },
      vars: { api: 'https://api.example.com/v1', lastMessage: '1/../../admin?x=', q: 'a&b c' },
    });
    expect(out.then).toMatchObject({ call: { url: 'https://api.example.com/v1/orders/1%2F..%2F..%2Fadmin%3Fx%3D?q=a%26b%20c' } });
  });

  it('sends no body with GET, even when one is configured, and defaults to a 10 s timeout', () => {
    const out = runStep(httpRequestNode, { config: { url: 'https://api.example.com/x', body: 'ignored' }, vars });
    expect(out.then).toEqual({ call: { method: 'GET', url: 'https://api.example.com/x', headers: {}, timeoutMs: 10_000 } });
  });

  it('sends no body when the body is empty', () => {
    const out = runStep(httpRequestNode, { config: { method: 'DELETE', url: 'https://api.example.com/x' } });
    expect(out.then).toEqual({ call: { method: 'DELETE', url: 'https://api.example.com/x', headers: {}, timeoutMs: 10_000 } });
  });

  it('goes to ok and saves status and body on a 2xx result', () => {
    const out = runStep(httpRequestNode, {
      config: { url: 'https://x.test', saveAs: 'order' },
      result: { ok: true, status: 200, body: { status: 'shipped' } },
    });
    expect(out).toEqual({ say: [], set: { order: { status: 200, body: { status: 'shipped' } } }, then: { go: 'ok' } });
  });

  it('goes to error when the answer is not ok, still saving it', () => {
    const out = runStep(httpRequestNode, { config: { url: 'https://x.test', saveAs: 'order' }, result: { ok: false, status: 404, body: 'not found' } });
    expect(out.set).toEqual({ order: { status: 404, body: 'not found' } });
    expect(out.then).toEqual({ go: 'error' });
  });

  it('saves nothing without saveAs', () => {
    const out = runStep(httpRequestNode, { config: { url: 'https://x.test' }, result: { ok: true, status: 204, body: '' } });
    expect(out.set).toEqual({});
    expect(httpRequestNode.setsVariables?.(httpRequestNode.config.parse({ url: 'https://x.test' }))).toEqual([]);
  });

  it('refuses a bad header name, an empty url and a timeout above 30 s', () => {
    expect(() => runStep(httpRequestNode, { config: { url: 'https://x.test', headers: [{ name: 'Bad Header', value: '' }] } })).toThrow(
      /headers\.0\.name: is not a valid header name/,
    );
    expect(() => runStep(httpRequestNode, { config: { url: '' } })).toThrow(/url: must not be empty/);
    expect(() => runStep(httpRequestNode, { config: { url: 'https://x.test', timeoutSeconds: 31 } })).toThrow(/timeoutSeconds:/);
  });
});
