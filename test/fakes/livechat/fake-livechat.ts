/**
 * A local fake of LiveChat (livechat.com, Text platform) for integration tests: the accounts
 * service's customer-token grant and token introspection, the Customer Chat Web API (v3.5/v3.6),
 * and the webhooks LiveChat sends. One base URL serves everything, so a client whose
 * `apiBaseUrl` points here talks to both `accounts.livechat.com` and `api.livechatinc.com`.
 *
 *   const fake = await startFakeLivechat();
 *   // settings: { organizationId: fake.organizationId, accessToken: fake.agentToken, secretKey, apiBaseUrl: fake.baseUrl }
 *   fake.registerWebhook({ action: 'incoming_event', url, secretKey, filters: { author_type: 'agent' } });
 *   await fake.agentSends(chatId, 'Hello, Anna here');          // incoming_event to `url`
 *   await fake.deactivateAsAgent(chatId);                        // chat_deactivated to `url`
 *
 * What it checks, as LiveChat does (protocols.md §2): Bearer agent token (never Basic/PAT) and
 * `client_id` on `POST /v2/customer/token`; Bearer customer token and `?organization_id=` on every
 * Customer Chat API call; the data-centre prefix of tokens (`dal:`/`fra:`) against `X-Region`
 * (`misdirected_request` with `data.region`); token expiry (`authentication`); the chat state
 * machine (`chat_inactive` on `send_event` to an inactive chat unless `attach_to_last_thread`,
 * `deactivate_chat` twice, `groups_offline` for a non-continuous chat while groups are offline);
 * `update_customer` changes that wait for the active chat to end. Errors use LiveChat's envelope
 * `{ error: { type, message, data? } }`; LiveChat does not document an HTTP status per type, so
 * the map is configurable (`statusByType`). The accounts service answers errors the OAuth way,
 * `{ error, error_description }` (unverified; the client must cope with both).
 *
 * As an emitter it posts webhook envelopes `{ webhook_id, secret_key, action, organization_id,
 * payload, additional_data? }` to registered URLs (or through a `transport`, e.g. Hono's
 * `app.request`), honours `filters.author_type`, retries on anything but 200 (3 more times by
 * default), and can forge: a wrong or missing `secret_key`, another `organization_id`, rewritten
 * bytes, re-deliveries of the same bytes. LiveChat webhooks carry no signature header and no
 * timestamp, so there is nothing "stale" to simulate.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Public types

export type Region = 'dal' | 'fra';

export type LivechatErrorType =
  | 'authentication'
  | 'authorization'
  | 'validation'
  | 'not_found'
  | 'chat_inactive'
  | 'chat_anonymized'
  | 'customer_banned'
  | 'group_not_found'
  | 'groups_offline'
  | 'misdirected_request'
  | 'limit_reached'
  | 'too_many_requests'
  | 'request_timeout'
  | 'internal'
  | 'service_unavailable'
  | 'unsupported_version';

/** The statuses the fake answers per error type; LiveChat only documents the types (§2.1). */
export const DEFAULT_STATUS_BY_TYPE: Record<LivechatErrorType, number> = {
  authentication: 401,
  authorization: 403,
  validation: 400,
  not_found: 404,
  chat_inactive: 409,
  chat_anonymized: 409,
  customer_banned: 403,
  group_not_found: 404,
  groups_offline: 400,
  misdirected_request: 421,
  limit_reached: 400,
  too_many_requests: 429,
  request_timeout: 504,
  internal: 500,
  service_unavailable: 503,
  unsupported_version: 400,
};

export const CUSTOMER_ACTIONS = [
  'start_chat',
  'send_event',
  'deactivate_chat',
  'get_chat',
  'list_chats',
  'update_customer',
  'get_customer',
  'list_group_statuses',
] as const;
export type CustomerAction = (typeof CUSTOMER_ACTIONS)[number];

/** A Customer Chat API action, or one of the two accounts endpoints. */
export type FakeRoute = CustomerAction | '/v2/customer/token' | '/v2/info';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The action name or accounts path this request was routed to, `unknown` otherwise. */
  route: FakeRoute | 'unknown';
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  rawBody: string;
  /** Status the fake answered with; 0 when it dropped the connection or is still waiting. */
  status: number;
}

export interface FakeEvent {
  id: string;
  type: 'message' | 'system_message';
  text: string;
  /** Absent on system messages. */
  author_id?: string;
  created_at: string;
  visibility: 'all' | 'agents';
  custom_id?: string;
  system_message_type?: string;
  properties?: Record<string, unknown>;
}

export interface FakeThread {
  id: string;
  active: boolean;
  created_at: string;
  user_ids: string[];
  events: FakeEvent[];
}

export interface FakeChat {
  id: string;
  customerId: string;
  continuous: boolean;
  threads: FakeThread[];
  properties: Record<string, unknown>;
  access: { group_ids: number[] };
}

