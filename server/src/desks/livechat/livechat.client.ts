// The LiveChat desk: Baton speaks to LiveChat agents as a customer (protocols.md §2.3, the
// "bot outside LiveChat" pattern). Per handoff: a customer identity from the agent-token grant,
// `update_customer` with the email and name, `start_chat` (continuous, so it works when no agent
// is online) carrying the history, `send_event` per user message, `deactivate_chat` at the end.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  DeskError,
  createDeskHttp,
  type DeskAnswer,
  type DeskClient,
  type DeskFailureDetail,
  type DeskHttpOptions,
  type DeskSession,
  type EstablishRequest,
  type HandoffLine,
} from '../sdk/index.js';
import type { LivechatConfig } from './livechat.config.js';
import { BATON_CUSTOM_ID_PREFIX, LIVECHAT_API_VERSION, livechatEndpoints, livechatSessionDataSchema, type LivechatSessionData } from './livechat.protocol.js';

export interface LivechatClientOptions extends DeskHttpOptions {
  /** A customer token is renewed this long before it expires (default 5 min). */
  refreshMarginMs?: number;
}
const REQUIRED_SCOPE = 'customers:own';
/** LiveChat error types that say "try again later", whatever HTTP status carries them (undocumented). */
const RETRYABLE_TYPES = new Set(['too_many_requests', 'internal', 'service_unavailable', 'request_timeout']);
/** `deactivate_chat` on a chat that is already closed: closing twice is not an error for us. */
const ALREADY_CLOSED_TYPES = new Set(['chat_inactive', 'chat_anonymized']);

const infoSchema = z.looseObject({ client_id: z.string().min(1), organization_id: z.string().optional(), scope: z.string().optional() });
const tokenSchema = z.looseObject({ access_token: z.string().min(1), entity_id: z.string().min(1), expires_in: z.number().positive() });
const startChatSchema = z.looseObject({ chat_id: z.string().min(1), thread_id: z.string().min(1) });
const listChatsSchema = z.looseObject({ chats_summary: z.array(z.looseObject({ id: z.string().min(1), last_thread_id: z.string().optional() })) });
const getChatSchema = z.looseObject({
  thread: z.looseObject({ events: z.array(z.looseObject({ custom_id: z.string().optional() })).default([]) }).optional(),
});
const anyResponse = z.unknown();

interface AgentInfo {
  clientId: string;
  organizationId: string | undefined;
  scopes: string[];
}

/** A customer identity and its current access token; mutated in place when refreshed. */
interface CustomerAuth {
  customerId: string;
  clientId: string;
  token: string;
  expiresAt: number;
}

interface EstablishProgress {
  auth?: CustomerAuth;
  profiled?: boolean;
  startAttempted?: boolean;
  chat?: { chatId: string; threadId: string | undefined };
}

const ROLE_LABEL: Record<HandoffLine['role'], string> = { user: 'Customer', bot: 'Bot', agent: 'Agent' };

/** Keeps a Map from growing without bound: the oldest entries go first. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Tokens (`dal:...`) never reach an error message or a log line. */
const redact = (text: string): string => text.replace(/\b[a-z]{3}:[\w\-.~+/=]{8,}/g, '***').slice(0, 300);

const regionOf = (token: string): string | undefined => /^([a-z]{3}):/.exec(token)?.[1];

/** `baton:<kind>:<id>`; long ids are hashed so the custom_id stays short. */
const customId = (kind: string, id: string): string => `${BATON_CUSTOM_ID_PREFIX}${kind}:${id.length <= 64 ? id : sha256(id).slice(0, 32)}`;

/** LiveChat's Web API says `{ error: { type, message, data? } }`; the accounts service `{ error, error_description }`. */
function describeError(body: unknown): { type?: string; message?: string; region?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') {
    const description = (body as { error_description?: unknown }).error_description;
    return { type: error, ...(typeof description === 'string' ? { message: description } : {}) };
  }
  if (typeof error !== 'object' || error === null) return {};
  const { type, message, data } = error as { type?: unknown; message?: unknown; data?: { region?: unknown } };
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof data?.region === 'string' ? { region: data.region } : {}),
  };
}

