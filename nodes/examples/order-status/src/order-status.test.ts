import { describe, expect, it } from 'vitest';
import { NodeError } from '@baton/nodes';
import { fakeHttp, runActivity, runStep } from '@baton/nodes/testing';
import { orderStatusV1Activity, orderStatusV2Activity } from './activities.js';
import { nodes, orderStatusV1, orderStatusV2 } from './index.js';

const shop = 'https://shop.example.com/api';
const shipped = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"shipped","eta":"2026-01-08"}' };

describe('the declarations', () => {
  it('exports both versions of one type', () => {
    expect(nodes.map((n) => `${n.type}@${n.version}`)).toEqual(['order_status@1', 'order_status@2']);
    expect(nodes.every((n) => n.activityOnly)).toBe(true);
  });

  it('refuses a config without an http(s) API or with a secret value where its name goes', () => {
    expect(() => runStep(orderStatusV1, { config: { apiBaseUrl: 'ftp://shop.example.com' } })).toThrow(/apiBaseUrl: must be an http\(s\) URL/);
    expect(() => runStep(orderStatusV1, { config: { apiBaseUrl: shop, apiKey: 'sk_live_ABC123' } })).toThrow(/apiKey: must be the name of a bot secret/);
  });

  it('hands the parsed config and the variables to the activity, then follows its answer', () => {
    const entered = runStep(orderStatusV2, { config: { apiBaseUrl: shop }, vars: { order_id: '42' } });
    expect(entered.then).toEqual({ call: { config: { apiBaseUrl: shop, orderId: '{{order_id}}', includeEta: true }, vars: { order_id: '42' } } });
    const answered = runStep(orderStatusV2, { config: { apiBaseUrl: shop }, result: { port: 'not_found' } });
    expect(answered).toEqual({ say: [], set: {}, then: { go: 'not_found' } });
  });

  it('upgrades a version 1 config: same settings, the delivery estimate switched on', () => {
    const v1 = { apiBaseUrl: shop, orderId: '{{order.number}}', apiKey: 'shop_key' };
    const upgraded = orderStatusV2.upgrade!(v1);
    expect(upgraded).toEqual({ ...v1, includeEta: true });
    expect(orderStatusV2.config.safeParse(upgraded).success).toBe(true);
    // The defaults of version 1 are filled in, so the upgraded config says what v1 did.
    expect(orderStatusV2.upgrade!({ apiBaseUrl: shop })).toEqual({ apiBaseUrl: shop, orderId: '{{order_id}}', includeEta: true });
  });

  it('lists the variables it sets for the editor', () => {
    expect(orderStatusV1.setsVariables!(orderStatusV1.config.parse({ apiBaseUrl: shop }))).toEqual(['order.status']);
    expect(orderStatusV2.setsVariables!(orderStatusV2.config.parse({ apiBaseUrl: shop }))).toEqual(['order.status', 'order.eta']);
    expect(orderStatusV2.setsVariables!(orderStatusV2.config.parse({ apiBaseUrl: shop, includeEta: false }))).toEqual(['order.status']);
  });
});