export interface FakeCustomer {
  id: string;
  name?: string;
  email?: string;
  avatar?: string;
  session_fields?: Record<string, string>[];
  /** `update_customer` sent while a chat was active: LiveChat applies it when the chat ends. */
  pendingUpdate?: Pick<FakeCustomer, 'name' | 'email' | 'avatar' | 'session_fields'>;
}

export interface IssuedToken {
  token: string;
  entityId: string;
  expiresAt: number;
}

export type WebhookAction = 'incoming_event' | 'chat_deactivated' | 'incoming_chat';

/** Sends one webhook; returns the receiver's status. Defaults to `fetch`. */
export type WebhookTransport = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

export interface WebhookRegistration {
  id: string;
  action: WebhookAction;
  url: string;
  secretKey: string;
  filters?: { author_type?: 'agent' | 'customer' };
  additionalData?: ('chat_properties' | 'chat_presence_user_ids')[];
  transport?: WebhookTransport;
}

export interface WebhookDelivery {
  webhookId: string;
  action: string;
  url: string;
  /** The exact bytes sent. */
  body: string;
  /** 1 for the first try; retries and re-deliveries count on. */
  attempt: number;
  /** The receiver's status; undefined when the request failed (`error`). */
  status?: number;
  error?: string;
}

/** Knobs to forge or repeat a webhook. */
export interface EmitKnobs {
  /** Send this `secret_key` instead of the registered one. */
  secretKey?: string;
  /** Leave `secret_key` out of the envelope. */
  omitSecretKey?: boolean;
  /** Send this `organization_id` instead of the fake's. */
  organizationId?: string;
  /** After a successful delivery, send the same bytes this many more times (LiveChat delivers at least once). */
  redeliveries?: number;
  /** Rewrites the serialized envelope; the fake sends exactly what this returns. */
  rewriteBody?: (json: string) => string;
}

