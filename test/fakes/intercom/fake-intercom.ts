/**
 * A local fake of the parts of Intercom's REST API (version 2.x) that a bot → human handoff uses,
 * and of Intercom's webhook notifications (protocols.md §1). It checks what the real service
 * checks (bearer token, `Intercom-Version`, request shapes, contacts and conversations state),
 * answers in Intercom's wire shapes with `X-RateLimit-*` headers on every response, fails on
 * demand, and, as an emitter, sends notifications signed like Intercom's
 * (`X-Hub-Signature: sha1=<hex HMAC-SHA1 of the exact body bytes, keyed with the client secret>`).
 *
 *   const fake = await startFakeIntercom();
 *   const config = { accessToken: fake.accessToken, clientSecret: fake.clientSecret, apiBaseUrl: fake.baseUrl };
 *   // … our client opens a conversation …
 *   await fake.emit(webhookUrl, fake.adminReply(conversationId, { body: '<p>Hi, Anna here</p>' }));
 *
 * Simulated: contacts (create with 409 on duplicates, search with `=`/`!=`/`IN`/`NIN` on
 * email, external_id, id, role, name with AND/OR nesting, an optional search lag, an optional
 * delay before a new contact may start conversations), conversations started by a contact,
 * replies as the contact (re-opening closed or snoozed conversations) or as an admin, `GET /me`,
 * rate limiting in fixed windows (429 without Retry-After), injected failures. Not simulated:
 * pagination cursors, companies, tags, attachments uploads, the admin `parts` endpoint (the
 * test-side helpers below change state instead), OAuth.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Public types

/** `Intercom-Version` values the 2.14 description lists (newer descriptions add 2.15+ and Unstable). */
export const INTERCOM_VERSIONS = [
  '1.0', '1.1', '1.2', '1.3', '1.4',
  '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9', '2.10', '2.11', '2.12', '2.13', '2.14', '2.15', '2.16',
  'Preview', 'Unstable',
] as const;

export type FakeRoute =
  | 'GET /me'
  | 'POST /contacts'
  | 'POST /contacts/search'
  | 'GET /contacts/:id'
  | 'GET /contacts/find_by_external_id/:external_id'
  | 'POST /conversations'
  | 'GET /conversations/:id'
  | 'POST /conversations/:id/reply';

export type FailStatus = 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502 | 503 | 504;

export interface FailOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Extra or replacing response headers (e.g. a Retry-After Intercom does not send, or no X-RateLimit-Reset). `null` removes one. */
  headers?: Record<string, string | null>;
  /** Replaces the error body (JSON-serialised unless a string). */
  body?: unknown;
  /** Apply the request first, then answer with the failure: the write happened but the caller cannot know. */
  afterHandling?: boolean;
  /** Called when the failure is served (e.g. to move a test clock). */
  onFail?: () => void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The route it matched, if any. */
  route: FakeRoute | undefined;
  /** What the fake answered; 0 while in flight or when the connection was dropped. */
  status: number;
  /** The headers of that answer (lower-case names). */
  responseHeaders: Record<string, string>;
}

export interface Contact {
  type: 'contact';
  id: string;
  workspace_id: string;
  external_id: string | null;
  role: 'user' | 'lead';
  email: string | null;
  phone: string | null;
  name: string | null;
  avatar: string | null;
  owner_id: number | null;
  has_hard_bounced: boolean;
  marked_email_as_spam: boolean;
  unsubscribed_from_emails: boolean;
  created_at: number;
  updated_at: number;
  signed_up_at: number | null;
  last_seen_at: number | null;
  custom_attributes: Record<string, unknown>;
  tags: ListStub;
  notes: ListStub;
  companies: ListStub;
}

interface ListStub {
  type: 'list';
  data: unknown[];
  url: string;
  total_count: number;
  has_more: boolean;
}

export interface Author {
  id: string;
  type: 'admin' | 'user' | 'lead' | 'bot' | 'team';
  name: string | null;
  email: string | null;
}

export interface Attachment {
  type: 'upload';
  name: string;
  url: string;
  content_type: string;
  filesize: number;
  width: number | null;
  height: number | null;
}

export interface ConversationPart {
  type: 'conversation_part';
  id: string;
  part_type: string;
  /** HTML (or plain text with `display_as=plaintext`); null for parts without a message. */
  body: string | null;
  created_at: number;
  updated_at: number;
  notified_at: number;
  assigned_to: { type: string; id: string } | null;
  author: Author;
  attachments: Attachment[];
  external_id: string | null;
  redacted: boolean;
}

export interface Conversation {
  type: 'conversation';
  id: string;
  title: string | null;
  created_at: number;
  updated_at: number;
  waiting_since: number | null;
  snoozed_until: number | null;
  open: boolean;
  state: 'open' | 'closed' | 'snoozed';
  read: boolean;
  priority: 'priority' | 'not_priority';
  admin_assignee_id: number | null;
  team_assignee_id: string | null;
  tags: { type: 'tag.list'; tags: unknown[] };
  custom_attributes: Record<string, unknown>;
  source: {
    type: 'conversation';
    id: string;
    delivered_as: 'customer_initiated';
    subject: string;
    body: string;
    author: Author;
    attachments: Attachment[];
    url: string | null;
    redacted: boolean;
  };
  contacts: { type: 'contact.list'; contacts: { type: 'contact'; id: string; external_id: string | null }[] };
  teammates: { type: 'admin.list'; admins: { type: 'admin'; id: string }[] };
  conversation_parts: { type: 'conversation_part.list'; conversation_parts: ConversationPart[]; total_count: number };
}

