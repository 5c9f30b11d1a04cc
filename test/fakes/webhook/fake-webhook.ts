/**
 * A local fake of a help desk built on Baton's webhook desk contract (docs/webhook-desk.md), for
 * integration tests. Both halves:
 *
 * - as a RECEIVER it serves `POST /conversation/establish`, `/chat`, `/conversation/close` and
 *   `/ping` on 127.0.0.1 and checks each call the way a careful desk would: basic auth (when
 *   configured), `X-Baton-Timestamp` within 5 minutes, `X-Baton-Signature` over the exact bytes,
 *   no replayed signature, `X-Baton-Event-Id`, the JSON shapes (timestamps in milliseconds), and
 *   the conversation state machine (open → closed; chat on a closed conversation is 409). It
 *   records every request, and fails on demand (`failNext`) or answers slowly (`delayNext`).
 * - as an EMITTER it sends a human's messages and closes to a URL we give it, signed over the
 *   exact bytes it sends, with knobs for a bad or missing signature, a stale timestamp, and
 *   `replay` of an earlier emission byte for byte.
 *
 *   const desk = await startFakeWebhookDesk({ username: 'baton', password: 'pw' });
 *   // settings: { baseUrl: desk.baseUrl, secret: desk.secret, username: 'baton', password: 'pw' }
 *   desk.failNext('chat', 429, { headers: { 'retry-after': '7' } });
 *   await desk.emitMessage(`${server}/hooks/webhook/${botId}/message`, { conversationId, text: 'Hi, Ana here' });
 *
 * Error bodies follow the contract's GPTBots-style `{ code, message }`: 40000 bad request, 40127
 * authentication failed, 40400 not found, 40900 conflict, 42900 rate limited, 50000 server error.
 * The HMAC code here is written independently of the server's, so that the two check each other.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

export type DeskRoute = 'establish' | 'chat' | 'close' | 'ping';

const ROUTES: Record<string, DeskRoute> = {
  '/conversation/establish': 'establish',
  '/chat': 'chat',
  '/conversation/close': 'close',
  '/ping': 'ping',
};

const WINDOW_SECONDS = 300;

// ---------------------------------------------------------------------------------------------
// What the desk accepts (unknown fields are ignored, as the contract allows additions)

const nonEmpty = z.string().min(1, 'must not be empty');
const timestampMs = z.number().int('must be epoch milliseconds');
const EstablishSchema = z.looseObject({
  conversation_id: nonEmpty,
  timestamp: timestampMs,
  email: z.string(),
  bot_id: nonEmpty,
  body: z.array(z.looseObject({ message_type: z.enum(['QUESTION', 'ANSWER']), text: z.string() })).min(1, 'must hold the latest question'),
  user_info: z.looseObject({
    user_id: z.string(),
    anonymous_id: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    channel: nonEmpty,
  }),
});
const ChatSchema = z.looseObject({ conversation_id: nonEmpty, timestamp: timestampMs, message_id: nonEmpty, body: nonEmpty });
const CloseSchema = z.looseObject({ conversation_id: nonEmpty, timestamp: timestampMs, type: z.enum(['TIMEOUT', 'USER_CLOSED', 'BOT_RESUMED']) });
const PingSchema = z.looseObject({});

export type EstablishCall = z.infer<typeof EstablishSchema>;

// ---------------------------------------------------------------------------------------------
// Public API

export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  route: DeskRoute | undefined;
  /** Lowercase names. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
  /** What the fake answered; 0 while the request is in flight. */
  status: number;
  /** Why it was refused (`unauthorized`, `stale_timestamp`, `replayed`, `invalid_body`, `injected`…); undefined when accepted. */
  rejected?: string;
  /** The error message answered, when refused. */
  message?: string;
}

export interface DeskConversation {
  id: string;
  botId: string;
  email: string;
  userInfo: EstablishCall['user_info'];
  history: EstablishCall['body'];
  /** The text of the last QUESTION of the history. */
  latestQuestion: string | undefined;
  state: 'open' | 'closed';
  closeType?: 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED';
  /** How many times it was established (a new handoff of the same conversation reopens it). */
  handoffs: number;
  /** X-Baton-Event-Id of the current handoff's establish. */
  establishEventId: string;
  /** The user's messages relayed by /chat, once per message_id. */
  messages: { messageId: string; text: string; timestamp: number }[];
}