export interface FailOptions {
  /** How many requests to fail (default 1). */
  times?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '3' }` (LiveChat documents none). */
  headers?: Record<string, string>;
  /** Error type in the envelope; derived from the status when left out. */
  type?: string;
  message?: string;
}

export interface FakeLivechatOptions {
  organizationId?: string;
  /** Data centre of the tokens this fake issues and serves (default `dal`). */
  region?: Region;
  clientId?: string;
  /** Scopes of the agent token; the agent_token grant needs `customers:own`. */
  agentScopes?: string[];
  /** Lifetime of customer tokens (default 28800, as LiveChat). */
  customerTokenTtlSeconds?: number;
  /** Whether groups accept chats (default true). */
  groupsOnline?: boolean;
  statusByType?: Partial<Record<LivechatErrorType, number>>;
  /** Retries after a failed webhook delivery (default 3). */
  webhookRetries?: number;
  /** Pause between webhook retries (default 20 ms; LiveChat spreads them over about a minute). */
  webhookRetryDelayMs?: number;
  /** A delivery not answered within this is a failure (default 10 s, as LiveChat). */
  webhookTimeoutMs?: number;
}

export interface FakeLivechat {
  /** e.g. http://127.0.0.1:PORT (no trailing slash): the accounts service and the Web API. */
  baseUrl: string;
  organizationId: string;
  clientId: string;
  region: Region;
  /** The agent access token (OAuth, `<region>:...`) to put in the bot's `livechat.accessToken`. */
  agentToken: string;
  /** The agent account the agent token belongs to. */
  accountId: string;
  /** Default author of `agentSends`. */
  agentId: string;
  statusByType: Record<LivechatErrorType, number>;
  requests: RecordedRequest[];
  requestsTo(route: FakeRoute): RecordedRequest[];
  chats: Map<string, FakeChat>;
  /** The chat or an error naming the id. */
  chat(id: string): FakeChat;
  customers: Map<string, FakeCustomer>;
  tokens: IssuedToken[];
  /** The next `times` requests to `route` answer `status` with LiveChat's error envelope. */
  failNext(route: FakeRoute, status: number, options?: FailOptions): void;
  /** The next `times` requests to `route` get their connection destroyed without an answer. */
  dropNext(route: FakeRoute, times?: number): void;
  /** The next `times` requests to `route` wait `ms` before being handled. */
  delayNext(route: FakeRoute, ms: number, times?: number): void;
  setGroupsOnline(online: boolean): void;
  /** Moves the fake's clock (token expiry) forward. */
  advanceTime(ms: number): void;
  /** Every customer token issued so far is expired from now on. */
  expireCustomerTokens(): void;
  /** Makes the agent token invalid (revoked or expired). */
  revokeAgentToken(): void;
  registerWebhook(registration: Omit<WebhookRegistration, 'id'>): string;
  unregisterWebhooks(): void;
  deliveries: WebhookDelivery[];
  /** Resolves once every webhook delivery in flight (with retries) is done. */
  idle(): Promise<void>;
  /** An agent writes in the chat's active thread; `incoming_event` goes out. Resolves after delivery. */
  agentSends(chatId: string, text: string, options?: { agentId?: string; visibility?: 'all' | 'agents'; webhook?: EmitKnobs }): Promise<FakeEvent>;
  /** An agent (or the router, with `agentId: null`) closes the chat; `incoming_event` (system message) and `chat_deactivated` go out. */
  deactivateAsAgent(chatId: string, options?: { agentId?: string | null; webhook?: EmitKnobs }): Promise<void>;
  /** Posts `action` with `payload` to every webhook registered for it. */
  emit(action: WebhookAction, payload: Record<string, unknown>, knobs?: EmitKnobs): Promise<WebhookDelivery[]>;
  /** The exact envelope bytes the fake would send, for tests that post it themselves. */
  webhookBody(action: string, payload: Record<string, unknown>, options: { secretKey?: string; webhookId?: string } & Omit<EmitKnobs, 'secretKey' | 'redeliveries'>): string;
  /** Forgets chats, customers, tokens, failures, webhooks, recordings; keeps the agent token and options. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const livechatId = (length = 10): string => Array.from(randomBytes(length), (b) => ALNUM[b % ALNUM.length]).join('');
const tokenPart = (): string => randomBytes(18).toString('base64url');

/** LiveChat timestamps carry microseconds: 2019-12-09T12:01:18.909000Z */
const timestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');

const describeIssues = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request';
  const where = formatPath(issue.path) || 'payload';
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) return `${where} is required`;
  return `${where}: ${issue.message}`;
};

class ApiError extends Error {
  constructor(
    readonly type: LivechatErrorType | string,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Request schemas (unknown keys pass, as LiveChat ignores them)

const Visibility = z.enum(['all', 'agents']);
const CustomerEvent = z.looseObject({
  type: z.literal('message', { error: 'only message events are supported for customers by this fake' }),
  text: z.string().min(1, 'must not be empty'),
  visibility: Visibility.optional(),
  recipients: Visibility.optional(),
  custom_id: z.string().max(100).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

const schemas = {
  start_chat: z.looseObject({
    chat: z
      .looseObject({
        properties: z.record(z.string(), z.unknown()).optional(),
        access: z.looseObject({ group_ids: z.array(z.int().min(0)).optional() }).optional(),
        thread: z
          .looseObject({
            events: z.array(CustomerEvent).optional(),
            properties: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      })
      .optional(),
    active: z.boolean().optional(),
    continuous: z.boolean().optional(),
  }),
  send_event: z.looseObject({
    chat_id: z.string().min(1),
    event: CustomerEvent,
    attach_to_last_thread: z.boolean().optional(),
  }),
  deactivate_chat: z.looseObject({ id: z.string().min(1) }),
  get_chat: z.looseObject({ chat_id: z.string().min(1), thread_id: z.string().optional() }),
  list_chats: z.looseObject({
    limit: z.int().min(1).max(25).optional(),
    sort_order: z.enum(['asc', 'desc']).optional(),
    page_id: z.string().optional(),
  }),
  update_customer: z
    .looseObject({
      name: z.string().max(255).optional(),
      email: z.email({ error: 'must be a valid email' }).max(128).optional(),
      avatar: z.string().optional(),
      session_fields: z.array(z.record(z.string(), z.string())).max(100).optional(),
    })
    .refine((v) => v.name !== undefined || v.email !== undefined || v.avatar !== undefined || v.session_fields !== undefined, {
      message: 'At least one optional parameter needs to be included in the request',
    }),
  get_customer: z.looseObject({}),
  list_group_statuses: z
    .looseObject({ all: z.boolean().optional(), group_ids: z.array(z.int()).optional() })
    .refine((v) => v.all !== undefined || v.group_ids !== undefined, { message: 'One of all or group_ids is required' }),
} satisfies Record<CustomerAction, z.ZodType>;

const TokenRequest = z.looseObject({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  response_type: z.string().optional(),
  organization_id: z.string().optional(),
  entity_id: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------
// Server

export async function startFakeLivechat(options: FakeLivechatOptions = {}): Promise<FakeLivechat> {
  const organizationId = options.organizationId ?? randomUUID();
  const region: Region = options.region ?? 'dal';
  const clientId = options.clientId ?? randomBytes(16).toString('hex');
  const accountId = randomUUID();
  const agentScopes = options.agentScopes ?? ['chats--all:rw', 'customers:own', 'customers:rw', 'agents--my:ro'];
  const ttlSeconds = options.customerTokenTtlSeconds ?? 28800;
  const retries = options.webhookRetries ?? 3;
  const retryDelayMs = options.webhookRetryDelayMs ?? 20;
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
  const statusByType: Record<LivechatErrorType, number> = { ...DEFAULT_STATUS_BY_TYPE, ...options.statusByType };

  const agentToken = `${region}:${tokenPart()}`;
  let agentTokenValid = true;
  let groupsOnline = options.groupsOnline ?? true;
  let clockOffset = 0;
  const now = (): number => Date.now() + clockOffset;

  const requests: RecordedRequest[] = [];
  const chats = new Map<string, FakeChat>();
  const customers = new Map<string, FakeCustomer>();
  const tokens: IssuedToken[] = [];
  const failures = new Map<FakeRoute, ({ status: number } & FailOptions)[]>();
  const drops = new Map<FakeRoute, number>();
  const delays = new Map<FakeRoute, number[]>();
  const webhooks: WebhookRegistration[] = [];
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<unknown>>();

  const take = <T>(map: Map<FakeRoute, T[]>, route: FakeRoute): T | undefined => {
    const list = map.get(route);
    const next = list?.shift();
    if (list && list.length === 0) map.delete(route);
    return next;
  };

  const typeForStatus = (status: number): string => {
    const mapped = (Object.entries(statusByType) as [LivechatErrorType, number][]).find(([, s]) => s === status);
    if (mapped) return mapped[0];
    return status >= 500 ? 'internal' : 'validation';
  };

  // --- state helpers ------------------------------------------------------------------------

  const lastThread = (chat: FakeChat): FakeThread => chat.threads[chat.threads.length - 1]!;
  const isActive = (chat: FakeChat): boolean => lastThread(chat).active;

  const chatFor = (customer: FakeCustomer, id: string): FakeChat => {
    const chat = chats.get(id);
    if (!chat || chat.customerId !== customer.id) throw new ApiError('not_found', 'Chat not found');
    return chat;
  };

  const addEvent = (thread: FakeThread, event: Omit<FakeEvent, 'id' | 'created_at'>): FakeEvent => {
    const full: FakeEvent = { id: `${thread.id}_${thread.events.length + 1}`, created_at: timestamp(now()), ...event };
    thread.events.push(full);
    if (full.author_id && !thread.user_ids.includes(full.author_id)) thread.user_ids.push(full.author_id);
    return full;
  };

  const users = (chat: FakeChat) =>
    [...new Set(chat.threads.flatMap((t) => t.user_ids))].map((id) =>
      id === chat.customerId ? { id, type: 'customer', present: true } : { id, type: 'agent', name: id, present: isActive(chat) },
    );

  const threadView = (thread: FakeThread, chat: FakeChat) => {
    const index = chat.threads.indexOf(thread);
    return {
      id: thread.id,
      created_at: thread.created_at,
      active: thread.active,
      user_ids: thread.user_ids,
      events: thread.events,
      properties: {},
      access: chat.access,
      ...(index > 0 ? { previous_thread_id: chat.threads[index - 1]!.id } : {}),
      ...(index < chat.threads.length - 1 ? { next_thread_id: chat.threads[index + 1]!.id } : {}),
    };
  };

  const applyPendingUpdate = (customer: FakeCustomer): void => {
    if (!customer.pendingUpdate) return;
    Object.assign(customer, customer.pendingUpdate);
    delete customer.pendingUpdate;
  };

  const closeThread = (chat: FakeChat, by: string | null, customer: FakeCustomer | undefined): { thread: FakeThread; system: FakeEvent } => {
    const thread = lastThread(chat);
    const system = addEvent(thread, {
      type: 'system_message',
      text: by === null ? 'Chat archived by the system' : by === chat.customerId ? 'Customer closed the chat' : `${by} closed the chat`,
      visibility: 'all',
      system_message_type: by === null ? 'system_archived' : by === chat.customerId ? 'manual_archived_customer' : 'manual_archived_agent',
    });
    thread.active = false;
    if (customer) applyPendingUpdate(customer);
    return { thread, system };
  };

  // --- webhooks -----------------------------------------------------------------------------

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const defaultTransport: WebhookTransport = async (url, init) => {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(webhookTimeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return { status: res.status };
  };

  const envelope = (action: string, payload: Record<string, unknown>, opts: { secretKey?: string; webhookId?: string; additionalData?: Record<string, unknown> } & Omit<EmitKnobs, 'secretKey' | 'redeliveries'>): string => {
    const body: Record<string, unknown> = { webhook_id: opts.webhookId ?? randomBytes(16).toString('hex') };
    if (!opts.omitSecretKey) body['secret_key'] = opts.secretKey ?? '';
    body['action'] = action;
    body['organization_id'] = opts.organizationId ?? organizationId;
    body['payload'] = payload;
    if (opts.additionalData) body['additional_data'] = opts.additionalData;
    const json = JSON.stringify(body);
    return opts.rewriteBody ? opts.rewriteBody(json) : json;
  };

  const deliver = async (hook: WebhookRegistration, body: string, redeliveries: number): Promise<WebhookDelivery[]> => {
    const mine: WebhookDelivery[] = [];
    const transport = hook.transport ?? defaultTransport;
    let attempt = 0;
    const once = async (): Promise<boolean> => {
      attempt += 1;
      const record: WebhookDelivery = { webhookId: hook.id, action: hook.action, url: hook.url, body, attempt };
      deliveries.push(record);
      mine.push(record);
      try {
        const { status } = await transport(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'fake-livechat-webhooks' }, body });
        record.status = status;
        return status === 200;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
        return false;
      }
    };
    let ok = await once();
    for (let retry = 0; !ok && retry < retries; retry++) {
      await sleep(retryDelayMs);
      ok = await once();
    }
    if (ok) for (let i = 0; i < redeliveries; i++) await once();
    return mine;
  };

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  };

  const authorType = (chat: FakeChat, event: FakeEvent): 'agent' | 'customer' | undefined =>
    event.author_id === undefined ? undefined : event.author_id === chat.customerId ? 'customer' : 'agent';

  const emitTo = (action: WebhookAction, payload: Record<string, unknown>, knobs: EmitKnobs, accept: (hook: WebhookRegistration) => boolean): Promise<WebhookDelivery[]> => {
    const targets = webhooks.filter((h) => h.action === action && accept(h));
    const chatId = typeof payload['chat_id'] === 'string' ? payload['chat_id'] : undefined;
    const chat = chatId ? chats.get(chatId) : undefined;
    const work = Promise.all(
      targets.map((hook) => {
        const additionalData = hook.additionalData
          ? Object.fromEntries(
              hook.additionalData.map((key) => [key, key === 'chat_properties' ? (chat?.properties ?? {}) : chat ? users(chat).filter((u) => u.present).map((u) => u.id) : []]),
            )
          : undefined;
        const body = envelope(action, payload, { ...knobs, secretKey: knobs.secretKey ?? hook.secretKey, webhookId: hook.id, ...(additionalData ? { additionalData } : {}) });
        return deliver(hook, body, knobs.redeliveries ?? 0);
      }),
    ).then((lists) => lists.flat());
    return track(work);
  };

  const emitEvent = (chat: FakeChat, thread: FakeThread, event: FakeEvent, knobs: EmitKnobs = {}): Promise<WebhookDelivery[]> => {
    const author = authorType(chat, event);
    return emitTo('incoming_event', { chat_id: chat.id, thread_id: thread.id, event }, knobs, (hook) => {
      const wanted = hook.filters?.author_type;
      // System messages have no author: an author_type filter lets none through (unverified).
      return wanted === undefined || wanted === author;
    });
  };

  const emitDeactivated = (chat: FakeChat, thread: FakeThread, by: string | null, knobs: EmitKnobs = {}): Promise<WebhookDelivery[]> =>
    emitTo('chat_deactivated', { chat_id: chat.id, thread_id: thread.id, ...(by === null ? {} : { user_id: by }) }, knobs, () => true);

  // --- customer token grant and introspection -----------------------------------------------

  const bearer = (req: IncomingMessage): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

  const handleToken = (req: IncomingMessage, raw: string): unknown => {
    if (req.method !== 'POST') throw new OAuthError(400, 'invalid_request', 'wrong HTTP method');
    const auth = req.headers.authorization ?? '';
    if (/^Basic\s/i.test(auth)) throw new OAuthError(401, 'unauthorized', 'Personal access tokens (Basic) cannot be used for the agent_token grant');
    const token = bearer(req);
    if (!token) throw new OAuthError(401, 'unauthorized', 'the agent_token grant needs an agent access token in the Authorization header');
    if (token !== agentToken || !agentTokenValid) throw new OAuthError(401, 'unauthorized', 'invalid or expired agent access token');
    const contentType = req.headers['content-type'] ?? '';
    let fields: unknown;
    try {
      fields = /^application\/x-www-form-urlencoded\b/i.test(contentType) ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
    } catch {
      throw new OAuthError(400, 'invalid_request', 'invalid HTTP body encoding');
    }
    const parsed = TokenRequest.safeParse(fields);
    if (!parsed.success) throw new OAuthError(400, 'invalid_request', describeIssues(parsed.error));
    const body = parsed.data;
    if (body.grant_type === undefined) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    if (body.grant_type !== 'agent_token') throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${body.grant_type} is not supported by this fake`);
    if (!body.client_id) throw new OAuthError(400, 'unauthorized_client', 'missing client ID');
    if (body.client_id !== clientId) throw new OAuthError(400, 'unauthorized_client', 'client_id_not_found');
    if (body.response_type !== 'token') throw new OAuthError(400, 'unsupported_response_type', 'response_type must be token');
    if (body.organization_id !== undefined && body.organization_id !== organizationId)
      throw new OAuthError(400, 'invalid_request', 'organization_id does not match the agent token');
    if (!agentScopes.includes('customers:own')) throw new OAuthError(403, 'invalid_scope', 'the agent token lacks the customers:own scope');
    let customer: FakeCustomer;
    if (body.entity_id !== undefined) {
      const existing = customers.get(body.entity_id);
      if (!existing) throw new OAuthError(400, 'invalid_request', 'entity_id not found');
      customer = existing;
    } else {
      customer = { id: randomUUID() };
      customers.set(customer.id, customer);
    }
    const issued: IssuedToken = { token: `${region}:${tokenPart()}`, entityId: customer.id, expiresAt: now() + ttlSeconds * 1000 };
    tokens.push(issued);
    return { access_token: issued.token, client_id: clientId, entity_id: customer.id, expires_in: ttlSeconds, token_type: 'Bearer', organization_id: organizationId };
  };

  const handleInfo = (req: IncomingMessage): unknown => {
    if (req.method !== 'GET') throw new OAuthError(400, 'invalid_request', 'wrong HTTP method');
    const token = bearer(req);
    if (!token || token !== agentToken || !agentTokenValid) throw new OAuthError(401, 'unauthorized', 'invalid or expired access token');
    return { access_token: agentToken, account_id: accountId, client_id: clientId, expires_in: 28800, organization_id: organizationId, scope: agentScopes.join(','), token_type: 'Bearer' };
  };

  // --- Customer Chat API --------------------------------------------------------------------

  const authenticateCustomer = (req: IncomingMessage, query: URLSearchParams): FakeCustomer => {
    const orgParam = query.get('organization_id');
    if (!orgParam) throw new ApiError('validation', 'organization_id query parameter is required');
    const auth = req.headers.authorization ?? '';
    const token = bearer(req);
    if (!token) throw new ApiError('authentication', /^Basic\s/i.test(auth) ? 'Basic authorization is not supported by the Customer Chat API' : 'Invalid access token');
    const prefix = /^(dal|fra):/.exec(token)?.[1];
    if (!prefix) throw new ApiError('authentication', 'Invalid access token');
    const target = (req.headers['x-region'] as string | undefined)?.trim() || 'dal';
    if (prefix !== target || prefix !== region) throw new ApiError('misdirected_request', 'Wrong region', { region: prefix });
    const issued = tokens.find((t) => t.token === token);
    if (!issued) throw new ApiError('authentication', 'Invalid access token');
    if (issued.expiresAt <= now()) throw new ApiError('authentication', 'Access token expired');
    if (orgParam !== organizationId) throw new ApiError('authorization', 'The access token is not valid for this organization');
    const customer = customers.get(issued.entityId);
    if (!customer) throw new ApiError('authentication', 'Invalid access token');
    return customer;
  };

  const actions: { [A in CustomerAction]: (customer: FakeCustomer, body: z.output<(typeof schemas)[A]>) => unknown } = {
    start_chat(customer, body) {
      const active = body.active ?? true;
      const continuous = body.continuous ?? false;
      const groupIds = body.chat?.access?.group_ids ?? [0];
      const unknownGroup = groupIds.find((g) => g !== 0);
      if (unknownGroup !== undefined) throw new ApiError('group_not_found', `Group ${unknownGroup} not found`);
      if (active && !continuous && !groupsOnline) throw new ApiError('groups_offline', 'Groups offline');
      const chat: FakeChat = { id: livechatId(), customerId: customer.id, continuous, threads: [], properties: body.chat?.properties ?? {}, access: { group_ids: groupIds } };
      const thread: FakeThread = { id: livechatId(), active, created_at: timestamp(now()), user_ids: [customer.id], events: [] };
      chat.threads.push(thread);
      chats.set(chat.id, chat);
      const events = (body.chat?.thread?.events ?? []).map((e) =>
        addEvent(thread, {
          type: 'message',
          text: e.text,
          author_id: customer.id,
          visibility: e.visibility ?? e.recipients ?? 'all',
          ...(e.custom_id !== undefined ? { custom_id: e.custom_id } : {}),
          ...(e.properties !== undefined ? { properties: e.properties } : {}),
        }),
      );
      void emitTo('incoming_chat', { chat: { id: chat.id, users: users(chat), access: chat.access, properties: chat.properties, thread: threadView(thread, chat) } }, {}, () => true);
      return { chat_id: chat.id, thread_id: thread.id, ...(events.length > 0 ? { event_ids: events.map((e) => e.id) } : {}) };
    },
    send_event(customer, body) {
      const chat = chatFor(customer, body.chat_id);
      const thread = lastThread(chat);
      if (!thread.active && !body.attach_to_last_thread) throw new ApiError('chat_inactive', 'Chat is inactive');
      const event = addEvent(thread, {
        type: 'message',
        text: body.event.text,
        author_id: customer.id,
        visibility: body.event.visibility ?? body.event.recipients ?? 'all',
        ...(body.event.custom_id !== undefined ? { custom_id: body.event.custom_id } : {}),
        ...(body.event.properties !== undefined ? { properties: body.event.properties } : {}),
      });
      void emitEvent(chat, thread, event);
      return { event_id: event.id };
    },
    deactivate_chat(customer, body) {
      const chat = chatFor(customer, body.id);
      if (!isActive(chat)) throw new ApiError('chat_inactive', 'Chat is already inactive');
      const { thread, system } = closeThread(chat, customer.id, customer);
      void track(emitEvent(chat, thread, system).then(() => emitDeactivated(chat, thread, customer.id)));
      return {};
    },
    get_chat(customer, body) {
      const chat = chatFor(customer, body.chat_id);
      const thread = body.thread_id === undefined ? lastThread(chat) : chat.threads.find((t) => t.id === body.thread_id);
      if (!thread) throw new ApiError('not_found', 'Thread not found');
      return { id: chat.id, thread: threadView(thread, chat), users: users(chat), access: chat.access, properties: chat.properties };
    },
    list_chats(customer, body) {
      const mine = [...chats.values()].filter((c) => c.customerId === customer.id);
      mine.sort((a, b) => lastThread(a).created_at.localeCompare(lastThread(b).created_at));
      if ((body.sort_order ?? 'desc') === 'desc') mine.reverse();
      const page = mine.slice(0, body.limit ?? 10);
      return {
        chats_summary: page.map((chat) => {
          const thread = lastThread(chat);
          const lastMessage = thread.events.findLast((e) => e.type === 'message');
          return {
            id: chat.id,
            last_thread_id: thread.id,
            last_thread_created_at: thread.created_at,
            ...(lastMessage ? { last_event_per_type: { message: { thread_id: thread.id, thread_created_at: thread.created_at, event: lastMessage } } } : {}),
            users: users(chat),
            access: chat.access,
            properties: chat.properties,
            active: thread.active,
          };
        }),
        total_chats: mine.length,
      };
    },
    update_customer(customer, body) {
      const update = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.avatar !== undefined ? { avatar: body.avatar } : {}),
        ...(body.session_fields !== undefined ? { session_fields: body.session_fields } : {}),
      };
      const hasActiveChat = [...chats.values()].some((c) => c.customerId === customer.id && isActive(c));
      if (hasActiveChat) customer.pendingUpdate = { ...customer.pendingUpdate, ...update };
      else Object.assign(customer, update);
      return {};
    },
    get_customer(customer) {
      return {
        id: customer.id,
        type: 'customer',
        ...(customer.name !== undefined ? { name: customer.name } : {}),
        ...(customer.email !== undefined ? { email: customer.email } : {}),
        ...(customer.avatar !== undefined ? { avatar: customer.avatar } : {}),
        ...(customer.session_fields !== undefined ? { session_fields: customer.session_fields } : {}),
      };
    },
    list_group_statuses(_customer, body) {
      const ids = body.all ? [0] : (body.group_ids ?? []).filter((g) => g === 0);
      return { groups_status: Object.fromEntries(ids.map((id) => [String(id), groupsOnline ? 'online' : 'offline'])) };
    },
  };

  const handleAction = (req: IncomingMessage, action: CustomerAction, query: URLSearchParams, raw: string): unknown => {
    if (req.method !== 'POST') throw new ApiError('validation', `${action} must be called with POST`);
    const customer = authenticateCustomer(req, query);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new ApiError('validation', 'Content-Type must be application/json');
    let json: unknown;
    try {
      json = raw === '' ? {} : JSON.parse(raw);
    } catch {
      throw new ApiError('validation', 'Invalid JSON payload');
    }
    const parsed = schemas[action].safeParse(json, { reportInput: true });
    if (!parsed.success) throw new ApiError('validation', describeIssues(parsed.error));
    return (actions[action] as (c: FakeCustomer, b: unknown) => unknown)(customer, parsed.data);
  };

  // --- HTTP ---------------------------------------------------------------------------------

  const routeOf = (path: string): { route: FakeRoute | 'unknown'; version?: string } => {
    if (path === '/v2/customer/token') return { route: '/v2/customer/token' };
    if (path === '/v2/info') return { route: '/v2/info' };
    const match = /^\/(v\d+\.\d+)\/customer\/action\/([a-z_]+)$/.exec(path);
    if (match && (CUSTOMER_ACTIONS as readonly string[]).includes(match[2]!)) return { route: match[2] as CustomerAction, version: match[1]! };
    return { route: 'unknown' };
  };

  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { route, version } = routeOf(url.pathname);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, route, query: Object.fromEntries(url.searchParams), headers, rawBody: raw, status: 0 };
    requests.push(record);
    const accounts = route === '/v2/customer/token' || route === '/v2/info';

    const send = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      if (res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra });
      res.end(text);
    };
    const apiError = (type: string, message: string, data?: Record<string, unknown>, extra: Record<string, string> = {}): void =>
      send(statusByType[type as LivechatErrorType] ?? (type === 'internal' ? 500 : 400), { error: { type, message, ...(data ? { data } : {}) } }, extra);

    if (route === 'unknown') {
      if (/^\/v\d+\.\d+\/customer\/action\//.test(url.pathname)) return apiError('validation', `Unknown action ${url.pathname.split('/').pop() ?? ''}`);
      return send(404, { error: { type: 'not_found', message: `No route for ${req.method ?? 'GET'} ${url.pathname}` } });
    }

    const wait = take(delays, route);
    if (wait !== undefined) await sleep(wait);
    const dropCount = drops.get(route);
    if (dropCount) {
      if (dropCount <= 1) drops.delete(route);
      else drops.set(route, dropCount - 1);
      req.socket.destroy();
      return;
    }
    const failure = take(failures, route);
    if (failure) {
      const extra = failure.headers ?? {};
      if (accounts) {
        const code = failure.type ?? (failure.status === 401 ? 'unauthorized' : failure.status === 429 ? 'too_many_requests' : failure.status >= 500 ? 'server_error' : 'invalid_request');
        return send(failure.status, { error: code, error_description: failure.message ?? `injected ${failure.status}` }, extra);
      }
      return send(failure.status, { error: { type: failure.type ?? typeForStatus(failure.status), message: failure.message ?? `Injected failure (${failure.status})` } }, extra);
    }

    try {
      if (route === '/v2/customer/token') return send(200, handleToken(req, raw));
      if (route === '/v2/info') return send(200, handleInfo(req));
      if (version !== 'v3.5' && version !== 'v3.6') return apiError('unsupported_version', `Unsupported version ${version ?? ''}`);
      const result = handleAction(req, route, url.searchParams, raw);
      return send(200, result);
    } catch (error) {
      if (error instanceof OAuthError) return send(error.status, { error: error.code, error_description: error.message });
      if (error instanceof ApiError) return apiError(error.type, error.message, error.data);
      return apiError('internal', error instanceof Error ? `fake-livechat bug: ${error.message}` : 'fake-livechat bug');
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'internal', message: `fake-livechat: ${error instanceof Error ? error.message : String(error)}` } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeLivechat = {
    baseUrl: `http://127.0.0.1:${port}`,
    organizationId,
    clientId,
    region,
    agentToken,
    accountId,
    agentId: 'anna@example.com',
    statusByType,
    requests,
    requestsTo: (route) => requests.filter((r) => r.route === route),
    chats,
    chat(id) {
      const chat = chats.get(id);
      if (!chat) throw new Error(`fake-livechat: no chat ${id} (chats: ${[...chats.keys()].join(', ') || 'none'})`);
      return chat;
    },
    customers,
    tokens,
    failNext(route, status, opts = {}) {
      const list = failures.get(route) ?? [];
      for (let i = 0; i < (opts.times ?? 1); i++) list.push({ status, ...opts });
      failures.set(route, list);
    },
    dropNext(route, times = 1) {
      drops.set(route, (drops.get(route) ?? 0) + times);
    },
    delayNext(route, ms, times = 1) {
      const list = delays.get(route) ?? [];
      for (let i = 0; i < times; i++) list.push(ms);
      delays.set(route, list);
    },
    setGroupsOnline(online) {
      groupsOnline = online;
    },
    advanceTime(ms) {
      clockOffset += ms;
    },
    expireCustomerTokens() {
      for (const t of tokens) t.expiresAt = Math.min(t.expiresAt, now());
    },
    revokeAgentToken() {
      agentTokenValid = false;
    },
    registerWebhook(registration) {
      const id = randomBytes(16).toString('hex');
      webhooks.push({ ...registration, id });
      return id;
    },
    unregisterWebhooks() {
      webhooks.length = 0;
    },
    deliveries,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async agentSends(chatId, text, opts = {}) {
      const chat = fake.chat(chatId);
      const thread = lastThread(chat);
      if (!thread.active) throw new Error(`fake-livechat: chat ${chatId} is inactive; an agent cannot write in it`);
      const event = addEvent(thread, { type: 'message', text, author_id: opts.agentId ?? fake.agentId, visibility: opts.visibility ?? 'all' });
      await emitEvent(chat, thread, event, opts.webhook);
      return event;
    },
    async deactivateAsAgent(chatId, opts = {}) {
      const chat = fake.chat(chatId);
      if (!isActive(chat)) throw new Error(`fake-livechat: chat ${chatId} is already inactive`);
      const by = opts.agentId === undefined ? fake.agentId : opts.agentId;
      const { thread, system } = closeThread(chat, by, customers.get(chat.customerId));
      await emitEvent(chat, thread, system, opts.webhook);
      await emitDeactivated(chat, thread, by, opts.webhook);
    },
    emit(action, payload, knobs = {}) {
      if (!webhooks.some((h) => h.action === action)) throw new Error(`fake-livechat: no webhook registered for ${action}`);
      return emitTo(action, payload, knobs, () => true);
    },
    webhookBody: (action, payload, opts) => envelope(action, payload, opts),
    reset() {
      requests.length = 0;
      chats.clear();
      customers.clear();
      tokens.length = 0;
      failures.clear();
      drops.clear();
      delays.clear();
      webhooks.length = 0;
      deliveries.length = 0;
      clockOffset = 0;
      groupsOnline = options.groupsOnline ?? true;
      agentTokenValid = true;
    },
    async close() {
      await fake.idle();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return fake;
}

/** A fresh agent token in a region, e.g. to prove another data centre's token is refused. */
export const fakeToken = (region: Region): string => `${region}:${tokenPart()}`;
