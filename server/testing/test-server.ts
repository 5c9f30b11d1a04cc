// Test kit for the HTTP API (`@baton/server/testing`): a real app on a fresh, migrated SQLite file,
// with the Temporal boundary replaced by an injected in-memory ConversationClient. Not a test file itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  ConversationClosedError,
  type AgentMessage,
  type ConversationClient,
  type ConversationInput,
  type InboundMessage,
  type PendingReply,
  type TurnReply,
} from '@baton/engine/client';
import { builtinNodes, createRegistry, type AnyNodeDefinition, type FlowDocument } from '@baton/nodes';
import { createApp, createServices, type AppDeps } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { SESSION_COOKIE } from '../src/features/auth/auth.service.js';
import { ConversationEvents } from '../src/features/conversations/conversation-events.js';
import type { AuthUser, Role } from '../src/http/principal.js';
import type { Logger } from '../src/log.js';
import { createSecretBox } from '../src/security/secret-box.js';

export type EngineCall =
  | { method: 'start'; input: ConversationInput }
  | { method: 'send'; input: ConversationInput; message: InboundMessage }
  | { method: 'sendAndWait'; input: ConversationInput; message: InboundMessage; timeoutMs: number }
  | { method: 'takeover'; conversationId: string; agentId?: string }
  | { method: 'agentMessage'; conversationId: string; message: AgentMessage }
  | { method: 'handBack'; conversationId: string }
  | { method: 'requestHuman'; conversationId: string }
  | { method: 'leaveHumans'; conversationId: string }
  | { method: 'setUser'; conversationId: string; user: { email?: string; name?: string; externalId?: string } }
  | { method: 'reopen'; input: ConversationInput; agentId?: string; messageSeq?: number }
  | { method: 'close'; conversationId: string; by: string }
  | { method: 'switchBot'; conversationId: string; on: boolean; notice: string };

/**
 * How the engine stand-in behaves: `answer` echoes, `pending` makes `sendAndWait` time out,
 * `closed` throws ConversationClosedError and `error` a plain Error (an unexpected failure) from
 * start, send and sendAndWait.
 */
export type EngineMode = 'answer' | 'pending' | 'closed' | 'error';

/** A stand-in for the Temporal boundary: records what the server asked of it. */
export class RecordingEngine implements ConversationClient {
  readonly calls: EngineCall[] = [];
  mode: EngineMode = 'answer';
  private readonly failures = new Map<EngineCall['method'], Error[]>();

  private fail(conversationId: string): void {
    if (this.mode === 'closed') throw new ConversationClosedError(`conversation ${conversationId} is closed`);
    if (this.mode === 'error') throw new Error(`engine exploded while handling ${conversationId}`);
  }

  /**
   * The next `times` calls of `method` throw `error` (after being recorded): e.g. a signal to a
   * workflow that ended meanwhile (ConversationClosedError) or an unreachable Temporal (Error).
   */
  failNext(method: EngineCall['method'], error: Error, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array.from({ length: times }, () => error)]);
  }

  private injected(method: EngineCall['method']): void {
    const error = this.failures.get(method)?.shift();
    if (error) throw error;
  }

  callsOf<M extends EngineCall['method']>(method: M): Extract<EngineCall, { method: M }>[] {
    return this.calls.filter((call): call is Extract<EngineCall, { method: M }> => call.method === method);
  }

  async start(input: ConversationInput): Promise<void> {
    this.calls.push({ method: 'start', input });
    this.fail(input.conversation.id);
  }

  async send(input: ConversationInput, message: InboundMessage): Promise<void> {
    this.calls.push({ method: 'send', input, message });
    this.fail(input.conversation.id);
  }

  async sendAndWait(input: ConversationInput, message: InboundMessage, options: { timeoutMs: number }): Promise<TurnReply | PendingReply> {
    this.calls.push({ method: 'sendAndWait', input, message, timeoutMs: options.timeoutMs });
    this.fail(input.conversation.id);
    if (this.mode === 'pending') return { status: 'pending', replies: [] };
    return { status: 'answered', replies: [{ id: `${message.id}-reply`, text: `echo: ${message.text}` }], conversationStatus: 'bot' };
  }

  async takeover(conversationId: string, agentId?: string): Promise<void> {
    this.calls.push({ method: 'takeover', conversationId, ...(agentId ? { agentId } : {}) });
    this.injected('takeover');
  }

  async agentMessage(conversationId: string, message: AgentMessage): Promise<void> {
    this.calls.push({ method: 'agentMessage', conversationId, message });
    this.injected('agentMessage');
  }

  async handBack(conversationId: string): Promise<void> {
    this.calls.push({ method: 'handBack', conversationId });
    this.injected('handBack');
  }

  async requestHuman(conversationId: string): Promise<void> {
    this.calls.push({ method: 'requestHuman', conversationId });
    this.injected('requestHuman');
  }

  async leaveHumans(conversationId: string): Promise<void> {
    this.calls.push({ method: 'leaveHumans', conversationId });
    this.injected('leaveHumans');
  }

  async setUser(conversationId: string, user: { email?: string; name?: string; externalId?: string }): Promise<void> {
    this.calls.push({ method: 'setUser', conversationId, user });
    this.injected('setUser');
  }

  async reopen(input: ConversationInput, agentId?: string, messageSeq?: number): Promise<void> {
    this.calls.push({ method: 'reopen', input, ...(agentId ? { agentId } : {}), ...(messageSeq ? { messageSeq } : {}) });
    this.injected('reopen');
  }

  async close(conversationId: string, by: 'user' | 'agent' | 'system'): Promise<void> {
    this.calls.push({ method: 'close', conversationId, by });
    this.injected('close');
  }

  async switchBot(conversationId: string, change: { on: boolean; notice: string }): Promise<void> {
    this.calls.push({ method: 'switchBot', conversationId, ...change });
    this.injected('switchBot');
  }

  async snapshot(): Promise<undefined> {
    return undefined;
  }
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  error?: unknown;
}

