// What the LiveChat client and webhook route share: where LiveChat lives, what we keep in a
// handoff's DeskSession, how our own events are marked, and the webhook shapes (protocols.md §2).
import { z } from 'zod';
import type { DeskEvent, DeskSession } from '../sdk/index.js';
import type { LivechatConfig } from './livechat.config.js';

export const LIVECHAT_API_BASE = 'https://api.livechatinc.com';
export const LIVECHAT_ACCOUNTS_BASE = 'https://accounts.livechat.com';
export const LIVECHAT_API_VERSION = 'v3.6';

/**
 * Where the client sends requests. LiveChat has two hosts (the accounts service and the Web API);
 * `apiBaseUrl` replaces both, because it exists to point a bot at a test double that serves
 * `/v2/customer/token`, `/v2/info` and `/v3.6/customer/action/...` on one origin. Regions need no
 * setting: tokens carry their data centre (`dal:`/`fra:`) and the client sends `X-Region`.
 */
export function livechatEndpoints(config: Pick<LivechatConfig, 'apiBaseUrl'>): { api: string; accounts: string } {
  const base = config.apiBaseUrl?.replace(/\/+$/, '');
  return base ? { api: base, accounts: base } : { api: LIVECHAT_API_BASE, accounts: LIVECHAT_ACCOUNTS_BASE };
}

/** Every event Baton sends carries a `custom_id` with this prefix, so its echo can be recognised. */
export const BATON_CUSTOM_ID_PREFIX = 'baton:';

/** What a LiveChat handoff keeps in `DeskSession.data`. */
export const livechatSessionDataSchema = z.object({
  /** The customer identity (`entity_id`) created for this handoff; LiveChat's `author_id` of our events. */
  customerId: z.string().min(1),
  /** The OAuth client the agent token belongs to, needed to refresh the customer token. */
  clientId: z.string().min(1),
  threadId: z.string().optional(),
  /** Customer access token (8 h) and when it expires (epoch ms); refreshed when it runs out. */
  customerToken: z.string().min(1).optional(),
  customerTokenExpiresAt: z.number().optional(),
});
export type LivechatSessionData = z.infer<typeof livechatSessionDataSchema>;

/**
 * True when a LiveChat `agent_message` is in fact the customer identity Baton speaks through,
 * i.e. our own message echoed back. The webhook route already drops events that carry our
 * `custom_id`, and the webhook should be registered with `filters.author_type: "agent"`; this is
 * the last line, for the DeskInbound implementation, which can see the session.
 */
export function isOwnCustomerEcho(session: DeskSession, event: DeskEvent): boolean {
  return event.type === 'agent_message' && event.agentId !== undefined && event.agentId === session.data['customerId'];
}

// ---------------------------------------------------------------------------------------------
// Webhooks (LiveChat → us). No signature header: the registered `secret_key` travels in the body.

export const livechatWebhookSchema = z.looseObject({
  webhook_id: z.string(),
  secret_key: z.string(),
  action: z.string().min(1),
  organization_id: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  additional_data: z.record(z.string(), z.unknown()).optional(),
});

export const incomingEventPayloadSchema = z.looseObject({
  chat_id: z.string().min(1),
  thread_id: z.string().min(1),
  event: z.looseObject({
    id: z.string().min(1),
    type: z.string().min(1),
    text: z.string().optional(),
    author_id: z.string().optional(),
    created_at: z.string().optional(),
    visibility: z.enum(['all', 'agents']).optional(),
    custom_id: z.string().optional(),
  }),
});

export const chatDeactivatedPayloadSchema = z.looseObject({
  chat_id: z.string().min(1),
  thread_id: z.string().min(1),
  user_id: z.string().optional(),
});
