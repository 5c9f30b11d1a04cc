import type { FlowDocumentInput } from '@baton/nodes';

export interface JsonResponse {
  status: number;
  body: any;
}

/** One JSON call; `timeoutMs` bounds it (a hung call counts as an error, never blocks the run). */
export async function call(
  baseUrl: string,
  method: string,
  pathname: string,
  options: { body?: unknown; bearer?: string; timeoutMs?: number } = {},
): Promise<JsonResponse> {
  const response = await fetch(new URL(pathname, baseUrl), {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { raw: text.slice(0, 500) };
  }
  return { status: response.status, body };
}

function expectStatus(what: string, response: JsonResponse, ...statuses: number[]): JsonResponse {
  if (!statuses.includes(response.status)) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  return response;
}

/** Creates a bot with this flow as its draft; `publish` also publishes it and switches it on. */
export async function createBot(baseUrl: string, token: string, flow: FlowDocumentInput, options: { publish: boolean }): Promise<string> {
  const created = expectStatus('create bot', await call(baseUrl, 'POST', '/api/bots', { body: { name: flow.name }, bearer: token }), 201);
  const botId = String(created.body.id);
  const saved = expectStatus('save flow', await call(baseUrl, 'PUT', `/api/bots/${botId}/flow`, { body: flow, bearer: token, timeoutMs: 60_000 }), 200);
  if (!options.publish) return botId;
  const errors = (saved.body.issues as { severity: string }[]).filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`the flow has errors: ${JSON.stringify(errors)}`);
  expectStatus('publish', await call(baseUrl, 'POST', `/api/bots/${botId}/publish`, { bearer: token }), 201);
  const settings = expectStatus('read settings', await call(baseUrl, 'GET', `/api/bots/${botId}/settings`, { bearer: token }), 200).body;
  expectStatus('switch on', await call(baseUrl, 'PUT', `/api/bots/${botId}/settings`, { body: { ...settings, enabled: true }, bearer: token }), 200);
  return botId;
}

export interface Conversation {
  id: string;
  /** The end user's bearer token (Baton); empty for the floor. */
  token: string;
}

/** Opens a conversation as a widget would (Baton: the workflow starts and greets). */
export async function openConversation(baseUrl: string, botId: string): Promise<Conversation> {
  const opened = expectStatus('open conversation', await call(baseUrl, 'POST', `/api/bots/${botId}/conversations`, { body: {} }), 201);
  return { id: String(opened.body.conversationId), token: String(opened.body.token) };
}

export interface Exchange {
  ok: boolean;
  ms: number;
  /** Wall-clock (Unix ms, sub-ms precision) at which the request left and the answer was read. */
  sentAt: number;
  answeredAt: number;
  replies: string[];
  error?: string;
}

export const wallClock = (): number => performance.timeOrigin + performance.now();

/**
 * `POST <messagesPath>?wait=true` and the bot's replies; `ok` when it answered with 200 and not
 * `pending`. The timing is the HTTP round trip seen by the client.
 */
export async function sendAndWait(baseUrl: string, messagesPath: string, text: string, clientMessageId: string, bearer: string | undefined, timeoutMs = 30_000): Promise<Exchange> {
  const sentAt = wallClock();
  const started = performance.now();
  try {
    const response = await call(baseUrl, 'POST', `${messagesPath}?wait=true`, { body: { text, clientMessageId }, ...(bearer ? { bearer } : {}), timeoutMs });
    const ms = performance.now() - started;
    const answeredAt = wallClock();
    const replies = Array.isArray(response.body.replies) ? (response.body.replies as { text: string }[]).map((r) => r.text) : [];
    if (response.status !== 200) return { ok: false, ms, sentAt, answeredAt, replies, error: `HTTP ${response.status} ${JSON.stringify(response.body).slice(0, 200)}` };
    if (response.body.pending) return { ok: false, ms, sentAt, answeredAt, replies, error: 'pending' };
    return { ok: true, ms, sentAt, answeredAt, replies };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, sentAt, answeredAt: wallClock(), replies: [], error: String(error) };
  }
}

/** The transcript of a Baton conversation, oldest first (up to 500 messages). */
export async function transcript(baseUrl: string, conversation: Conversation): Promise<{ role: string; text: string }[]> {
  const response = expectStatus('transcript', await call(baseUrl, 'GET', `/api/conversations/${conversation.id}/messages?limit=500`, { bearer: conversation.token }), 200);
  return response.body.messages as { role: string; text: string }[];
}