export interface Notification {
  type: 'notification_event';
  id: string;
  topic: string;
  app_id: string;
  created_at: number;
  delivery_status: string | null;
  delivery_attempts: number;
  delivered_at: number;
  first_sent_at: number;
  links: Record<string, unknown>;
  self: string | null;
  data: { type: 'notification_event_data'; item: unknown };
}

export interface Admin {
  type: 'admin';
  id: string;
  name: string;
  email: string;
}

export type SignatureMode =
  /** `sha1=<hex>` of the exact bytes with the client secret. */
  | 'valid'
  /** Well-formed, computed with another secret. */
  | 'bad'
  /** No X-Hub-Signature header. */
  | 'none'
  /** Not `sha1=<40 hex>`. */
  | 'malformed';

export interface EmitOptions {
  signature?: SignatureMode;
  /** Signs with this key instead of the fake's client secret (e.g. a legacy per-subscription hub_secret). */
  secret?: string;
  /** The exact text to send (and sign) instead of `JSON.stringify(notification)`. */
  body?: string;
  /** Signs these bytes but sends the body: a body altered in transit. */
  signBody?: string;
  headers?: Record<string, string>;
}

export interface Delivery {
  url: string;
  notificationId: string;
  topic: string;
  rawBody: string;
  headers: Record<string, string>;
  status: number;
  responseText: string;
}

export interface FakeIntercomOptions {
  accessToken?: string;
  clientSecret?: string;
  /** The workspace's app id (`app_id` in notifications, `app.id_code` in /me). */
  appId?: string;
  /** The fake's clock in ms (rate-limit windows, search lag, timestamps). Defaults to Date.now. */
  now?: () => number;
  /** A new contact is invisible to search for this long (Intercom documents minutes). Default 0. */
  searchLagMs?: number;
  /** A new contact cannot start a conversation for this long (404 "User Not Found"). Default 0. */
  contactAvailabilityLagMs?: number;
  /** Requests per fixed window; 429 beyond. Default 1666 per 10 s (10,000 a minute in 10-second slices). */
  rateLimit?: { limit: number; windowMs: number };
}

export interface FakeIntercom {
  /** e.g. http://127.0.0.1:PORT — the `apiBaseUrl` of our Intercom settings. */
  baseUrl: string;
  accessToken: string;
  clientSecret: string;
  appId: string;
  /** The admin the access token belongs to (GET /me), also the default author of admin replies. */
  admin: Admin;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Requests of one route. */
  requestsTo(route: FakeRoute): RecordedRequest[];
  /** Every webhook the emitter sent. */
  deliveries: Delivery[];
  contacts(): Contact[];
  contact(id: string): Contact | undefined;
  conversations(): Conversation[];
  conversation(id: string): Conversation | undefined;
  /** Seeds a contact, as if created long ago (visible to search at once unless `createdAtMs` says otherwise). */
  addContact(fields: { email?: string; external_id?: string; name?: string; role?: 'user' | 'lead'; createdAtMs?: number }): Contact;
  addAdmin(fields: { name: string; email?: string }): Admin;
  /** Seeds a conversation started by a contact (a new user contact unless `contactId` names one). */
  addConversation(fields?: { contactId?: string; body?: string }): Conversation;
  setSearchLag(ms: number): void;
  setContactAvailabilityLag(ms: number): void;
  /** The next `times` requests of `route` (or of any route with '*') fail with `status` and Intercom's error body. */
  failNext(route: FakeRoute | '*', status: FailStatus, options?: FailOptions): void;
  /** The next `times` requests of `route` get no answer: the connection is dropped (after applying them when `afterHandling`). */
  dropNext(route: FakeRoute | '*', options?: { times?: number; afterHandling?: boolean }): void;
  /** The next `times` requests of `route` wait `ms` before being handled. */
  delayNext(route: FakeRoute | '*', ms: number, times?: number): void;

  // Agent side: each changes the conversation as Intercom would and returns the notification Intercom sends.
  /** A teammate (or Fin with `authorType: 'bot'`) replies; `note: true` writes an internal note (topic conversation.admin.noted). */
  adminReply(
    conversationId: string,
    reply: { body: string; adminId?: string; authorType?: 'admin' | 'bot'; note?: boolean; attachments?: { name: string; url: string }[]; topic?: string },
  ): Notification;
  /** A teammate closes the conversation, optionally with a closing message. */
  adminClose(conversationId: string, options?: { adminId?: string; body?: string }): Notification;
  adminSnooze(conversationId: string, options?: { adminId?: string; untilUnix?: number }): Notification;
  /** The conversation is marked read (topic conversation.read). */
  markRead(conversationId: string): Notification;
  /** The contact replies from Intercom's own Messenger (topic conversation.user.replied): something we must not echo back. */
  userRepliedNotification(conversationId: string, body: string): Notification;
  /** The ping every subscription receives. */
  ping(): Notification;
  /** A notification around any item, for shapes the helpers above do not make. */
  notification(topic: string, item: unknown, options?: { createdAt?: number }): Notification;

  // Emitter
  /** Sends a notification to `url`, signed over the exact bytes sent. */
  emit(url: string, notification: Notification, options?: EmitOptions): Promise<Delivery>;
  /** Sends an already emitted notification again (same id, `delivery_attempts` + 1, re-signed); `sameBytes` replays the bytes unchanged. */
  redeliver(url: string, notificationId: string, options?: { sameBytes?: boolean }): Promise<Delivery>;
  /** Intercom's check when a webhook URL is saved: HEAD, expecting 2xx. Returns the status. */
  probe(url: string): Promise<number>;
  /** Saving a subscription: the HEAD probe, then a ping if it answered 2xx. */
  subscribe(url: string): Promise<{ ok: boolean; probeStatus: number; ping?: Delivery }>;

