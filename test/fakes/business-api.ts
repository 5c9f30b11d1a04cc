/**
 * A local fake of a customer's business system, for flows that call one with `http_request` or
 * push an end-of-conversation record with `end.recordUrl`. It listens on 127.0.0.1 and answers:
 *
 *   GET  /orders/:id   200 with the order's JSON, or 404 `{ "error": "order not found" }`
 *   POST /records      201; the JSON body is kept in `records` (once per `idempotency-key`)
 *   anything else      404 `{ "error": "no route" }`
 *
 * `fail(method, path, status)` makes a route answer `status` (e.g. 500) instead, for `times`
 * requests or for good. Every request is logged in `requests`, in arrival order.
 *
 *   const api = await startBusinessApi({ orders: { 'A-100': { status: 'shipped' } } });
 *   api.fail('GET', '/orders/B-200', 500);
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface BusinessRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body parsed as JSON when it is JSON, else the raw text; `null` without a body. */
  body: JsonValue;
  /** Status the fake answered with. */
  status: number;
}

export interface BusinessApiOptions {
  /** Orders by id, served by `GET /orders/:id`. */
  orders?: Record<string, JsonValue>;
}

export interface BusinessApi {
  /** e.g. http://127.0.0.1:PORT (no trailing slash). */
  baseUrl: string;
  requests: BusinessRequest[];
  /** End-of-conversation records accepted by `POST /records`, deduplicated by idempotency key. */
  records: JsonValue[];
  setOrder(id: string, order: JsonValue): void;
  /** The next `times` requests (default: all) to `method path` answer `status`. */
  fail(method: string, path: string, status: number, times?: number): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

export async function startBusinessApi(options: BusinessApiOptions = {}): Promise<BusinessApi> {
  const orders = new Map<string, JsonValue>(Object.entries(options.orders ?? {}));
  const failures = new Map<string, { status: number; remaining: number }>();
  const requests: BusinessRequest[] = [];
  const records: JsonValue[] = [];
  const recordKeys = new Set<string>();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      let text: string;
      try {
        text = await readBody(req);
      } catch {
        res.writeHead(413).end();
        return;
      }
      const logged: BusinessRequest = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: parseBody(text),
        status: 0,
      };
      requests.push(logged);
      const answer = (status: number, body: JsonValue): void => {
        logged.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };

      const failure = failures.get(`${method} ${url.pathname}`);
      if (failure && failure.remaining > 0) {
        failure.remaining -= 1;
        return answer(failure.status, { error: `failing on purpose with ${failure.status}` });
      }
      const orderId = /^\/orders\/([^/]+)$/.exec(url.pathname)?.[1];
      if (method === 'GET' && orderId !== undefined) {
        const order = orders.get(decodeURIComponent(orderId));
        return order === undefined ? answer(404, { error: 'order not found' }) : answer(200, order);
      }
      if (method === 'POST' && url.pathname === '/records') {
        if (typeof logged.body !== 'object' || logged.body === null || Array.isArray(logged.body)) {
          return answer(400, { error: 'expected a JSON object' });
        }
        // Like a careful real receiver: a retried delivery with the same key is accepted once.
        const key = headers['idempotency-key'];
        if (key === undefined || !recordKeys.has(key)) {
          if (key !== undefined) recordKeys.add(key);
          records.push(logged.body);
        }
        return answer(201, { ok: true });
      }
      answer(404, { error: 'no route' });
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    records,
    setOrder: (id, order) => void orders.set(id, order),
    fail: (method, path, status, times = Number.POSITIVE_INFINITY) => {
      failures.set(`${method.toUpperCase()} ${path}`, { status, remaining: times });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
