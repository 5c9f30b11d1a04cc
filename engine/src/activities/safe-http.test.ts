import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeError } from '@baton/nodes';
import { createSafeHttpClient, isPrivateAddress } from './safe-http.js';

let server: http.Server;
let port: number;
const received: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-reply': 'yes' });
        res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(10_000));
      } else if (req.url === '/hang') {
        // Never answers: the client's timeout must end the request.
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

async function nodeError(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

describe('isPrivateAddress', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '100.64.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    'not an address',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('createSafeHttpClient', () => {
  it('refuses a loopback IP by default, without connecting', async () => {
    const before = received.length;
    const error = await nodeError(createSafeHttpClient().request({ method: 'GET', url: `http://127.0.0.1:${port}/echo` }));
    expect(error).toMatchObject({ code: 'address_not_allowed', retryable: false });
    expect(error.message).toContain('127.0.0.1');
    expect(received.length).toBe(before);
  });

  it('refuses an IPv4-mapped loopback address', async () => {
    const error = await nodeError(createSafeHttpClient().request({ method: 'GET', url: `http://[::ffff:127.0.0.1]:${port}/echo` }));
    expect(error).toMatchObject({ code: 'address_not_allowed', retryable: false });
  });

  it('refuses a name that resolves to a loopback address (checked at DNS lookup)', async () => {
    const before = received.length;
    const error = await nodeError(createSafeHttpClient().request({ method: 'GET', url: `http://localhost:${port}/echo` }));
    expect(error).toMatchObject({ code: 'address_not_allowed', retryable: false });
    expect(error.message).toContain('localhost');
    expect(received.length).toBe(before);
  });

  it('refuses what is not an http(s) URL', async () => {
    const client = createSafeHttpClient({ allowPrivateNetworks: true });
    expect(await nodeError(client.request({ method: 'GET', url: 'nope' }))).toMatchObject({ code: 'invalid_url', retryable: false });
    expect(await nodeError(client.request({ method: 'GET', url: `ftp://127.0.0.1:${port}/` }))).toMatchObject({ code: 'invalid_url', retryable: false });
  });

  it('allows a private address named in allowedHosts, and no other private address', async () => {
    const client = createSafeHttpClient({ allowedHosts: ['127.0.0.1'] });
    const response = await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/echo` });
    expect(response.status).toBe(201);
    const error = await nodeError(client.request({ method: 'GET', url: `http://127.0.0.2:${port}/echo` }));
    expect(error.code).toBe('address_not_allowed');
    const other = await nodeError(client.request({ method: 'GET', url: `http://10.0.0.1:${port}/echo` }));
    expect(other.code).toBe('address_not_allowed');
  });

  it('allows a private host name named in allowedHosts', async () => {
    const client = createSafeHttpClient({ allowedHosts: ['LOCALHOST'] });
    const response = await client.request({ method: 'GET', url: `http://localhost:${port}/echo` });
    expect(response.status).toBe(201);
  });

  it('allows every private address with allowPrivateNetworks', async () => {
    const client = createSafeHttpClient({ allowPrivateNetworks: true });
    expect((await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/echo` })).status).toBe(201);
    expect((await client.request({ method: 'GET', url: `http://localhost:${port}/echo` })).status).toBe(201);
  });

  it('passes method, headers and body through and returns status, headers and body', async () => {
    const client = createSafeHttpClient({ allowPrivateNetworks: true });
    const response = await client.request({
      method: 'PATCH',
      url: `http://127.0.0.1:${port}/echo`,
      headers: { 'content-type': 'application/json', 'x-token': 'abc' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-reply': 'yes' });
    const echoed = JSON.parse(response.body) as { method: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe('PATCH');
    expect(echoed.headers).toMatchObject({ 'content-type': 'application/json', 'x-token': 'abc' });
    expect(echoed.body).toBe('{"a":1}');
  });

  it('returns a 404 as an answer, not an error', async () => {
    const response = await createSafeHttpClient({ allowPrivateNetworks: true }).request({ method: 'GET', url: `http://127.0.0.1:${port}/missing` });
    expect(response).toMatchObject({ status: 404, body: 'not here' });
  });

  it('fails with response_too_large above the client limit or the request limit, whichever is smaller', async () => {
    const small = createSafeHttpClient({ allowPrivateNetworks: true, maxResponseBytes: 1000 });
    const error = await nodeError(small.request({ method: 'GET', url: `http://127.0.0.1:${port}/big` }));
    expect(error).toMatchObject({ code: 'response_too_large', retryable: false });

    const roomy = createSafeHttpClient({ allowPrivateNetworks: true });
    expect((await roomy.request({ method: 'GET', url: `http://127.0.0.1:${port}/big` })).body).toHaveLength(10_000);
    const limited = await nodeError(roomy.request({ method: 'GET', url: `http://127.0.0.1:${port}/big`, maxResponseBytes: 5000 }));
    expect(limited.code).toBe('response_too_large');
    // A request may not raise the deployment's limit.
    const raised = await nodeError(small.request({ method: 'GET', url: `http://127.0.0.1:${port}/big`, maxResponseBytes: 1_000_000 }));
    expect(raised.code).toBe('response_too_large');
  });

  it('fails with a retryable timeout when the server never answers', async () => {
    const client = createSafeHttpClient({ allowPrivateNetworks: true });
    const started = Date.now();
    const error = await nodeError(client.request({ method: 'GET', url: `http://127.0.0.1:${port}/hang`, timeoutMs: 200 }));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(3000);
  });

  it('bounds a request timeout by the deployment maximum', async () => {
    const client = createSafeHttpClient({ allowPrivateNetworks: true, maxTimeoutMs: 200 });
    const started = Date.now();
    const error = await nodeError(client.request({ method: 'GET', url: `http://127.0.0.1:${port}/hang`, timeoutMs: 60_000 }));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails with a retryable network error when nothing listens', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const freePort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const error = await nodeError(createSafeHttpClient({ allowPrivateNetworks: true }).request({ method: 'GET', url: `http://127.0.0.1:${freePort}/` }));
    expect(error).toMatchObject({ code: 'network_error', retryable: true });
  });
});