/** LiveChat's error type replaces the status's code; some types say "try again" whatever status carries them. */
function explain(answer: DeskAnswer): DeskFailureDetail {
  const { type, message, region } = describeError(answer.json);
  const detail = [type, message].filter(Boolean).join(': ');
  return {
    code: type,
    retryable: type !== undefined && RETRYABLE_TYPES.has(type) ? true : undefined,
    detail: `${detail}${type === 'misdirected_request' && region ? ` (the token belongs to the ${region} data centre)` : ''}` || undefined,
  };
}

function historyEvents(request: EstablishRequest): { type: 'message'; text: string; visibility: 'all'; custom_id: string }[] {
  const last = request.history.at(-1);
  const question = last?.role === 'user' ? last : undefined;
  const earlier = question ? request.history.slice(0, -1) : request.history;
  const header = ['This conversation was handed over by the Baton bot.'];
  if (request.user.name) header.push(`Name: ${request.user.name}`);
  if (request.email) header.push(`Email: ${request.email}`);
  const transcript = earlier.length > 0 ? `\n\nEarlier in the conversation:\n${earlier.map((line) => `${ROLE_LABEL[line.role]}: ${line.text}`).join('\n')}` : '';
  const events = [{ type: 'message' as const, text: `${header.join('\n')}${transcript}`, visibility: 'all' as const, custom_id: customId('history', request.idempotencyKey) }];
  if (question) events.push({ type: 'message', text: question.text, visibility: 'all', custom_id: customId('question', request.idempotencyKey) });
  return events;
}

function profile(request: Pick<EstablishRequest, 'conversationId' | 'botId' | 'email' | 'user'>): Record<string, unknown> {
  const sessionFields: Record<string, string>[] = [{ baton_conversation_id: request.conversationId }, { baton_bot_id: request.botId }];
  if (request.user.externalId) sessionFields.push({ baton_external_id: request.user.externalId });
  return {
    ...(request.user.name ? { name: request.user.name } : {}),
    ...(request.email ? { email: request.email } : {}),
    session_fields: sessionFields,
  };
}

/**
 * A LiveChat `DeskClient`. The settings hold only an agent access token (OAuth, with the
 * `customers:own` scope), but the agent-token grant needs the app's `client_id`: the client asks
 * LiveChat's token introspection (`GET /v2/info`), which names the client the token was issued
 * to, and keeps the answer per token in memory. Nothing is added to the bot settings.
 *
 * In-memory state per instance (one per process is enough): that introspection, the newest
 * customer token per customer, establish progress per idempotency key (so a retried establish
 * reuses the customer and finds the chat a lost answer created), and relays whose outcome was
 * unknown (so a retry looks for the message before sending it again; LiveChat has no idempotency
 * key). `relay` and `close` write a refreshed customer token back into `session.data`.
 */
