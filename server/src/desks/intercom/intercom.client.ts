import { z } from 'zod';
import {
  DeskError,
  MAX_RETRY_AFTER_MS,
  createDeskHttp,
  type DeskAnswer,
  type DeskClient,
  type DeskCloseReason,
  type DeskFailureDetail,
  type DeskHttpOptions,
  type DeskSession,
  type EstablishRequest,
  type HandoffLine,
} from '../sdk/index.js';
import type { IntercomConfig } from './intercom.config.js';

/** Intercom's US host; `apiBaseUrl` selects the EU (https://api.eu.intercom.io) or AU host, or a test double. */
export const INTERCOM_API_BASE_URL = 'https://api.intercom.io';
/** Pinned so that the shapes we read do not change with the workspace's default version. */
export const INTERCOM_VERSION = '2.14';

/** Starts every message we post in the contact's name that the contact did not write. */
export const BATON_MARK = '[Baton]';

/**
 * Intercom cannot close a conversation on the contact's behalf, and closing it as a teammate
 * would hide it from the people who should read why it ended. So closing posts one last message
 * as the contact saying what happened (unless the conversation is already closed, or that
 * message is already there).
 */
export const CLOSE_NOTES: Record<DeskCloseReason, string> = {
  USER_CLOSED: `${BATON_MARK} The customer left the chat. Replies here no longer reach them.`,
  TIMEOUT: `${BATON_MARK} This chat timed out. Replies here no longer reach the customer.`,
  BOT_RESUMED: `${BATON_MARK} The bot has taken this conversation back. Replies here no longer reach the customer.`,
};

/** What a session keeps: the contact we write as. */
export type IntercomSessionData = { contactId: string; contactType: 'user' | 'lead' };

/** What the client uses of the settings (the client secret is the webhook routes'). */
export type IntercomClientConfig = Pick<IntercomConfig, 'accessToken' | 'apiBaseUrl'>;

const sessionDataSchema = z.object({ contactId: z.string().min(1), contactType: z.enum(['user', 'lead']) });

const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
const contactSchema = z.looseObject({
  id: idSchema,
  role: z.string().nullish(),
  email: z.string().nullish(),
  external_id: z.string().nullish(),
});
type IntercomContact = z.infer<typeof contactSchema>;
const contactListSchema = z.looseObject({ data: z.array(contactSchema) });
const messageSchema = z.looseObject({ conversation_id: idSchema });
const conversationSchema = z.looseObject({
  state: z.string().nullish(),
  open: z.boolean().nullish(),
  conversation_parts: z
    .looseObject({
      conversation_parts: z.array(
        z.looseObject({ part_type: z.string().nullish(), body: z.string().nullish(), author: z.looseObject({ type: z.string().nullish() }).nullish() }),
      ),
    })
    .nullish(),
});
const adminSchema = z.looseObject({ type: z.literal('admin'), id: idSchema });
const errorListSchema = z.looseObject({
  errors: z.array(z.looseObject({ code: z.string().nullish(), message: z.string().nullish() })).min(1),
});

const LABELS: Record<HandoffLine['role'], string> = { user: 'User', bot: 'Bot', agent: 'Agent' };
/** Intercom documents no limit on a message body; this keeps the first message readable. */
const MAX_BODY_CHARS = 15_000;
const MAX_LINE_CHARS = 2_000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The first message of the Intercom conversation, as plain text (Intercom shows contacts' bodies
 * as text): who handed over, the contact's email and name, then the chat one line per message
 * ("User: …", "Bot: …"), ending with the user's latest question. Oldest lines give way first when
 * the whole would be too long.
 */
export function intercomConversationBody(request: EstablishRequest): string {
  const header = [`Chat handed over by the Baton bot (conversation ${request.conversationId}).`];
  if (request.email) header.push(`Email: ${request.email}`);
  if (request.user.name) header.push(`Name: ${request.user.name}`);
  const lines = request.history.map(
    (line) => `${LABELS[line.role]}: ${clip(line.text.trim(), MAX_LINE_CHARS).replace(/\r\n?/g, '\n').replace(/\n/g, '\n  ')}`,
  );
  let omitted = false;
  const size = () => header.join('\n').length + 2 + lines.join('\n').length + (omitted ? 40 : 0);
  while (lines.length > 1 && size() > MAX_BODY_CHARS) {
    lines.shift();
    omitted = true;
  }
  return [...header, '', ...(omitted ? ['(earlier messages left out)'] : []), ...lines].join('\n');
}