/** Prints nothing; keeps what was logged so tests can look. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (message) => void entries.push({ level: 'info', message }),
    warn: (message) => void entries.push({ level: 'warn', message }),
    error: (message, error) => void entries.push({ level: 'error', message, error }),
  };
}

export type Caller = Role | 'anonymous' | { bearer: string } | { cookie: string };

export interface JsonResponse {
  status: number;
  /** Parsed JSON; the raw text when the body is not JSON; `undefined` when empty. */
  body: any;
  text: string;
  headers: Headers;
}

export interface TestServerOptions {
  /** BATON_API_TOKEN. */
  apiToken?: string;
  /** What `GET /healthz` learns about Temporal. */
  checkTemporal?: () => Promise<boolean>;
  /** Node definitions installed beside the built-ins, as node packages would add them. */
  extraNodes?: readonly AnyNodeDefinition[];
  /** A built editor to serve (index.html, chat.html). */
  editorDir?: string;
}

export const TEST_PASSWORDS: Record<Role, string> = {
  owner: 'owner-password-1',
  builder: 'builder-password-1',
  agent: 'agent-password-1',
};

const ROLE_LIST: Role[] = ['owner', 'builder', 'agent'];

export type TestServer = Awaited<ReturnType<typeof createTestServer>>;

/**
 * A fresh server: its own SQLite file (migrations applied), a random secret key, the built-in
 * nodes (and `extraNodes`), and one user per role with an API token each.
 */