export interface FailOptions {
  /** Default 1. */
  times?: number;
  /** Extra response headers; a 429 gets `retry-after: 1` unless this sets one. */
  headers?: Record<string, string>;
  /** Default `{ code, message }` for the status. */
  body?: unknown;
}

export interface EmitOptions {
  /** `bad`: signed with another secret; `missing`: no X-Baton-Signature. Default `valid`. */
  signature?: 'valid' | 'bad' | 'missing';
  /** Leave out X-Baton-Timestamp. */
  omitTimestamp?: boolean;
  /** Seconds added to the clock for X-Baton-Timestamp (e.g. -301: stale); the signature stays right for it. */
  skewSeconds?: number;
  /** Extra headers, or overrides. */
  headers?: Record<string, string>;
}

export interface Emission {
  url: string;
  /** What was sent. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** What came back. */
  status: number;
  body: unknown;
  text: string;
}

export interface AgentMessage {
  conversationId: string;
  text: string;
  messageId?: string;
  agent?: { id?: string; name?: string };
  /** Body `timestamp` (ms); default the fake's clock. */
  timestamp?: number;
}

export type Transport = (url: string, init: { method: string; headers: Record<string, string>; body: Buffer }) => Response | Promise<Response>;

export interface FakeWebhookDeskOptions {
  /** The shared desk secret; random by default. */
  secret?: string;
  /** When either is set, calls must carry `Authorization: Basic base64(username:password)`. */
  username?: string;
  password?: string;
  /** Milliseconds since the epoch; the clock of the timestamp window and of emissions. */
  now?: () => number;
  /** False: the desk has no ping endpoint (404), as a desk built for GPTBots alone. Default true. */
  ping?: boolean;
  /** How emissions travel; default `fetch`. Route tests pass `(url, init) => app.request(url, init)`. */
  transport?: Transport;
}