/**
 * Intercom sends no Retry-After with its 429s: its window ends at X-RateLimit-Reset (Unix
 * seconds). A reset already past (clock skew) still deserves a pause; an absurd one must not
 * park the handoff.
 */
function rateLimitResetMs(headers: Headers, status: number, nowMs: number): number | undefined {
  const reset = headers.get('x-ratelimit-reset');
  if (status !== 429 || headers.get('retry-after') !== null || reset === null || !Number.isFinite(Number(reset))) return undefined;
  return Math.min(Math.max(Math.ceil(Number(reset) * 1000 - nowMs), 1_000), MAX_RETRY_AFTER_MS);
}

interface Credentials {
  base: string;
  token: string;
}

/** The Intercom desk: contacts, conversations started by the contact, replies in the contact's name. */
export function createIntercomClient(options: DeskHttpOptions = {}): DeskClient<IntercomClientConfig> {
  const http = createDeskHttp('Intercom', options);

  function credentials(config: IntercomClientConfig): Credentials {
    const base = (config.apiBaseUrl ?? INTERCOM_API_BASE_URL).replace(/\/+$/, '');
    if (!URL.canParse(base)) throw new DeskError('invalid_config', 'The Intercom API base URL is not a valid URL', false);
    return { base, token: config.accessToken };
  }

  /** One HTTP exchange; transport failures become retryable DeskErrors, any status comes back. */
  function send(creds: Credentials, method: 'GET' | 'POST', path: string, body: unknown, what: string): Promise<DeskAnswer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${creds.token}`,
      'intercom-version': INTERCOM_VERSION,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    };
    return http.send(what, `${creds.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }

  /** Intercom's own error (`{ errors: [{ code, message }] }`) and its rate-limit window. */
  function explain(answer: DeskAnswer): DeskFailureDetail {
    const parsed = errorListSchema.safeParse(answer.json);
    const first = parsed.success ? parsed.data.errors[0] : undefined;
    return {
      detail: first ? [first.code, first.message].filter(Boolean).join(': ') : undefined,
      retryAfterMs: rateLimitResetMs(answer.headers, answer.status, http.now()),
    };
  }

  const read = <T>(answer: DeskAnswer, schema: z.ZodType<T>, what: string): T => http.read(answer, schema, what, explain);

  async function call<T>(creds: Credentials, method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>, what: string): Promise<T> {
    return read(await send(creds, method, path, body, what), schema, what);
  }

  async function searchContact(creds: Credentials, email: string | undefined, externalId: string | undefined): Promise<IntercomContact | undefined> {
    const filters = [
      ...(externalId ? [{ field: 'external_id', operator: '=', value: externalId }] : []),
      ...(email ? [{ field: 'email', operator: '=', value: email }] : []),
    ];
    const query = filters.length === 1 ? filters[0] : { operator: 'OR', value: filters };
    const list = await call(creds, 'POST', '/contacts/search', { query, pagination: { per_page: 20 } }, contactListSchema, 'search contacts');
    const sameEmail = (c: IntercomContact) => !!email && c.email?.toLowerCase() === email.toLowerCase();
    // Someone else's external id on a contact with the same email is another person.
    const compatible = (c: IntercomContact) => !externalId || !c.external_id || c.external_id === externalId;
    return (
      list.data.find((c) => !!externalId && c.external_id === externalId) ??
      list.data.find((c) => sameEmail(c) && compatible(c) && c.role === 'user') ??
      list.data.find((c) => sameEmail(c) && compatible(c))
    );
  }

  /** `fresh`: created (or claimed by a 409) just now, so Intercom may not let it write yet. */
  async function findOrCreateContact(creds: Credentials, request: EstablishRequest): Promise<IntercomSessionData & { fresh: boolean }> {
    const email = request.email || undefined;
    const externalId = request.user.externalId || undefined;
    const name = request.user.name || undefined;
    if (!email && !externalId) {
      // Nothing to find an anonymous visitor by: a lead of their own.
      const lead = await call(creds, 'POST', '/contacts', { role: 'lead', ...(name ? { name } : {}) }, contactSchema, 'create a lead');
      return { contactId: lead.id, contactType: 'lead', fresh: true };
    }
    const found = await searchContact(creds, email, externalId);
    if (found) return { contactId: found.id, contactType: found.role === 'lead' ? 'lead' : 'user', fresh: false };

    const created = await send(
      creds,
      'POST',
      '/contacts',
      { role: 'user', ...(email ? { email } : {}), ...(externalId ? { external_id: externalId } : {}), ...(name ? { name } : {}) },
      'create a contact',
    );
    if (created.status !== 409) {
      const contact = read(created, contactSchema, 'create a contact');
      return { contactId: contact.id, contactType: 'user', fresh: true };
    }
    // New contacts take a while to show in search (and our own earlier attempt may have created
    // this one): Intercom names the existing contact in the message.
    const parsed = errorListSchema.safeParse(created.json);
    const existing = parsed.success ? /\bid=([A-Za-z0-9_-]+)/.exec(parsed.data.errors[0]?.message ?? '')?.[1] : undefined;
    if (existing) return { contactId: existing, contactType: 'user', fresh: true };
    const again = await searchContact(creds, email, externalId);
    if (again) return { contactId: again.id, contactType: again.role === 'lead' ? 'lead' : 'user', fresh: true };
    throw new DeskError('contact_conflict', 'Intercom says the contact exists but does not find it yet', true, 2_000, 409);
  }

  function sessionData(session: DeskSession): IntercomSessionData {
    const parsed = sessionDataSchema.safeParse(session.data);
    if (!parsed.success) throw new DeskError('invalid_session', 'The Intercom session has no contact id', false);
    return parsed.data;
  }

  const conversationPath = (id: string) => `/conversations/${encodeURIComponent(id)}`;

  return {
    async testConnection(config) {
      try {
        await call(credentials(config), 'GET', '/me', undefined, adminSchema, 'identify the admin');
        return { ok: true };
      } catch (error) {
        if (!(error instanceof DeskError)) throw error;
        if (error.status === 401) return { ok: false, message: 'Intercom rejected the access token (401 unauthorized). Copy it again from the Developer Hub.' };
        if (error.status === 403) return { ok: false, message: `Intercom refused the request (403): ${error.message}` };
        return { ok: false, message: error.message };
      }
    },

    async establish(config, request) {
      const creds = credentials(config);
      const contact = await findOrCreateContact(creds, request);
      let message: z.infer<typeof messageSchema>;
      try {
        message = await call(
          creds,
          'POST',
          '/conversations',
          { from: { type: contact.contactType, id: contact.contactId }, body: intercomConversationBody(request) },
          messageSchema,
          'start the conversation',
        );
      } catch (error) {
        if (error instanceof DeskError && error.status === 404 && contact.fresh) {
          // Intercom documents a short delay before a new contact can write.
          throw new DeskError('contact_not_ready', 'Intercom does not let the new contact write yet', true, 2_000, 404);
        }
        throw error;
      }
      const data: IntercomSessionData = { contactId: contact.contactId, contactType: contact.contactType };
      return { deskConversationId: message.conversation_id, data };
    },

    async relay(config, session, message) {
      const creds = credentials(config);
      const { contactId } = sessionData(session);
      if (message.text.trim() === '') return;
      await call(
        creds,
        'POST',
        `${conversationPath(session.deskConversationId)}/reply`,
        { message_type: 'comment', type: 'user', intercom_user_id: contactId, body: message.text },
        z.unknown(),
        'reply as the contact',
      );
    },

    async close(config, session, reason) {
      const creds = credentials(config);
      const { contactId } = sessionData(session);
      const path = conversationPath(session.deskConversationId);
      const res = await send(creds, 'GET', `${path}?display_as=plaintext`, undefined, 'read the conversation');
      if (res.status === 404) return;
      const conversation = read(res, conversationSchema, 'read the conversation');
      // A contact's message would re-open a conversation the teammate closed.
      if (conversation.state === 'closed' || conversation.open === false) return;
      const parts = conversation.conversation_parts?.conversation_parts ?? [];
      const lastFromContact = parts.findLast((p) => p.author?.type === 'user' || p.author?.type === 'lead');
      if (lastFromContact?.body?.trim().startsWith(BATON_MARK)) return;
      const reply = await send(
        creds,
        'POST',
        `${path}/reply`,
        { message_type: 'comment', type: 'user', intercom_user_id: contactId, body: CLOSE_NOTES[reason] },
        'post the closing note',
      );
      if (reply.status === 404) return;
      read(reply, z.unknown(), 'post the closing note');
    },
  };
}

export const intercomClient = createIntercomClient();