export function createLivechatClient(options: LivechatClientOptions = {}): DeskClient<LivechatConfig> {
  const http = createDeskHttp('LiveChat', { ...options, redact });
  const now = http.now;
  const refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;

  const infoCache = new Map<string, AgentInfo>();
  const customerTokens = new Map<string, { token: string; expiresAt: number }>();
  const establishing = new Map<string, EstablishProgress>();
  const uncertainRelays = new Set<string>();

  const { send } = http;
  const parse = <T>(what: string, schema: z.ZodType<T>, answer: DeskAnswer): T => http.read(answer, schema, what, explain);

  // --- accounts: introspection and customer tokens ------------------------------------------

  async function agentInfo(config: LivechatConfig, fresh = false): Promise<AgentInfo> {
    const token = config.accessToken;
    const { accounts } = livechatEndpoints(config);
    const key = sha256(`${accounts}\u0000${token}`);
    const cached = fresh ? undefined : infoCache.get(key);
    if (cached) return cached;
    const res = await send('token introspection', `${accounts}/v2/info`, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (res.status === 401)
      throw new DeskError('invalid_credentials', 'LiveChat rejected the access token (expired, revoked or not an OAuth agent token)', false, undefined, 401);
    const body = parse('token introspection', infoSchema, res);
    const info: AgentInfo = { clientId: body.client_id, organizationId: body.organization_id, scopes: (body.scope ?? '').split(',').map((s) => s.trim()) };
    remember(infoCache, key, info, 100);
    return info;
  }

  async function grantCustomerToken(config: LivechatConfig, clientId: string, customerId?: string): Promise<CustomerAuth> {
    const { accounts } = livechatEndpoints(config);
    const body = {
      grant_type: 'agent_token',
      client_id: clientId,
      response_type: 'token',
      organization_id: config.organizationId,
      ...(customerId ? { entity_id: customerId } : {}),
    };
    const res = await send('customer token', `${accounts}/v2/customer/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status === 401)
      throw new DeskError('invalid_credentials', 'LiveChat rejected the access token for the customer token grant (expired, revoked, or a personal access token)', false, undefined, 401);
    const token = parse('customer token', tokenSchema, res);
    const auth: CustomerAuth = { customerId: token.entity_id, clientId, token: token.access_token, expiresAt: now() + token.expires_in * 1000 };
    remember(customerTokens, auth.customerId, { token: auth.token, expiresAt: auth.expiresAt }, 1000);
    return auth;
  }

  async function refresh(config: LivechatConfig, auth: CustomerAuth): Promise<void> {
    const next = await grantCustomerToken(config, auth.clientId, auth.customerId);
    auth.token = next.token;
    auth.expiresAt = next.expiresAt;
  }

  async function ensureFresh(config: LivechatConfig, auth: CustomerAuth): Promise<void> {
    const cached = customerTokens.get(auth.customerId);
    if (cached && cached.expiresAt > auth.expiresAt) {
      auth.token = cached.token;
      auth.expiresAt = cached.expiresAt;
    }
    if (auth.expiresAt - refreshMarginMs <= now()) await refresh(config, auth);
  }

  // --- Customer Chat API --------------------------------------------------------------------

  async function customerAction<T>(config: LivechatConfig, auth: CustomerAuth, action: string, payload: unknown, schema: z.ZodType<T>): Promise<T> {
    const { api } = livechatEndpoints(config);
    const url = `${api}/${LIVECHAT_API_VERSION}/customer/action/${action}?organization_id=${encodeURIComponent(config.organizationId)}`;
    const attempt = (): Promise<DeskAnswer> => {
      const region = regionOf(auth.token);
      return send(action, url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${auth.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
          ...(region ? { 'x-region': region } : {}),
        },
        body: JSON.stringify(payload),
      });
    };
    let res = await attempt();
    // Our expiry bookkeeping can be wrong (clock skew, revoked token): renew once and try again.
    if (res.status === 401 || describeError(res.json).type === 'authentication') {
      await refresh(config, auth);
      res = await attempt();
    }
    return parse(action, schema, res);
  }

  function sessionAuth(session: DeskSession): CustomerAuth {
    const parsed = livechatSessionDataSchema.safeParse(session.data);
    if (!parsed.success) throw new DeskError('invalid_session', 'The LiveChat handoff session is missing its customer identity', false);
    const data = parsed.data;
    return { customerId: data.customerId, clientId: data.clientId, token: data.customerToken ?? '', expiresAt: data.customerToken ? (data.customerTokenExpiresAt ?? 0) : 0 };
  }

  function writeBack(session: DeskSession, auth: CustomerAuth): void {
    session.data['customerToken'] = auth.token;
    session.data['customerTokenExpiresAt'] = auth.expiresAt;
  }

  function toSession(chat: { chatId: string; threadId: string | undefined }, auth: CustomerAuth): DeskSession {
    const data: LivechatSessionData = {
      customerId: auth.customerId,
      clientId: auth.clientId,
      ...(chat.threadId ? { threadId: chat.threadId } : {}),
      customerToken: auth.token,
      customerTokenExpiresAt: auth.expiresAt,
    };
    return { deskConversationId: chat.chatId, data: { ...data } };
  }

  return {
    async testConnection(config) {
      let info: AgentInfo;
      try {
        info = await agentInfo(config, true);
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : 'LiveChat could not be reached' };
      }
      if (info.organizationId !== undefined && info.organizationId !== config.organizationId)
        return { ok: false, message: `The access token belongs to another LiveChat organization than ${config.organizationId}` };
      if (!info.scopes.includes(REQUIRED_SCOPE))
        return { ok: false, message: `The access token lacks the ${REQUIRED_SCOPE} scope, which LiveChat requires to open chats on behalf of customers` };
      return { ok: true };
    },

    async establish(config, request) {
      const key = `${config.organizationId}\u0000${request.idempotencyKey}`;
      const progress = establishing.get(key) ?? {};
      remember(establishing, key, progress, 500);
      if (progress.chat && progress.auth) {
        await ensureFresh(config, progress.auth);
        return toSession(progress.chat, progress.auth);
      }

      const info = await agentInfo(config);
      if (info.organizationId !== undefined && info.organizationId !== config.organizationId)
        throw new DeskError('organization_mismatch', 'The LiveChat access token belongs to another organization than the configured one', false);

      let auth = progress.auth;
      if (auth) await ensureFresh(config, auth);
      else auth = progress.auth = await grantCustomerToken(config, info.clientId);

      if (!progress.profiled) {
        // Before start_chat: LiveChat applies customer updates made during an active chat only when it ends.
        try {
          await customerAction(config, auth, 'update_customer', profile(request), anyResponse);
        } catch (error) {
          // A name or email LiveChat refuses must not cost the customer the handoff: both are in the history too.
          if (!(error instanceof DeskError && error.code === 'validation')) throw error;
          await customerAction(config, auth, 'update_customer', profile({ ...request, email: undefined, user: { ...request.user, name: undefined } }), anyResponse);
        }
        progress.profiled = true;
      }

      if (!progress.chat && progress.startAttempted) {
        // A start_chat whose answer was lost may have created the chat: this identity is ours alone.
        const found = await customerAction(config, auth, 'list_chats', { limit: 1 }, listChatsSchema);
        const chat = found.chats_summary[0];
        if (chat) progress.chat = { chatId: chat.id, threadId: chat.last_thread_id };
      }
      if (!progress.chat) {
        progress.startAttempted = true;
        const started = await customerAction(
          config,
          auth,
          'start_chat',
          { chat: { thread: { events: historyEvents(request) } }, active: true, continuous: true },
          startChatSchema,
        );
        progress.chat = { chatId: started.chat_id, threadId: started.thread_id };
      }
      return toSession(progress.chat, auth);
    },

    async relay(config, session, message) {
      const auth = sessionAuth(session);
      const chatId = session.deskConversationId;
      const marker = customId('msg', message.messageId);
      const key = `${chatId}\u0000${message.messageId}`;
      try {
        await ensureFresh(config, auth);
        if (uncertainRelays.has(key)) {
          const chat = await customerAction(config, auth, 'get_chat', { chat_id: chatId }, getChatSchema);
          if (chat.thread?.events.some((event) => event.custom_id === marker)) {
            uncertainRelays.delete(key);
            return;
          }
        }
        await customerAction(
          config,
          auth,
          'send_event',
          { chat_id: chatId, event: { type: 'message', text: message.text, visibility: 'all', custom_id: marker } },
          anyResponse,
        );
        uncertainRelays.delete(key);
      } catch (error) {
        // A retryable failure may have happened after LiveChat stored the message.
        if (error instanceof DeskError && error.retryable) {
          uncertainRelays.add(key);
          if (uncertainRelays.size > 1000) uncertainRelays.delete(uncertainRelays.values().next().value as string);
        }
        throw error;
      } finally {
        if (auth.token) writeBack(session, auth);
      }
    },

    async close(config, session) {
      const auth = sessionAuth(session);
      try {
        await ensureFresh(config, auth);
        await customerAction(config, auth, 'deactivate_chat', { id: session.deskConversationId }, anyResponse);
      } catch (error) {
        if (error instanceof DeskError && ALREADY_CLOSED_TYPES.has(error.code)) return;
        throw error;
      } finally {
        if (auth.token) writeBack(session, auth);
      }
    },
  };
}

/** The process-wide LiveChat client. */
export const livechatClient = createLivechatClient();