  /** Clears state, knobs and records (keeps credentials). */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers exported for tests of our receiver

/** `sha1=<hex>`: Intercom's X-Hub-Signature of `body` (exact bytes) with `secret`. */
export function signIntercomBody(secret: string, body: string | Uint8Array): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

/** Intercom's error envelope. */
export function intercomError(code: string, message: string, field?: string) {
  return { type: 'error.list', request_id: randomUUID(), errors: [{ code, message, ...(field ? { field } : {}) }] };
}

// ---------------------------------------------------------------------------------------------
// Request schemas

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const SINGLE_OPERATORS = ['=', '!=', 'IN', 'NIN', '<', '>', '~', '!~', '^', '$'] as const;
const SEARCH_FIELDS = ['id', 'email', 'external_id', 'role', 'name', 'phone'] as const;

type Filter = { field: string; operator: string; value: unknown } | { operator: 'AND' | 'OR'; value: Filter[] };

const SingleFilter = z.looseObject({ field: z.string().min(1), operator: z.enum(SINGLE_OPERATORS), value: z.union([scalar, z.array(scalar)]) });
const GroupFilter: z.ZodType<Filter> = z.lazy(() =>
  z.looseObject({ operator: z.enum(['AND', 'OR']), value: z.array(z.union([SingleFilter, GroupFilter])).min(1).max(15) }),
) as z.ZodType<Filter>;

const SearchRequest = z.looseObject({
  query: z.union([SingleFilter, GroupFilter]),
  pagination: z.looseObject({ per_page: z.int().min(1).max(150).optional(), starting_after: z.string().nullish() }).nullish(),
  sort: z.unknown().optional(),
});

const CreateContactRequest = z.looseObject({
  role: z.enum(['user', 'lead']).optional(),
  external_id: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  phone: z.string().nullish(),
  name: z.string().nullish(),
  avatar: z.string().nullish(),
  signed_up_at: z.int().nullish(),
  last_seen_at: z.int().nullish(),
  owner_id: z.int().nullish(),
  unsubscribed_from_emails: z.boolean().nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
});

const CreateConversationRequest = z.looseObject({
  from: z.looseObject({ type: z.enum(['user', 'lead', 'contact']), id: z.string().min(1) }),
  body: z.string(),
  subject: z.string().optional(),
  attachment_urls: z.array(z.string()).max(10).optional(),
  created_at: z.int().optional(),
});

const UserReply = z.looseObject({
  type: z.literal('user'),
  message_type: z.enum(['comment', 'quick_reply']),
  body: z.string().optional(),
  intercom_user_id: z.string().optional(),
  email: z.string().optional(),
  user_id: z.string().optional(),
  attachment_urls: z.array(z.string()).max(10).optional(),
  created_at: z.int().optional(),
});
const AdminReply = z.looseObject({
  type: z.literal('admin'),
  message_type: z.enum(['comment', 'note', 'quick_reply']),
  admin_id: z.string().min(1),
  body: z.string().optional(),
  attachment_urls: z.array(z.string()).max(10).optional(),
});
const ReplyRequest = z.discriminatedUnion('type', [UserReply, AdminReply]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// ---------------------------------------------------------------------------------------------
// Implementation

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const notFound = (message = 'Resource Not Found') => new HttpError(404, intercomError('not_found', message));
const badRequest = (code: string, message: string, field?: string) => new HttpError(400, intercomError(code, message, field));

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** How Intercom stores a contact's plain-text message: one paragraph per line. */
const textToHtml = (text: string) =>
  text
    .split('\n')
    .map((line) => (line === '' ? '<p><br></p>' : `<p>${escapeHtml(line)}</p>`))
    .join('');
const htmlToPlain = (html: string) =>
  html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

const ERROR_FOR_STATUS: Record<FailStatus, [string, string]> = {
  400: ['bad_request', 'Bad Request'],
  401: ['unauthorized', 'Access Token Invalid'],
  403: ['api_plan_restricted', 'Active subscription needed.'],
  404: ['not_found', 'Resource Not Found'],
  409: ['conflict', 'A contact matching those details already exists'],
  429: ['rate_limit_exceeded', 'Exceeded rate limit'],
  500: ['server_error', 'Server Error'],
  502: ['server_error', 'Bad Gateway'],
  503: ['service_unavailable', 'Sorry, the API service is temporarily unavailable'],
  504: ['request_timeout', 'The server could not complete your request in time'],
};

interface ContactRecord {
  contact: Contact;
  createdAtMs: number;
}

interface PartRecord {
  part: ConversationPart;
  /** The plain text of the part (what `display_as=plaintext` shows). */
  text: string | null;
}

interface ConversationRecord {
  id: string;
  createdAtMs: number;
  contactIds: string[];
  state: 'open' | 'closed' | 'snoozed';
  read: boolean;
  snoozedUntil: number | null;
  adminAssigneeId: string | null;
  waitingSince: number | null;
  updatedAt: number;
  source: Conversation['source'];
  sourceText: string;
  parts: PartRecord[];
}

interface Knob {
  route: FakeRoute | '*';
  times: number;
}

const ROUTES: { method: string; pattern: RegExp; route: FakeRoute }[] = [
  { method: 'GET', pattern: /^\/me$/, route: 'GET /me' },
  { method: 'POST', pattern: /^\/contacts$/, route: 'POST /contacts' },
  { method: 'POST', pattern: /^\/contacts\/search$/, route: 'POST /contacts/search' },
  { method: 'GET', pattern: /^\/contacts\/find_by_external_id\/([^/]+)$/, route: 'GET /contacts/find_by_external_id/:external_id' },
  { method: 'GET', pattern: /^\/contacts\/([^/]+)$/, route: 'GET /contacts/:id' },
  { method: 'POST', pattern: /^\/conversations$/, route: 'POST /conversations' },
  { method: 'GET', pattern: /^\/conversations\/([^/]+)$/, route: 'GET /conversations/:id' },
  { method: 'POST', pattern: /^\/conversations\/([^/]+)\/reply$/, route: 'POST /conversations/:id/reply' },
];

export async function startFakeIntercom(options: FakeIntercomOptions = {}): Promise<FakeIntercom> {
  const accessToken = options.accessToken ?? `dG9rOmZha2U${hex(16)}`;
  const clientSecret = options.clientSecret ?? hex(20);
  const appId = options.appId ?? 'a86dr8yl';
  const now = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(now() / 1000);
  const workspaceId = appId;
  let searchLagMs = options.searchLagMs ?? 0;
  let availabilityLagMs = options.contactAvailabilityLagMs ?? 0;
  const rateLimit = options.rateLimit ?? { limit: 1666, windowMs: 10_000 };

  const admin: Admin = { type: 'admin', id: '991267696', name: 'Anna Teammate', email: 'anna@support.example' };
  const FIN: Author = { type: 'bot', id: '814860', name: 'Fin', email: 'operator+a86dr8yl@intercom.io' };

  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  let contacts: ContactRecord[] = [];
  let conversations: ConversationRecord[] = [];
  let admins: Admin[] = [admin];
  let failures: (Knob & { status: FailStatus; options: FailOptions })[] = [];
  let drops: (Knob & { afterHandling: boolean })[] = [];
  let delays: (Knob & { ms: number })[] = [];
  let window = { index: -1, used: 0 };
  let sequence = 0;
  const sent = new Map<string, { notification: Notification; rawBody: string; options: EmitOptions }>();
  const nextId = () => String(++sequence + 1000);

  // -- rate limits

  function rateHeaders(consume: boolean): { headers: OutgoingHttpHeaders; exceeded: boolean } {
    const t = now();
    const index = Math.floor(t / rateLimit.windowMs);
    if (index !== window.index) window = { index, used: 0 };
    let exceeded = false;
    if (consume) {
      if (window.used >= rateLimit.limit) exceeded = true;
      else window.used += 1;
    }
    const reset = Math.ceil(((index + 1) * rateLimit.windowMs) / 1000);
    return {
      exceeded,
      headers: {
        'x-ratelimit-limit': String(rateLimit.limit),
        'x-ratelimit-remaining': String(Math.max(0, rateLimit.limit - window.used)),
        'x-ratelimit-reset': String(reset),
      },
    };
  }

  // -- serialisation

  const listStub = (id: string, what: string): ListStub => ({ type: 'list', data: [], url: `/contacts/${id}/${what}`, total_count: 0, has_more: false });

  function authorFor(contact: Contact): Author {
    return { id: contact.id, type: contact.role === 'lead' ? 'lead' : 'user', name: contact.name, email: contact.email ?? '' };
  }

  function serialize(record: ConversationRecord, plaintext: boolean, onlyParts?: PartRecord[]): Conversation {
    const parts = onlyParts ?? record.parts.slice(-500);
    return {
      type: 'conversation',
      id: record.id,
      title: null,
      created_at: Math.floor(record.createdAtMs / 1000),
      updated_at: record.updatedAt,
      waiting_since: record.waitingSince,
      snoozed_until: record.snoozedUntil,
      open: record.state !== 'closed',
      state: record.state,
      read: record.read,
      priority: 'not_priority',
      admin_assignee_id: record.adminAssigneeId === null ? null : Number(record.adminAssigneeId),
      team_assignee_id: null,
      tags: { type: 'tag.list', tags: [] },
      custom_attributes: {},
      source: plaintext ? { ...record.source, body: record.sourceText } : record.source,
      contacts: {
        type: 'contact.list',
        contacts: record.contactIds.map((id) => ({ type: 'contact' as const, id, external_id: findContact(id)?.contact.external_id ?? null })),
      },
      teammates: { type: 'admin.list', admins: record.adminAssigneeId ? [{ type: 'admin', id: record.adminAssigneeId }] : [] },
      conversation_parts: {
        type: 'conversation_part.list',
        conversation_parts: parts.map((p) => (plaintext ? { ...p.part, body: p.text } : p.part)),
        total_count: parts.length,
      },
    };
  }

  const findContact = (id: string) => contacts.find((c) => c.contact.id === id);
  const findConversation = (id: string) => conversations.find((c) => c.id === id);

  function newContact(fields: { email?: string | null; external_id?: string | null; name?: string | null; role?: 'user' | 'lead'; phone?: string | null }, createdAtMs: number): ContactRecord {
    const id = hex(12);
    const created = Math.floor(createdAtMs / 1000);
    const record: ContactRecord = {
      createdAtMs,
      contact: {
        type: 'contact',
        id,
        workspace_id: workspaceId,
        external_id: fields.external_id ?? null,
        role: fields.role ?? 'user',
        email: fields.email ?? null,
        phone: fields.phone ?? null,
        name: fields.name ?? null,
        avatar: null,
        owner_id: null,
        has_hard_bounced: false,
        marked_email_as_spam: false,
        unsubscribed_from_emails: false,
        created_at: created,
        updated_at: created,
        signed_up_at: null,
        last_seen_at: null,
        custom_attributes: {},
        tags: listStub(id, 'tags'),
        notes: listStub(id, 'notes'),
        companies: listStub(id, 'companies'),
      },
    };
    contacts.push(record);
    return record;
  }

  function addPart(record: ConversationRecord, part: Omit<ConversationPart, 'type' | 'id' | 'created_at' | 'updated_at' | 'notified_at' | 'assigned_to' | 'external_id' | 'redacted' | 'attachments'> & { attachments?: Attachment[]; assigned_to?: ConversationPart['assigned_to'] }, text: string | null): PartRecord {
    const t = nowSeconds();
    const stored: PartRecord = {
      text,
      part: {
        type: 'conversation_part',
        id: nextId(),
        created_at: t,
        updated_at: t,
        notified_at: t,
        external_id: null,
        redacted: false,
        assigned_to: part.assigned_to ?? null,
        attachments: part.attachments ?? [],
        part_type: part.part_type,
        body: part.body,
        author: part.author,
      },
    };
    record.parts.push(stored);
    record.updatedAt = t;
    return stored;
  }

  function startConversation(contact: Contact, text: string): ConversationRecord {
    const t = nowSeconds();
    const conversation: ConversationRecord = {
      id: String(10_001 + conversations.length),
      createdAtMs: now(),
      contactIds: [contact.id],
      state: 'open',
      read: false,
      snoozedUntil: null,
      adminAssigneeId: null,
      waitingSince: t,
      updatedAt: t,
      sourceText: text,
      source: {
        type: 'conversation',
        id: String(403_918_000 + ++sequence),
        delivered_as: 'customer_initiated',
        subject: '',
        body: textToHtml(text),
        author: authorFor(contact),
        attachments: [],
        url: null,
        redacted: false,
      },
      parts: [],
    };
    conversations.push(conversation);
    return conversation;
  }

  // -- search

  function fieldValue(contact: Contact, field: string): unknown {
    return (contact as unknown as Record<string, unknown>)[field];
  }

  function matches(contact: Contact, filter: Filter): boolean {
    if (filter.operator === 'AND') return (filter.value as Filter[]).every((f) => matches(contact, f));
    if (filter.operator === 'OR') return (filter.value as Filter[]).some((f) => matches(contact, f));
    const { field, operator, value } = filter as { field: string; operator: string; value: unknown };
    const actual = fieldValue(contact, field);
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v).toLowerCase());
    const a = str(actual);
    switch (operator) {
      case '=':
        return value === null ? actual === null : a === str(value);
      case '!=':
        return value === null ? actual !== null : a !== str(value);
      case 'IN':
        return (value as unknown[]).some((v) => str(v) === a);
      case 'NIN':
        return !(value as unknown[]).some((v) => str(v) === a);
      case '~':
        return a !== null && a.includes(str(value) ?? '');
      case '!~':
        return a === null || !a.includes(str(value) ?? '');
      case '^':
        return a !== null && a.startsWith(str(value) ?? '');
      case '$':
        return a !== null && a.endsWith(str(value) ?? '');
      default:
        throw new HttpError(500, intercomError('server_error', `fake-intercom: operator ${operator} is not simulated`));
    }
  }