export interface FakeWebhookDesk {
  /** e.g. http://127.0.0.1:PORT/desk (no trailing slash): the `baseUrl` of the desk settings. */
  baseUrl: string;
  secret: string;
  /** Every request, in arrival order, accepted or not. */
  requests: RecordedRequest[];
  /** The accepted requests (2xx) of one route, or of all. */
  accepted(route?: DeskRoute): RecordedRequest[];
  conversations: Map<string, DeskConversation>;
  /** The next `times` requests to `route` ('*': any) that pass the checks answer `status` instead; nothing changes. */
  failNext(route: DeskRoute | '*', status: number, options?: FailOptions): void;
  /** The next `times` requests to `route` wait `ms` before being handled. */
  delayNext(route: DeskRoute | '*', ms: number, times?: number): void;
  /** A human's message, as `POST …/message` of the contract. */
  emitMessage(url: string, message: AgentMessage, options?: EmitOptions): Promise<Emission>;
  /** The human closes, as `POST …/close` of the contract. */
  emitClose(url: string, close: { conversationId: string; timestamp?: number }, options?: EmitOptions): Promise<Emission>;
  /** Exact bytes, signed (or not) per `options`. */
  emitRaw(url: string, rawBody: string | Buffer, options?: EmitOptions): Promise<Emission>;
  /** Sends an earlier emission again, byte for byte, headers included (a replay attack, or a naive retry). */
  replay(emission: Emission): Promise<Emission>;
  emissions: Emission[];
  /** Forgets requests, conversations, seen signatures, failures, delays and emissions. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const hmacHex = (secret: string, timestamp: string, body: Buffer): string =>
  createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body])).digest('hex');

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const ERROR_CODES: Record<number, number> = { 400: 40000, 401: 40127, 403: 40300, 404: 40400, 405: 40500, 409: 40900, 415: 41500, 429: 42900 };
const errorCode = (status: number): number => ERROR_CODES[status] ?? (status >= 500 ? 50000 : status * 100);

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------

export async function startFakeWebhookDesk(options: FakeWebhookDeskOptions = {}): Promise<FakeWebhookDesk> {
  const secret = options.secret ?? `desk_${randomBytes(16).toString('hex')}`;
  const now = options.now ?? Date.now;
  const transport: Transport = options.transport ?? ((url, init) => fetch(url, init));
  const basic =
    options.username !== undefined || options.password !== undefined
      ? Buffer.from(`Basic ${Buffer.from(`${options.username ?? ''}:${options.password ?? ''}`, 'utf8').toString('base64')}`)
      : undefined;

  const requests: RecordedRequest[] = [];
  const conversations = new Map<string, DeskConversation>();
  const seen = new Map<string, number>();
  const failures: { route: DeskRoute | '*'; status: number; options: FailOptions; left: number }[] = [];
  const delays: { route: DeskRoute | '*'; ms: number; left: number }[] = [];
  const emissions: Emission[] = [];

  const take = <T extends { route: DeskRoute | '*'; left: number }>(list: T[], route: DeskRoute): T | undefined => {
    const index = list.findIndex((item) => item.route === '*' || item.route === route);
    if (index < 0) return undefined;
    const item = list[index]!;
    if (--item.left <= 0) list.splice(index, 1);
    return item;
  };

  function authenticate(req: IncomingMessage, raw: Buffer): void {
    if (basic) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (!sameBytes(given, basic)) throw new Refusal(401, 'unauthorized', 'auth failed: basic credentials', { 'www-authenticate': 'Basic realm="desk"' });
    }
    const timestamp = req.headers['x-baton-timestamp'];
    const signature = req.headers['x-baton-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string' || !timestamp || !signature) throw new Refusal(401, 'unsigned', 'auth failed: missing X-Baton-Timestamp or X-Baton-Signature');
    if (!/^\d+$/.test(timestamp)) throw new Refusal(401, 'malformed_timestamp', 'auth failed: X-Baton-Timestamp must be Unix seconds');
    const nowSeconds = Math.floor(now() / 1000);
    if (Math.abs(nowSeconds - Number(timestamp)) > WINDOW_SECONDS) throw new Refusal(401, 'stale_timestamp', 'auth failed: timestamp outside the 5 minute window');
    const hex = /^sha256=([0-9a-f]{64})$/.exec(signature)?.[1];
    if (!hex || !sameBytes(Buffer.from(hex, 'hex'), Buffer.from(hmacHex(secret, timestamp, raw), 'hex'))) {
      throw new Refusal(401, 'bad_signature', 'auth failed: signature mismatch');
    }
    for (const [key, expiresAt] of seen) if (expiresAt <= now()) seen.delete(key);
    if (seen.has(hex)) throw new Refusal(401, 'replayed', 'auth failed: signature already used');
    seen.set(hex, now() + 2 * WINDOW_SECONDS * 1000);
  }

  function parse<T>(schema: z.ZodType<T>, json: unknown): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Refusal(400, 'invalid_body', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const { timestamp } = parsed.data as { timestamp: number };
    // Seconds where milliseconds are due would land in 1970.
    if (Math.abs(timestamp - now()) > WINDOW_SECONDS * 1000) throw new Refusal(400, 'invalid_body', 'timestamp: must be epoch milliseconds close to now');
    return parsed.data;
  }

  function handle(route: DeskRoute, json: unknown, eventId: string): { message: string } {
    switch (route) {
      case 'ping':
        parse(PingSchema, json);
        return { message: 'pong' };
      case 'establish': {
        const call = parse(EstablishSchema, json);
        const existing = conversations.get(call.conversation_id);
        if (existing?.state === 'open') {
          if (existing.establishEventId === eventId) return { message: 'already established' };
          throw new Refusal(409, 'conflict', 'conversation already open');
        }
        const questions = call.body.filter((item) => item.message_type === 'QUESTION');
        conversations.set(call.conversation_id, {
          id: call.conversation_id,
          botId: call.bot_id,
          email: call.email,
          userInfo: call.user_info,
          history: call.body,
          latestQuestion: questions[questions.length - 1]?.text,
          state: 'open',
          handoffs: (existing?.handoffs ?? 0) + 1,
          establishEventId: eventId,
          messages: [],
        });
        return { message: 'ok' };
      }
      case 'chat': {
        const call = parse(ChatSchema, json);
        const conversation = conversations.get(call.conversation_id);
        if (!conversation) throw new Refusal(404, 'not_found', 'conversation not found');
        if (conversation.state === 'closed') throw new Refusal(409, 'conflict', 'conversation closed');
        if (conversation.messages.some((m) => m.messageId === call.message_id)) return { message: 'duplicate' };
        conversation.messages.push({ messageId: call.message_id, text: call.body, timestamp: call.timestamp });
        return { message: 'ok' };
      }
      case 'close': {
        const call = parse(CloseSchema, json);
        const conversation = conversations.get(call.conversation_id);
        if (!conversation) throw new Refusal(404, 'not_found', 'conversation not found');
        if (conversation.state === 'closed') return { message: 'already closed' };
        conversation.state = 'closed';
        conversation.closeType = call.type;
        return { message: 'ok' };
      }
    }
  }

  const send = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}) => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.startsWith('/desk/') ? url.pathname.slice('/desk'.length) : url.pathname;
    const route = ROUTES[path];
    const raw = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      json = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? '', path: url.pathname, route, headers, rawBody: raw, json, status: 0 };
    requests.push(record);
    try {
      if (!route || !url.pathname.startsWith('/desk/') || (route === 'ping' && options.ping === false)) throw new Refusal(404, 'no_route', `no route for ${url.pathname}`);
      if (req.method !== 'POST') throw new Refusal(405, 'method_not_allowed', 'use POST', { allow: 'POST' });
      const delay = take(delays, route);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
      authenticate(req, raw);
      if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) throw new Refusal(415, 'unsupported_media_type', 'Content-Type must be application/json');
      const eventId = headers['x-baton-event-id'];
      if (!eventId) throw new Refusal(400, 'missing_event_id', 'X-Baton-Event-Id is required');
      if (json === undefined || json === null || typeof json !== 'object' || Array.isArray(json)) throw new Refusal(400, 'invalid_json', 'body must be a JSON object');
      const failure = take(failures, route);
      if (failure) {
        const extra = { ...(failure.status === 429 ? { 'retry-after': '1' } : {}), ...failure.options.headers };
        record.rejected = 'injected';
        record.message = `injected ${failure.status}`;
        return send(res, record, failure.status, failure.options.body ?? { code: errorCode(failure.status), message: `injected ${failure.status}` }, extra);
      }
      const { message } = handle(route, json, eventId);
      return send(res, record, 200, { code: 0, message });
    } catch (error) {
      if (!(error instanceof Refusal)) {
        record.rejected = 'crash';
        return send(res, record, 500, { code: 50000, message: `fake-webhook: ${(error as Error).message}` });
      }
      record.rejected = error.reason;
      record.message = error.message;
      return send(res, record, error.status, { code: errorCode(error.status), message: error.message }, error.headers);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  async function emit(url: string, rawBody: Buffer, options: EmitOptions = {}): Promise<Emission> {
    const timestamp = String(Math.floor(now() / 1000) + (options.skewSeconds ?? 0));
    const signingSecret = options.signature === 'bad' ? `${secret}-but-wrong` : secret;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(options.omitTimestamp ? {} : { 'x-baton-timestamp': timestamp }),
      ...(options.signature === 'missing' ? {} : { 'x-baton-signature': `sha256=${hmacHex(signingSecret, timestamp, rawBody)}` }),
      ...options.headers,
    };
    return deliver(url, headers, rawBody);
  }

  async function deliver(url: string, headers: Record<string, string>, rawBody: Buffer): Promise<Emission> {
    const res = await transport(url, { method: 'POST', headers, body: rawBody });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const emission: Emission = { url, headers, rawBody, status: res.status, body, text };
    emissions.push(emission);
    return emission;
  }

  return {
    baseUrl: `http://127.0.0.1:${port}/desk`,
    secret,
    requests,
    accepted: (route) => requests.filter((r) => r.status >= 200 && r.status < 300 && (route === undefined || r.route === route)),
    conversations,
    failNext(route, status, failOptions = {}) {
      failures.push({ route, status, options: failOptions, left: failOptions.times ?? 1 });
    },
    delayNext(route, ms, times = 1) {
      delays.push({ route, ms, left: times });
    },
    emitMessage(url, message, emitOptions) {
      const body = {
        conversation_id: message.conversationId,
        timestamp: message.timestamp ?? now(),
        body: message.text,
        ...(message.messageId === undefined ? {} : { message_id: message.messageId }),
        ...(message.agent === undefined ? {} : { agent: message.agent }),
      };
      return emit(url, Buffer.from(JSON.stringify(body), 'utf8'), emitOptions);
    },
    emitClose(url, close, emitOptions) {
      const body = { conversation_id: close.conversationId, timestamp: close.timestamp ?? now() };
      return emit(url, Buffer.from(JSON.stringify(body), 'utf8'), emitOptions);
    },
    emitRaw(url, rawBody, emitOptions) {
      return emit(url, typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody, emitOptions);
    },
    replay(emission) {
      return deliver(emission.url, emission.headers, emission.rawBody);
    },
    emissions,
    reset() {
      requests.length = 0;
      conversations.clear();
      seen.clear();
      failures.length = 0;
      delays.length = 0;
      emissions.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // also ends delayed requests still waiting
      }),
  };
}
