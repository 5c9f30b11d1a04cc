// The HTTP every desk client shares, against a small local server over real HTTP.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DeskError } from './desk.js';
import { MAX_RETRY_AFTER_MS, createDeskHttp, failureOfStatus, parseRetryAfter } from './desk-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const server = createServer((req, res) => handler(req, res));
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const http = createDeskHttp('the test desk', { timeoutMs: 300, now: () => Date.parse('2026-01-01T00:00:00Z'), redact: (text) => text.replaceAll('s3cret', '***') });

async function failureOf(promise: Promise<unknown>): Promise<DeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeskError);
  return error as DeskError;
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test('reads seconds and HTTP dates and ignores the rest', () => {
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });

  test('a desk asking for hours is tried again after five minutes', () => {
    expect(parseRetryAfter('7200', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(300_000);
  });
});

describe('failureOfStatus', () => {
  test.each([
    [408, 'timeout', true],
    [429, 'rate_limited', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
    [400, 'bad_request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [409, 'conflict', false],
    [422, 'bad_request', false],
    [307, 'redirected', false],
    [418, 'rejected', false],
  ] as const)('%i → %s (retryable: %s)', (status, code, retryable) => {
    expect(failureOfStatus(status)).toEqual({ code, retryable });
  });
});

describe('a desk that answers', () => {
  test('send answers every status with its text and JSON; read gives the parsed success', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x1' }));
    };
    const answer = await http.send('read the thing', `${base}/thing`, { method: 'GET' });
    expect(answer).toMatchObject({ status: 200, text: '{"id":"x1"}', json: { id: 'x1' } });
    expect(http.read(answer, z.object({ id: z.string() }), 'read the thing')).toEqual({ id: 'x1' });
  });

  test('a success that is not what the API describes is final', async () => {
    handler = (_req, res) => res.end('<html>proxy login</html>');
    const answer = await http.send('read the thing', `${base}/thing`, { method: 'GET' });
    expect(answer.json).toBeUndefined();
    const error = await failureOf(Promise.resolve().then(() => http.read(answer, z.object({ id: z.string() }), 'read the thing')));
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false, status: 200 });
  });

  test("a failure: the status's code, Retry-After, the desk's own explanation without secrets", async () => {
    handler = (_req, res) => {
      res.writeHead(503, { 'retry-after': '7' });
      res.end('{"message":"down for s3cret maintenance"}');
    };
    const answer = await http.send('POST /chat', `${base}/chat`, { method: 'POST', body: '{}' });
    const error = http.failure(answer, 'POST /chat', { detail: 'down for s3cret maintenance' });
    expect(error).toMatchObject({ code: 'unavailable', retryable: true, retryAfterMs: 7000, status: 503 });
    expect(error.message).toBe('The test desk answered 503 to POST /chat: down for *** maintenance');
  });

  test("the desk's own code and retryability win over the status's; a final failure has no wait", async () => {
    handler = (_req, res) => {
      res.writeHead(400, { 'retry-after': '5' });
      res.end();
    };
    const answer = await http.send('send_event', `${base}/send`, { method: 'POST' });
    expect(http.failure(answer, 'send_event')).toMatchObject({ code: 'bad_request', retryable: false, retryAfterMs: undefined });
    expect(http.failure(answer, 'send_event', { code: 'too_many_requests', retryable: true })).toMatchObject({ code: 'too_many_requests', retryable: true, retryAfterMs: 5000 });
  });
});

describe('a desk that does not answer', () => {
  test('no answer within the timeout: retryable, naming what was asked', async () => {
    handler = () => undefined;
    const error = await failureOf(http.send('POST /establish', `${base}/slow`, { method: 'POST' }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toBe('The test desk did not answer POST /establish within 300 ms');
  });

  test('an answer that stops half-way is retryable too', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
    };
    const error = await failureOf(http.send('read the thing', `${base}/half`, { method: 'GET' }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toContain('did not finish its answer to read the thing');
  });

  test('a refused connection: a retryable network error naming where and why', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failureOf(http.send('POST /ping', `http://127.0.0.1:${port}/ping`, { method: 'POST' }));
    expect(error).toMatchObject({ code: 'network_error', retryable: true });
    expect(error.message).toBe(`Could not reach the test desk at http://127.0.0.1:${port} (POST /ping: ECONNREFUSED)`);
  });
});