  function checkFilter(filter: Filter, depth: number): void {
    if (filter.operator === 'AND' || filter.operator === 'OR') {
      if (depth >= 2) throw badRequest('parameter_invalid', 'Nesting of more than 2 levels is not supported', 'query');
      for (const f of filter.value as Filter[]) checkFilter(f, depth + 1);
      return;
    }
    const { field, operator, value } = filter as { field: string; operator: string; value: unknown };
    if (!(SEARCH_FIELDS as readonly string[]).includes(field)) {
      throw new HttpError(500, intercomError('server_error', `fake-intercom: searching on ${field} is not simulated`));
    }
    if ((operator === 'IN' || operator === 'NIN') !== Array.isArray(value)) {
      throw badRequest('parameter_invalid', `Operator ${operator} needs ${Array.isArray(value) ? 'a single value' : 'an array of values'}`, 'query.value');
    }
  }

  // -- handlers

  function requireJson(raw: string): unknown {
    if (raw.trim() === '') return {};
    try {
      return JSON.parse(raw);
    } catch {
      throw badRequest('bad_request', 'There was a problem in the JSON you submitted');
    }
  }

  function parse<T>(schema: z.ZodType<T>, raw: string): T {
    const input = requireJson(raw);
    const result = schema.safeParse(input);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.map(String).join('.');
      const value = issue.path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined), input);
      const missing = value === undefined;
      throw badRequest(missing ? 'parameter_not_found' : 'parameter_invalid', missing ? `${field} is required` : `${field} is invalid: ${issue.message}`, field);
    }
    return result.data;
  }

  function handle(route: FakeRoute, params: string[], query: Record<string, string>, raw: string): { status: number; body: unknown } {
    switch (route) {
      case 'GET /me':
        return {
          status: 200,
          body: {
            type: 'admin',
            id: admin.id,
            name: admin.name,
            email: admin.email,
            email_verified: true,
            job_title: null,
            away_mode_enabled: false,
            away_mode_reassign: false,
            has_inbox_seat: true,
            team_ids: [],
            avatar: { type: 'avatar', image_url: null },
            app: {
              type: 'app',
              id_code: appId,
              name: 'Fake workspace',
              region: 'US',
              timezone: 'Europe/London',
              created_at: 1_600_000_000,
              identity_verification: false,
            },
          },
        };

      case 'POST /contacts': {
        const body = parse(CreateContactRequest, raw);
        if (body.email === undefined && body.external_id === undefined && body.role === undefined) {
          throw badRequest('parameter_not_found', 'One of email, external_id or role is required');
        }
        if (body.email !== undefined && !EMAIL.test(body.email)) throw badRequest('parameter_invalid', 'Email is invalid', 'email');
        const role = body.role ?? 'user';
        const duplicate = contacts.find(
          ({ contact }) =>
            (body.external_id !== undefined && contact.external_id === body.external_id) ||
            (role === 'user' && contact.role === 'user' && body.email !== undefined && contact.email?.toLowerCase() === body.email.toLowerCase()),
        );
        if (duplicate) {
          return { status: 409, body: intercomError('conflict', `A contact matching those details already exists with id=${duplicate.contact.id}`) };
        }
        const record = newContact({ email: body.email ?? null, external_id: body.external_id ?? null, name: body.name ?? null, phone: body.phone ?? null, role }, now());
        return { status: 200, body: record.contact };
      }

      case 'POST /contacts/search': {
        const body = parse(SearchRequest, raw);
        checkFilter(body.query as Filter, 0);
        const perPage = body.pagination?.per_page ?? 50;
        const visible = contacts.filter((c) => now() - c.createdAtMs >= searchLagMs).map((c) => c.contact);
        const found = visible.filter((c) => matches(c, body.query as Filter));
        const page = found.slice(0, perPage);
        return {
          status: 200,
          body: {
            type: 'list',
            data: page,
            total_count: found.length,
            pages: { type: 'pages', page: 1, per_page: perPage, total_pages: Math.max(1, Math.ceil(found.length / perPage)) },
          },
        };
      }

      case 'GET /contacts/:id': {
        const record = findContact(params[0]!);
        if (!record) throw notFound('User Not Found');
        return { status: 200, body: record.contact };
      }

      case 'GET /contacts/find_by_external_id/:external_id': {
        const externalId = decodeURIComponent(params[0]!);
        const record = contacts.find((c) => c.contact.role === 'user' && c.contact.external_id === externalId);
        if (!record) throw notFound('User Not Found');
        return { status: 200, body: record.contact };
      }

      case 'POST /conversations': {
        const body = parse(CreateConversationRequest, raw);
        if (body.body.trim() === '' && (body.attachment_urls ?? []).length === 0) throw badRequest('parameter_not_found', 'Body is required', 'body');
        const record = findContact(body.from.id);
        const roleFits = body.from.type === 'contact' || record?.contact.role === body.from.type;
        if (!record || !roleFits || now() - record.createdAtMs < availabilityLagMs) throw notFound('User Not Found');
        const conversation = startConversation(record.contact, body.body);
        const t = conversation.updatedAt;
        const messageId = conversation.source.id;
        const conversationId = conversation.id;
        return {
          status: 200,
          body: { type: 'user_message', id: messageId, created_at: t, body: body.body, message_type: 'inapp', conversation_id: conversationId },
        };
      }

      case 'GET /conversations/:id': {
        const record = findConversation(params[0]!);
        if (!record) throw notFound();
        return { status: 200, body: serialize(record, query['display_as'] === 'plaintext') };
      }

      case 'POST /conversations/:id/reply': {
        const body = parse(ReplyRequest, raw);
        const id = params[0]!;
        const record = id === 'last' ? conversations.at(-1) : findConversation(id);
        if (!record) throw notFound();
        if ((body.body ?? '').trim() === '' && (body.attachment_urls ?? []).length === 0) throw badRequest('parameter_not_found', 'Body is required', 'body');
        if (body.type === 'user') {
          const identifiers = [body.intercom_user_id, body.email, body.user_id].filter((v) => v !== undefined);
          if (identifiers.length !== 1) throw badRequest('parameter_invalid', 'Exactly one of intercom_user_id, email or user_id is required');
          const contact =
            body.intercom_user_id !== undefined
              ? findContact(body.intercom_user_id)?.contact
              : body.email !== undefined
                ? contacts.find((c) => c.contact.email?.toLowerCase() === body.email!.toLowerCase())?.contact
                : contacts.find((c) => c.contact.external_id === body.user_id)?.contact;
          if (!contact) throw notFound('User Not Found');
          if (!record.contactIds.includes(contact.id)) throw badRequest('parameter_invalid', 'User is not a participant in this conversation');
          // A contact's reply re-opens a closed or snoozed conversation.
          const reopens = record.state !== 'open';
          record.state = 'open';
          record.snoozedUntil = null;
          record.read = false;
          record.waitingSince = nowSeconds();
          const text = body.body ?? '';
          const part = addPart(record, { part_type: reopens ? 'open' : 'comment', body: textToHtml(text), author: authorFor(contact) }, text);
          return { status: 200, body: serialize(record, false, [part]) };
        }
        const author = admins.find((a) => a.id === body.admin_id);
        if (!author) throw notFound('Admin Not Found');
        const html = body.body ?? '';
        const part = addPart(record, { part_type: body.message_type, body: html, author: { type: 'admin', id: author.id, name: author.name, email: author.email } }, htmlToPlain(html));
        if (body.message_type !== 'note') record.waitingSince = null;
        return { status: 200, body: serialize(record, false, [part]) };
      }
    }
  }

  // -- the server

  function takeKnob<T extends Knob>(list: T[], route: FakeRoute): T | undefined {
    const index = list.findIndex((k) => k.route === route || k.route === '*');
    if (index < 0) return undefined;
    const knob = list[index]!;
    knob.times -= 1;
    if (knob.times <= 0) list.splice(index, 1);
    return knob;
  }

  function send(res: ServerResponse, recorded: RecordedRequest, status: number, body: unknown, headers: OutgoingHttpHeaders, overrides: Record<string, string | null> = {}): void {
    const all: OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID(), ...headers };
    for (const [name, value] of Object.entries(overrides)) {
      if (value === null) delete all[name.toLowerCase()];
      else all[name.toLowerCase()] = value;
    }
    recorded.status = status;
    recorded.responseHeaders = Object.fromEntries(Object.entries(all).map(([name, value]) => [name, String(value)]));
    res.writeHead(status, all);
    res.end(status === 204 || body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  }

  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void serve(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(intercomError('server_error', `fake-intercom: ${String(error)}`)));
        }
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    let route: FakeRoute | undefined;
    let params: string[] = [];
    for (const candidate of ROUTES) {
      const match = candidate.method === method ? candidate.pattern.exec(url.pathname) : null;
      if (match) {
        route = candidate.route;
        params = match.slice(1);
        break;
      }
    }
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody: raw,
      route,
      status: 0,
      responseHeaders: {},
    };
    requests.push(recorded);

    if (!route) {
      send(res, recorded, 404, intercomError('not_found', 'Resource Not Found'), rateHeaders(false).headers);
      return;
    }

    const delay = takeKnob(delays, route);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
    if (res.destroyed || req.socket.destroyed) return;

    const failure = takeKnob(failures, route);
    const drop = takeKnob(drops, route);

    const authorization = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    const rate = rateHeaders(bearer === accessToken);

    const failWith = (f: NonNullable<typeof failure>): void => {
      f.options.onFail?.();
      const [code, message] = ERROR_FOR_STATUS[f.status];
      const headers = { ...rate.headers };
      if (f.status === 429) headers['x-ratelimit-remaining'] = '0';
      send(res, recorded, f.status, f.options.body ?? intercomError(code, message), headers, f.options.headers);
    };

    if (failure && !failure.options.afterHandling) return failWith(failure);
    if (drop && !drop.afterHandling) {
      req.socket.destroy();
      return;
    }

    if (bearer !== accessToken) {
      send(res, recorded, 401, intercomError('unauthorized', 'Access Token Invalid'), rate.headers);
      return;
    }
    const version = req.headers['intercom-version'];
    if (version !== undefined && !(INTERCOM_VERSIONS as readonly string[]).includes(String(version))) {
      send(res, recorded, 400, intercomError('intercom_version_invalid', 'The requested version could not be found'), rate.headers);
      return;
    }
    if (rate.exceeded) {
      send(res, recorded, 429, intercomError('rate_limit_exceeded', `Exceeded rate limit of ${rateLimit.limit} in ${rateLimit.windowMs / 1000} seconds`), rate.headers);
      return;
    }
    if (method === 'POST' && raw.trim() !== '' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      send(res, recorded, 415, intercomError('unsupported_media_type', 'Content-Type must be application/json'), rate.headers);
      return;
    }

    let answer: { status: number; body: unknown };
    try {
      answer = handle(route, params, recorded.query, raw);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answer = { status: error.status, body: error.body };
    }

    if (failure) return failWith(failure);
    if (drop) {
      req.socket.destroy();
      return;
    }
    send(res, recorded, answer.status, answer.body, rate.headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // -- agent side and emitter

  function conversationOrThrow(id: string): ConversationRecord {
    const record = findConversation(id);
    if (!record) throw new Error(`fake-intercom: no conversation ${id}`);
    return record;
  }

  function adminAuthor(adminId: string | undefined): Author {
    const found = admins.find((a) => a.id === (adminId ?? admin.id));
    if (!found) throw new Error(`fake-intercom: no admin ${adminId}`);
    return { type: 'admin', id: found.id, name: found.name, email: found.email };
  }

  function notification(topic: string, item: unknown, opts: { createdAt?: number } = {}): Notification {
    const t = opts.createdAt ?? nowSeconds();
    return {
      type: 'notification_event',
      id: `notif_${randomUUID()}`,
      topic,
      app_id: appId,
      created_at: t,
      delivery_status: null,
      delivery_attempts: 1,
      delivered_at: 0,
      first_sent_at: t,
      links: {},
      self: null,
      data: { type: 'notification_event_data', item },
    };
  }

  async function post(url: string, notificationValue: Notification, rawBody: string, options: EmitOptions): Promise<Delivery> {
    const mode = options.signature ?? 'valid';
    const signed = options.signBody ?? rawBody;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'intercom-parrot-service-client/1.0',
      ...options.headers,
    };
    if (mode === 'valid') headers['x-hub-signature'] = signIntercomBody(options.secret ?? clientSecret, signed);
    else if (mode === 'bad') headers['x-hub-signature'] = signIntercomBody(`not-${options.secret ?? clientSecret}`, signed);
    else if (mode === 'malformed') headers['x-hub-signature'] = `sha256=${createHmac('sha256', clientSecret).update(signed).digest('hex')}`;
    const res = await fetch(url, { method: 'POST', headers, body: Buffer.from(rawBody, 'utf8') });
    const delivery: Delivery = {
      url,
      notificationId: notificationValue.id,
      topic: notificationValue.topic,
      rawBody,
      headers,
      status: res.status,
      responseText: await res.text(),
    };
    deliveries.push(delivery);
    return delivery;
  }

  const fake: FakeIntercom = {
    baseUrl: `http://127.0.0.1:${port}`,
    accessToken,
    clientSecret,
    appId,
    admin,
    requests,
    requestsTo: (route) => requests.filter((r) => r.route === route),
    deliveries,
    contacts: () => contacts.map((c) => c.contact),
    contact: (id) => findContact(id)?.contact,
    conversations: () => conversations.map((c) => serialize(c, false)),
    conversation: (id) => {
      const record = findConversation(id);
      return record ? serialize(record, false) : undefined;
    },
    addContact: (fields) => newContact(fields, fields.createdAtMs ?? now() - Math.max(searchLagMs, availabilityLagMs) - 1).contact,
    addConversation: (fields = {}) => {
      const contact = fields.contactId
        ? findContact(fields.contactId)?.contact
        : newContact({ email: `someone${sequence + 1}@example.com`, role: 'user' }, now() - Math.max(searchLagMs, availabilityLagMs) - 1).contact;
      if (!contact) throw new Error(`fake-intercom: no contact ${fields.contactId}`);
      return serialize(startConversation(contact, fields.body ?? 'Hello, I need a human'), false);
    },
    addAdmin: (fields) => {
      const added: Admin = { type: 'admin', id: String(991_300_000 + admins.length), name: fields.name, email: fields.email ?? `${fields.name.toLowerCase().replace(/\W+/g, '.')}@support.example` };
      admins.push(added);
      return added;
    },
    setSearchLag: (ms) => {
      searchLagMs = ms;
    },
    setContactAvailabilityLag: (ms) => {
      availabilityLagMs = ms;
    },
    failNext: (route, status, opts = {}) => {
      failures.push({ route, status, times: opts.times ?? 1, options: opts });
    },
    dropNext: (route, opts = {}) => {
      drops.push({ route, times: opts.times ?? 1, afterHandling: opts.afterHandling ?? false });
    },
    delayNext: (route, ms, times = 1) => {
      delays.push({ route, ms, times });
    },

    adminReply: (conversationId, reply) => {
      const record = conversationOrThrow(conversationId);
      const author = reply.authorType === 'bot' ? FIN : adminAuthor(reply.adminId);
      const partType = reply.note ? 'note' : 'comment';
      const attachments: Attachment[] = (reply.attachments ?? []).map((a) => ({
        type: 'upload',
        name: a.name,
        url: a.url,
        content_type: 'application/octet-stream',
        filesize: 1024,
        width: null,
        height: null,
      }));
      const part = addPart(record, { part_type: partType, body: reply.body, author, attachments }, htmlToPlain(reply.body));
      if (!reply.note) {
        record.waitingSince = null;
        if (author.type === 'admin' && record.adminAssigneeId === null) record.adminAssigneeId = author.id;
      }
      const topic = reply.topic ?? (reply.note ? 'conversation.admin.noted' : 'conversation.admin.replied');
      return notification(topic, serialize(record, false, [part]));
    },
    adminClose: (conversationId, opts = {}) => {
      const record = conversationOrThrow(conversationId);
      record.state = 'closed';
      record.snoozedUntil = null;
      record.waitingSince = null;
      const body = opts.body ?? null;
      const part = addPart(record, { part_type: 'close', body, author: adminAuthor(opts.adminId) }, body === null ? null : htmlToPlain(body));
      return notification('conversation.admin.closed', serialize(record, false, [part]));
    },
    adminSnooze: (conversationId, opts = {}) => {
      const record = conversationOrThrow(conversationId);
      record.state = 'snoozed';
      record.snoozedUntil = opts.untilUnix ?? nowSeconds() + 3600;
      const part = addPart(record, { part_type: 'snoozed', body: null, author: adminAuthor(opts.adminId) }, null);
      return notification('conversation.admin.snoozed', serialize(record, false, [part]));
    },
    markRead: (conversationId) => {
      const record = conversationOrThrow(conversationId);
      record.read = true;
      return notification('conversation.read', serialize(record, false, []));
    },
    userRepliedNotification: (conversationId, body) => {
      const record = conversationOrThrow(conversationId);
      const contact = findContact(record.contactIds[0]!)!.contact;
      const part = addPart(record, { part_type: 'comment', body: textToHtml(body), author: authorFor(contact) }, body);
      return notification('conversation.user.replied', serialize(record, false, [part]));
    },
    ping: () => notification('ping', { type: 'ping', message: 'something something interzen' }),
    notification,

    emit: async (url, notificationValue, opts = {}) => {
      const rawBody = opts.body ?? JSON.stringify(notificationValue);
      sent.set(notificationValue.id, { notification: notificationValue, rawBody, options: opts });
      return post(url, notificationValue, rawBody, opts);
    },
    redeliver: async (url, notificationId, opts = {}) => {
      const previous = sent.get(notificationId);
      if (!previous) throw new Error(`fake-intercom: notification ${notificationId} was never emitted`);
      if (opts.sameBytes) return post(url, previous.notification, previous.rawBody, previous.options);
      const again: Notification = { ...previous.notification, delivery_attempts: previous.notification.delivery_attempts + 1 };
      const rawBody = JSON.stringify(again);
      sent.set(notificationId, { notification: again, rawBody, options: previous.options });
      return post(url, again, rawBody, { ...previous.options, body: undefined });
    },
    probe: async (url) => {
      const res = await fetch(url, { method: 'HEAD', headers: { 'user-agent': 'intercom-parrot-service-client/1.0' } });
      await res.arrayBuffer();
      return res.status;
    },
    subscribe: async (url) => {
      const probeStatus = await fake.probe(url);
      if (probeStatus < 200 || probeStatus >= 300) return { ok: false, probeStatus };
      const ping = await fake.emit(url, fake.ping());
      return { ok: true, probeStatus, ping };
    },

    reset: () => {
      requests.length = 0;
      deliveries.length = 0;
      contacts = [];
      conversations = [];
      admins = [admin];
      failures = [];
      drops = [];
      delays = [];
      window = { index: -1, used: 0 };
      sent.clear();
      searchLagMs = options.searchLagMs ?? 0;
      availabilityLagMs = options.contactAvailabilityLagMs ?? 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return fake;
}