describe('version 1', () => {
  const config = { apiBaseUrl: `${shop}/`, orderId: '{{order_id}}' };

  it('found: says the status and sets order.status', async () => {
    const http = fakeHttp(() => shipped);
    const result = await runActivity(orderStatusV1Activity, { config, vars: { order_id: 'A 42' } }, { http });
    expect(result).toEqual({ port: 'found', say: ['Your order A 42 is shipped.'], set: { 'order.status': 'shipped' } });
    expect(http.requests).toMatchObject([{ method: 'GET', url: `${shop}/orders/A%2042`, headers: { accept: 'application/json' } }]);
    expect(http.requests[0]!.headers).not.toHaveProperty('authorization');
  });

  it('not_found: a 404, or no order number at all', async () => {
    expect(await runActivity(orderStatusV1Activity, { config, vars: { order_id: '7' } }, { http: fakeHttp(() => ({ status: 404 })) })).toEqual({ port: 'not_found' });
    const http = fakeHttp(() => shipped);
    expect(await runActivity(orderStatusV1Activity, { config, vars: {} }, { http })).toEqual({ port: 'not_found' });
    expect(http.requests).toEqual([]);
  });

  it('error: a busy or broken shop is retried (honouring Retry-After); a refusal is not', async () => {
    const run = (response: { status: number; headers?: Record<string, string>; body?: string }) =>
      runActivity(orderStatusV1Activity, { config, vars: { order_id: '42' } }, { http: fakeHttp(() => response) }).then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(await run({ status: 503 })).toMatchObject({ name: 'NodeError', code: 'order_api_unavailable', retryable: true, retryAfterMs: undefined });
    expect(await run({ status: 429, headers: { 'retry-after': '3' } })).toMatchObject({ code: 'order_api_unavailable', retryable: true, retryAfterMs: 3000 });
    expect(await run({ status: 401 })).toMatchObject({ code: 'order_api_refused', retryable: false });
    expect(await run({ status: 200, body: '<html>maintenance</html>' })).toMatchObject({ code: 'order_api_bad_response', retryable: false });
    expect(await run({ status: 200, body: '{"state":"shipped"}' })).toBeInstanceOf(NodeError);
  });

  it('sends the bot secret named in the config as a bearer token, and only when it exists', async () => {
    const http = fakeHttp(() => shipped);
    const withKey = { ...config, apiKey: 'shop_api_key' };
    await runActivity(orderStatusV1Activity, { config: withKey, vars: { order_id: '42' } }, { http, secrets: { shop_api_key: 'sk-test-123' } });
    expect(http.requests[0]!.headers).toMatchObject({ authorization: 'Bearer sk-test-123' });

    const warnings: string[] = [];
    const log = { info: () => undefined, warn: (message: string) => void warnings.push(message) };
    await runActivity(orderStatusV1Activity, { config: withKey, vars: { order_id: '42' } }, { http, secrets: {}, log });
    expect(http.requests[1]!.headers).not.toHaveProperty('authorization');
    expect(warnings).toEqual(['the API key secret is not set; calling without it']);
  });
});

describe('version 2', () => {
  it('found: also says the delivery estimate and sets order.eta', async () => {
    const result = await runActivity(orderStatusV2Activity, { config: { apiBaseUrl: shop }, vars: { order_id: '42' } }, { http: fakeHttp(() => shipped) });
    expect(result).toEqual({
      port: 'found',
      say: ['Your order 42 is shipped.', 'It should arrive on 2026-01-08.'],
      set: { 'order.status': 'shipped', 'order.eta': '2026-01-08' },
    });
  });

  it('found: no estimate when switched off or when the shop has none', async () => {
    const off = await runActivity(orderStatusV2Activity, { config: { apiBaseUrl: shop, includeEta: false }, vars: { order_id: '42' } }, { http: fakeHttp(() => shipped) });
    expect(off).toEqual({ port: 'found', say: ['Your order 42 is shipped.'], set: { 'order.status': 'shipped' } });
    const none = await runActivity(orderStatusV2Activity, { config: { apiBaseUrl: shop }, vars: { order_id: '42' } }, { http: fakeHttp(() => ({ body: '{"status":"packed"}' })) });
    expect(none).toEqual({ port: 'found', say: ['Your order 42 is packed.'], set: { 'order.status': 'packed' } });
  });

  it('not_found and error like version 1', async () => {
    expect(await runActivity(orderStatusV2Activity, { config: { apiBaseUrl: shop }, vars: { order_id: '9' } }, { http: fakeHttp(() => ({ status: 404 })) })).toEqual({ port: 'not_found' });
    await expect(runActivity(orderStatusV2Activity, { config: { apiBaseUrl: shop }, vars: { order_id: '9' } }, { http: fakeHttp(() => ({ status: 502 })) })).rejects.toMatchObject({
      code: 'order_api_unavailable',
      retryable: true,
    });
  });
});