export async function createTestServer(options: TestServerOptions = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-server-test-'));
  const db = openDatabase(path.join(dir, 'baton.db'));
  const engine = new RecordingEngine();
  const events = new ConversationEvents();
  const log = recordingLogger();
  const registry = createRegistry([...builtinNodes, ...(options.extraNodes ?? [])]);
  const deps: AppDeps = {
    db,
    registry,
    engine,
    events,
    secretBox: createSecretBox(randomBytes(32)),
    log,
    checkTemporal: options.checkTemporal ?? (async () => true),
    ...(options.apiToken ? { apiToken: options.apiToken } : {}),
    ...(options.editorDir ? { editorDir: options.editorDir } : {}),
  };
  const services = createServices(deps);
  const app = createApp(deps, services);

  const users = {} as Record<Role, AuthUser>;
  const tokens = {} as Record<Role, string>;
  // scrypt runs on the libuv pool: hashing the three passwords at once keeps setup short.
  const created = await Promise.all(
    ROLE_LIST.map((role) => services.auth.createUser({ email: `${role}@test.local`, name: role, role, password: TEST_PASSWORDS[role] })),
  );
  for (const user of created) {
    users[user.role] = user;
    tokens[user.role] = services.auth.createApiToken(user.id, `${user.role} test token`).token;
  }

  const as = (caller: Caller): Record<string, string> => {
    if (caller === 'anonymous') return {};
    if (typeof caller === 'string') return { authorization: `Bearer ${tokens[caller]}` };
    if ('bearer' in caller) return { authorization: `Bearer ${caller.bearer}` };
    return { cookie: caller.cookie.includes('=') ? caller.cookie : `${SESSION_COOKIE}=${caller.cookie}` };
  };

  const toHeaders = (headers: Record<string, string> | Caller | undefined): Record<string, string> => {
    if (headers === undefined) return {};
    if (typeof headers === 'string' || 'bearer' in headers || ('cookie' in headers && Object.keys(headers).length === 1)) return as(headers as Caller);
    return headers as Record<string, string>;
  };

  /** A JSON request; `body` is serialised unless it is already a string. */
  const json = async (method: string, pathname: string, body?: unknown, headers?: Record<string, string> | Caller): Promise<JsonResponse> => {
    const extra = toHeaders(headers);
    const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await app.request(pathname, init);
    return readJson(res);
  };

  /** Logs in for real; returns the session cookie as `name=value`. */
  const login = async (email: string, password: string): Promise<string> => {
    const res = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login failed with ${res.status}: ${await res.text()}`);
    const cookie = sessionCookie(res);
    if (!cookie) throw new Error('login set no session cookie');
    return cookie;
  };

  /**
   * Every table's rows, sorted, as one comparable value. `except` leaves out columns
   * (`table.column`), e.g. `api_tokens.last_used_at`, which every API-token request stamps.
   */
  const snapshot = (snapshotOptions: { except?: string[] } = {}): Record<string, Record<string, unknown>[]> => {
    const except = new Set(snapshotOptions.except ?? []);
    const tables = db.$client
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as { name: string }[];
    const dump: Record<string, Record<string, unknown>[]> = {};
    for (const { name } of tables) {
      const rows = db.$client.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      const kept = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !except.has(`${name}.${column}`))));
      dump[name] = kept.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    }
    return dump;
  };

  /** Creates a bot through the API (as the owner) and returns its id. */
  const createBot = async (name = 'Test bot'): Promise<string> => {
    const res = await json('POST', '/api/bots', { name }, 'owner');
    if (res.status !== 201) throw new Error(`creating a bot failed with ${res.status}: ${res.text}`);
    return res.body.id as string;
  };

  /** A bot with a published flow, switched on for live channels: ready for conversations. */
  const createLiveBot = async (name = 'Live bot', flow?: FlowDocument): Promise<string> => {
    const botId = await createBot(name);
    if (flow) await expectStatus(json('PUT', `/api/bots/${botId}/flow`, flow, 'owner'), 200);
    await expectStatus(json('POST', `/api/bots/${botId}/publish`, undefined, 'owner'), 201);
    await expectStatus(json('PUT', `/api/bots/${botId}/settings`, { enabled: true }, 'owner'), 200);
    return botId;
  };

  /** Opens a conversation as an end user; returns its id and token. */
  const openConversation = async (botId: string, body: unknown = {}): Promise<{ conversationId: string; token: string; flowVersion: number }> => {
    const res = await expectStatus(json('POST', `/api/bots/${botId}/conversations`, body), 201);
    return res.body as { conversationId: string; token: string; flowVersion: number };
  };

  const close = async (): Promise<void> => {
    // Event streams end a moment after their reader goes away; let them stop before the file does.
    const deadline = Date.now() + 3000;
    while (events.subscriberCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  };

  return {
    app,
    db,
    services,
    engine,
    events,
    log,
    registry,
    users,
    tokens,
    passwords: TEST_PASSWORDS,
    as,
    json,
    login,
    snapshot,
    createBot,
    createLiveBot,
    openConversation,
    close,
  };
}

export async function readJson(res: Response): Promise<JsonResponse> {
  const text = await res.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body, text, headers: res.headers };
}

async function expectStatus(pending: Promise<JsonResponse>, status: number): Promise<JsonResponse> {
  const res = await pending;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res;
}

/** The session cookie a response sets, as `name=value`. */
export function sessionCookie(res: Response): string | undefined {
  const header = res.headers.get('set-cookie') ?? '';
  const match = new RegExp(`(?:^|,\\s*)(${SESSION_COOKIE}=[^;]*)`).exec(header);
  return match?.[1];
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * Reads server-sent events from a response until `until` says enough (or `timeoutMs` passes),
 * then disconnects, as a browser closing the page would.
 */
export async function readSse(res: Response, until: (events: SseEvent[]) => boolean, timeoutMs = 3000): Promise<SseEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    while (!until(events)) {
      const chunk = await Promise.race([reader.read(), timeout]);
      if (chunk === 'timeout' || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        const data: string[] = [];
        let isComment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          isComment = false;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event.event = value;
          else if (field === 'id') event.id = value;
          else if (field === 'data') data.push(value);
        }
        if (isComment) continue;
        event.data = data.join('\n');
        events.push(event);
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

/** A flow that passes validation: start → send_message → end. */
export function simpleFlow(name = 'Simple', text = 'Hello!'): FlowDocument {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
      { id: 'hello', type: 'send_message', config: { text }, position: { x: 200, y: 0 } },
      { id: 'bye', type: 'end', config: {}, position: { x: 400, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
      { id: 'e2', source: 'hello', sourcePort: 'next', target: 'bye' },
    ],
    settings: { fallbackMessage: "Sorry, I didn't get that.", onError: 'handoff', burstWindowMs: 0 },
  } as FlowDocument;
}

/** A flow document with an error (an unknown node type): saveable as a draft, not publishable. */
export function flowWithErrors(name = 'Broken'): FlowDocument {
  const flow = simpleFlow(name);
  return { ...flow, nodes: [...flow.nodes, { id: 'mystery', type: 'no_such_node', config: {}, position: { x: 0, y: 200 } }] } as FlowDocument;
}
