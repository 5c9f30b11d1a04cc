import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import type { FlowDocumentInput } from '@baton/nodes';
import { apiClient, startBaton, type BatonProcess } from '../support/baton-process.js';
import { temporalAddress, uniqueName } from '../support/temporal.js';

// Scenarios of a file run side by side (each on its own bot, desk fake and conversation): the
// handoff clocks (5 s waits, the session timeout, retries of a failing desk) overlap instead of
// adding up.
vi.setConfig({ maxConcurrency: 32 });

export const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };
export type Api = ReturnType<typeof apiClient>;

/** The wait for a human in every flow here: the schema's minimum. */
export const WAIT_TIMEOUT_SECONDS = 5;

/** What the test flows say, so that transcripts read as the scenario. */
export const LINES = {
  greeting: 'Hi! Ask me anything.',
  echo: (text: string) => `Echo: ${text}`,
  resolved: 'The bot again: anything else?',
  noAgent: 'Nobody could take your chat. [no_agent branch]',
  offHours: 'We are closed. [off_hours branch]',
  offHoursPreset: 'Our team is away; we answer from 9:00 UTC.',
  unavailable: 'The desk cannot be reached; the bot stays with you. [unavailable branch]',
  waitTimer: 'Are you still there? [the wait timer fired]',
  goodbye: 'Goodbye!',
  // DEFAULT_HANDOFF_TEXTS (nodes/src/sdk/step.ts): what users read today.
  waiting: 'I am connecting you with a person. Please stay here; they will answer in this chat.',
  keepWaiting: 'Nobody is free yet. Do you want to keep waiting?',
  stillWaiting: 'OK, I am still looking for someone.',
  emailPrompt: 'Before I connect you with a person: what is your email address?',
  emailInvalid: 'That does not look like an email address. Could you check it?',
  leaveMessage: 'Nobody is available right now. Leave your message here and we will get back to you.',
  messageLeft: 'Thank you, your message has been passed on.',
  sessionEnded: 'The conversation with our team has ended.',
} as const;

export interface HandoffNode {
  type: 'escalate' | 'assign_to_user';
  config: Record<string, unknown>;
}

/**
 * Greets, then answers every message with an echo until the user asks for a "human" (the handoff
 * node) or says "bye". Every exit of the handoff node says which one it is and waits again, so
 * "the bot continues" is visible in the transcript.
 */
export function handoffFlow(node: HandoffNode, options: { askTimeoutSeconds?: number } = {}): FlowDocumentInput {
  const exits: [string, string][] = [
    ['resolved', LINES.resolved],
    ['no_agent', LINES.noAgent],
    ['off_hours', LINES.offHours],
    ...(node.type === 'escalate' ? ([['unavailable', LINES.unavailable]] as [string, string][]) : []),
  ];
  return {
    schemaVersion: 1,
    name: `Handoff to ${node.type === 'escalate' ? String(node.config['provider']) : 'the inbox'}`,
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'hello', type: 'send_message', config: { text: LINES.greeting } },
      { id: 'ask', type: 'wait_for_reply', config: { timeoutSeconds: options.askTimeoutSeconds ?? 3600, saveAs: 'question' } },
      {
        id: 'route',
        type: 'condition',
        config: {
          rules: [
            { port: 'human', variable: 'question', op: 'contains', value: 'human' },
            { port: 'bye', variable: 'question', op: 'contains', value: 'bye' },
          ],
        },
      },
      { id: 'echo', type: 'send_message', config: { text: 'Echo: {{question}}' } },
      { id: 'humans', type: node.type, config: { offHoursMessage: LINES.offHoursPreset, ...node.config } },
      ...exits.map(([port, text]) => ({ id: `after-${port}`, type: 'send_message', config: { text } })),
      { id: 'idle', type: 'end', config: { message: LINES.waitTimer } },
      { id: 'goodbye', type: 'end', config: { message: LINES.goodbye } },
    ],
    edges: [
      { id: 'e-start', source: 'start', sourcePort: 'next', target: 'hello' },
      { id: 'e-hello', source: 'hello', sourcePort: 'next', target: 'ask' },
      { id: 'e-ask', source: 'ask', sourcePort: 'replied', target: 'route' },
      { id: 'e-idle', source: 'ask', sourcePort: 'timeout', target: 'idle' },
      { id: 'e-human', source: 'route', sourcePort: 'human', target: 'humans' },
      { id: 'e-bye', source: 'route', sourcePort: 'bye', target: 'goodbye' },
      { id: 'e-else', source: 'route', sourcePort: 'else', target: 'echo' },
      { id: 'e-echo', source: 'echo', sourcePort: 'next', target: 'ask' },
      ...exits.flatMap(([port]) => [
        { id: `e-${port}`, source: 'humans', sourcePort: port, target: `after-${port}` },
        { id: `e-${port}-ask`, source: `after-${port}`, sourcePort: 'next', target: 'ask' },
      ]),
    ],
    settings: { burstWindowMs: 0 },
  };
}

/** Service hours closed now: one window three days ahead (its start is `nextOpenAt`). */
export function closedServiceHours(): { hours: Record<string, unknown>; nextOpenAt: string } {
  const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  return {
    hours: { timezone: 'UTC', rules: [{ kind: 'date', date, start: '09:00', end: '10:00' }] },
    nextOpenAt: `${date}T09:00:00.000Z`,
  };
}

export interface HandoffStack {
  baton: BatonProcess;
  url: string;
  /** Logged in as the owner. */
  owner: Api;
  /** The smallest `sessionTimeoutSeconds` the handoff nodes accept, read from the palette. */
  sessionTimeoutSeconds: number;
  /** Creates a bot with this flow published and these settings (merged over the defaults), switched on. */
  createBot(input: { name?: string; flow: FlowDocumentInput; settings?: Record<string, unknown> }): Promise<string>;
  /** Opens a conversation as a widget would. */
  visitor(botId: string, user?: { email?: string; name?: string; externalId?: string }): Promise<Visitor>;
  stop(): Promise<number | null>;
}

/** Starts `baton start` on the tests' Temporal dev server, with its own data folder and task queue. */
export async function startHandoffStack(env: Record<string, string> = {}): Promise<HandoffStack> {
  const baton = await startBaton({
    BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-handoff-')),
    TEMPORAL_ADDRESS: temporalAddress(),
    BATON_TASK_QUEUE: uniqueName('handoff'),
    BATON_OWNER_EMAIL: OWNER.email,
    BATON_OWNER_PASSWORD: OWNER.password,
    ...env,
  });
  const owner = apiClient(baton.url);
  expect((await owner.login(OWNER.email, OWNER.password)).status).toBe(200);
  const palette = (await owner.call('GET', '/api/node-types')).body.nodeTypes as { type: string; configSchema: { properties: Record<string, { minimum?: number }> } }[];
  const minimum = palette.find((n) => n.type === 'escalate')?.configSchema.properties['sessionTimeoutSeconds']?.minimum;
  if (minimum === undefined) throw new Error('the palette gives no minimum for sessionTimeoutSeconds');

  const stack: HandoffStack = {
    baton,
    url: baton.url,
    owner,
    sessionTimeoutSeconds: Number(minimum),
    async createBot({ name, flow, settings = {} }) {
      const created = await owner.call('POST', '/api/bots', { name: name ?? flow.name });
      expect(created.status).toBe(201);
      const botId = created.body.id as string;
      const saved = await owner.call('PUT', `/api/bots/${botId}/flow`, flow);
      expect(saved.status).toBe(200);
      expect(saved.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
      expect((await owner.call('POST', `/api/bots/${botId}/publish`)).status).toBe(201);
      const current = (await owner.call('GET', `/api/bots/${botId}/settings`)).body;
      const put = await owner.call('PUT', `/api/bots/${botId}/settings`, { ...current, ...settings, enabled: true });
      if (put.status !== 200) throw new Error(`settings refused: ${JSON.stringify(put.body)}`);
      return botId;
    },
    visitor: (botId, user) => Visitor.open(baton.url, botId, user),
    stop: () => baton.stop(),
  };
  return stack;
}

export interface TurnAnswer {
  status: 'answered' | 'relayed' | 'duplicate' | 'closed' | 'pending';
  replies: { id: string; text: string; quickReplies?: string[] }[];
  conversationStatus?: string;
  pending: boolean;
}

/** The end user, through the public API only (bearer conversation token), as the widget does. */
export class Visitor {
  private sent = 0;
  private readonly api: Api;
  readonly auth: Record<string, string>;

  private constructor(
    readonly url: string,
    readonly botId: string,
    readonly id: string,
    token: string,
  ) {
    this.api = apiClient(url);
    this.auth = { authorization: `Bearer ${token}` };
  }

  static async open(url: string, botId: string, user?: { email?: string; name?: string; externalId?: string }): Promise<Visitor> {
    const opened = await apiClient(url).call('POST', `/api/bots/${botId}/conversations`, user ? { user } : {});
    if (opened.status !== 201) throw new Error(`could not open a conversation: ${JSON.stringify(opened.body)}`);
    const visitor = new Visitor(url, botId, opened.body.conversationId as string, opened.body.token as string);
    await visitor.until((lines) => lines.includes(`bot: ${LINES.greeting}`));
    return visitor;
  }

  /** Sends a message and waits for the bot's answer to it (`?wait=true`). */
  async say(text: string): Promise<TurnAnswer> {
    const response = await this.api.call('POST', `/api/conversations/${this.id}/messages?wait=true`, { text, clientMessageId: `m${++this.sent}` }, this.auth);
    if (response.status !== 200) throw new Error(`message refused (${response.status}): ${JSON.stringify(response.body)}`);
    return response.body as TurnAnswer;
  }

  /** The transcript as `role: text` lines. */
  async transcript(): Promise<string[]> {
    const response = await this.api.call('GET', `/api/conversations/${this.id}/messages?limit=500`, undefined, this.auth);
    return (response.body.messages as { role: string; text: string }[]).map((m) => `${m.role}: ${m.text}`);
  }

  async messages(): Promise<{ id: string; role: string; text: string; quickReplies?: string[] }[]> {
    return (await this.api.call('GET', `/api/conversations/${this.id}/messages?limit=500`, undefined, this.auth)).body.messages;
  }

  /** The conversation's status: bot, queued, agent or closed. */
  async status(): Promise<string> {
    return (await this.api.call('GET', `/api/conversations/${this.id}`, undefined, this.auth)).body.status as string;
  }

  /** Polls the transcript until `done` holds. */
  until(done: (lines: string[]) => boolean, timeoutMs = 20_000): Promise<string[]> {
    return eventually(() => this.transcript(), done, { timeoutMs, what: `the transcript of ${this.id}` });
  }

  untilStatus(status: string, timeoutMs = 20_000): Promise<string> {
    return eventually(() => this.status(), (s) => s === status, { timeoutMs, what: `status ${status} of ${this.id}` });
  }

  async leaveHumans(): Promise<void> {
    const response = await this.api.call('POST', `/api/conversations/${this.id}/leave-humans`, undefined, this.auth);
    expect(response.status).toBe(202);
  }

  async requestHuman(): Promise<void> {
    const response = await this.api.call('POST', `/api/conversations/${this.id}/request-human`, undefined, this.auth);
    expect(response.status).toBe(202);
  }

  async setUser(user: { email?: string; name?: string }): Promise<void> {
    const response = await this.api.call('PUT', `/api/conversations/${this.id}/user`, user, this.auth);
    expect(response.status).toBe(200);
  }
}

/** Polls `read` until `done` holds; fails with the last value seen. */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, options: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}; last seen: ${JSON.stringify(value, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves once `ms` have passed since `since` (for proving that a timer did NOT fire). */
export async function until(since: number, ms: number): Promise<void> {
  const left = since + ms - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

const botLines = (lines: string[]): string[] => lines.filter((l) => l.startsWith('bot: '));

// ---------------------------------------------------------------------------------------------
// The scenarios every external desk must pass

/** What a desk's fake saw of one of our conversations, normalised across desks. */
export interface DeskView {
  /** The user's email as the desk knows it (contact, customer, or the establish call). */
  email: string | undefined;
  /** The history handed over, oldest first, as `user: …` / `bot: …`, ending with the latest question. */
  history: string[];
  /** User messages relayed to the desk after the handover, in order. */
  relayed: string[];
  /** Whether Baton closed the desk's side, and why when the desk is told (webhook desk, Intercom). */
  closed: false | 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED' | 'closed';
}

export interface DeskFake {
  /** The desk's block of the bot settings (`desks[kind]`), pointing at the fake. */
  config: Record<string, unknown>;
  /** Called once the bot exists (LiveChat registers its webhooks to the bot's URL). */
  connect(botId: string): void;
  /** What the desk got for our conversation; undefined while it has none. */
  view(conversationId: string): DeskView | undefined;
  /** Requests the desk's API received from Baton, accepted or not. */
  requests(): number;
  /** A human writes to the user, through the desk's signed webhook; resolves once Baton accepted it. */
  humanSays(conversationId: string, text: string): Promise<void>;
  /** The human closes the conversation at the desk (its webhook to Baton). */
  humanCloses(conversationId: string): Promise<void>;
  close(): Promise<void>;
}

export interface DeskDriver {
  kind: 'intercom' | 'livechat' | 'webhook';
  /** Whether the desk is told why Baton closed (TIMEOUT / USER_CLOSED); LiveChat only deactivates. */
  closeReasons: boolean;
  /** A fresh fake for one scenario. `down`: establishing fails with 5xx every time; `unauthorized`: the credentials are refused (401). */
  start(stack: HandoffStack, options?: { broken?: 'down' | 'unauthorized' }): Promise<DeskFake>;
}

export interface DeskScenario {
  desk: DeskFake;
  botId: string;
}

/** A bot escalating to the desk of `driver`, with a fresh fake. */
export async function deskBot(
  stack: HandoffStack,
  driver: DeskDriver,
  options: { broken?: 'down' | 'unauthorized'; escalate?: Record<string, unknown>; settings?: Record<string, unknown>; askTimeoutSeconds?: number } = {},
): Promise<DeskScenario> {
  const desk = await driver.start(stack, options.broken ? { broken: options.broken } : {});
  const flow = handoffFlow(
    {
      type: 'escalate',
      config: { provider: driver.kind, waitTimeoutSeconds: WAIT_TIMEOUT_SECONDS, sessionTimeoutSeconds: 3600, historyRounds: 10, ...options.escalate },
    },
    options.askTimeoutSeconds === undefined ? {} : { askTimeoutSeconds: options.askTimeoutSeconds },
  );
  const botId = await stack.createBot({ flow, settings: { defaultDesk: driver.kind, desks: { [driver.kind]: desk.config }, ...options.settings } });
  desk.connect(botId);
  return { desk, botId };
}

/** Waits until the desk has the conversation (the handover is asynchronous to the user's turn). */
export function deskView(desk: DeskFake, conversationId: string, done: (view: DeskView) => boolean = () => true, timeoutMs = 20_000): Promise<DeskView> {
  return eventually(() => desk.view(conversationId), (view) => view !== undefined && done(view), { timeoutMs, what: `the desk's view of ${conversationId}` }) as Promise<DeskView>;
}

/**
 * Registers the transcript scenarios every desk must pass, on the real Baton process of the
 * calling file. Each scenario has its own bot and fake desk, so they run concurrently.
 */
export function deskScenarios(stack: () => HandoffStack, driver: DeskDriver): void {
  /** A bot and a fresh fake desk for one scenario; the fake closes when the scenario ends. */
  const bot = async (onTestFinished: (fn: () => Promise<void>) => void, options: Parameters<typeof deskBot>[2] = {}): Promise<DeskScenario> => {
    const scenario = await deskBot(stack(), driver, options);
    onTestFinished(() => scenario.desk.close());
    return scenario;
  };
  const closedBy = (reason: 'TIMEOUT' | 'USER_CLOSED') => (driver.closeReasons ? reason : 'closed');

  it.concurrent('queued → the human answers → the user is relayed → the human closes → resolved, and the bot continues', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished);
    const visitor = await stack().visitor(botId);

    const asked = await visitor.say('I need a human');
    expect(asked).toMatchObject({ status: 'answered', replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });
    expect(await visitor.status()).toBe('queued');
    await deskView(desk, visitor.id);
    // Waiting in the queue: what the user writes goes to the desk, and the bot stays quiet.
    expect(await visitor.say('Is anyone there?')).toMatchObject({ status: 'relayed', replies: [], conversationStatus: 'queued' });
    await deskView(desk, visitor.id, (v) => v.relayed.length === 1);

    await desk.humanSays(visitor.id, 'Hi, this is Ana from support. How can I help?');
    await visitor.untilStatus('agent');
    expect(await visitor.say('My parcel is late')).toMatchObject({ status: 'relayed', replies: [], conversationStatus: 'agent' });
    expect((await deskView(desk, visitor.id, (v) => v.relayed.length === 2)).relayed).toEqual(['Is anyone there?', 'My parcel is late']);
    await desk.humanSays(visitor.id, 'It arrives tomorrow.');

    await desk.humanCloses(visitor.id);
    await visitor.until((lines) => lines.includes(`bot: ${LINES.resolved}`));
    expect(await visitor.status()).toBe('bot');
    expect(await visitor.say('thanks')).toMatchObject({ status: 'answered', replies: [{ text: LINES.echo('thanks') }], conversationStatus: 'bot' });
    expect(await visitor.transcript()).toEqual([
      `bot: ${LINES.greeting}`,
      'user: I need a human',
      `bot: ${LINES.waiting}`,
      'user: Is anyone there?',
      'agent: Hi, this is Ana from support. How can I help?',
      'user: My parcel is late',
      'agent: It arrives tomorrow.',
      `bot: ${LINES.resolved}`,
      'user: thanks',
      `bot: ${LINES.echo('thanks')}`,
    ]);
    // The desk ended it: Baton has nothing to close.
    expect(desk.view(visitor.id)!.closed).toBe(false);
  });

  it.concurrent('nobody answers in time → "keep waiting" → a human answers after all', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished);
    const visitor = await stack().visitor(botId);
    const askedAt = Date.now();
    expect((await visitor.say('I need a human')).replies).toMatchObject([{ text: LINES.waiting }]);

    const question = await eventually(visitor.messages.bind(visitor), (messages) => messages.at(-1)?.text === LINES.keepWaiting, { what: 'the keep-waiting question' });
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(WAIT_TIMEOUT_SECONDS * 1000);
    expect(question.at(-1)).toMatchObject({ role: 'bot', quickReplies: ['Keep waiting', 'Stop'] });
    expect(await visitor.status()).toBe('queued');

    expect(await visitor.say('Keep waiting')).toMatchObject({ status: 'answered', replies: [{ text: LINES.stillWaiting }], conversationStatus: 'queued' });
    await desk.humanSays(visitor.id, 'Sorry for the wait! Ana here.');
    await visitor.untilStatus('agent');
    expect(await visitor.say('No problem')).toMatchObject({ status: 'relayed', conversationStatus: 'agent' });
    expect((await deskView(desk, visitor.id, (v) => v.relayed.includes('No problem'))).closed).toBe(false);
    expect(await visitor.transcript()).toEqual([
      `bot: ${LINES.greeting}`,
      'user: I need a human',
      `bot: ${LINES.waiting}`,
      `bot: ${LINES.keepWaiting}`,
      'user: Keep waiting',
      `bot: ${LINES.stillWaiting}`,
      'agent: Sorry for the wait! Ana here.',
      'user: No problem',
    ]);
  });

  it.concurrent('nobody answers in time → "stop" → the no_agent branch, and the desk is told the user left', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished);
    const visitor = await stack().visitor(botId);
    await visitor.say('I need a human');
    await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.keepWaiting}`);

    expect(await visitor.say('Stop')).toMatchObject({ status: 'answered', replies: [{ text: LINES.noAgent }], conversationStatus: 'bot' });
    await deskView(desk, visitor.id, (v) => v.closed !== false);
    expect(desk.view(visitor.id)!.closed).toBe(closedBy('USER_CLOSED'));
    expect(await visitor.say('ok then')).toMatchObject({ replies: [{ text: LINES.echo('ok then') }] });
    expect(await visitor.transcript()).toEqual([
      `bot: ${LINES.greeting}`,
      'user: I need a human',
      `bot: ${LINES.waiting}`,
      `bot: ${LINES.keepWaiting}`,
      'user: Stop',
      `bot: ${LINES.noAgent}`,
      'user: ok then',
      `bot: ${LINES.echo('ok then')}`,
    ]);
  });

  it.concurrent('off hours → the preset reply and the off_hours branch; the desk is not called', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished, { settings: { serviceHours: closedServiceHours().hours } });
    const visitor = await stack().visitor(botId);
    expect(await visitor.say('I need a human')).toMatchObject({
      status: 'answered',
      replies: [{ text: LINES.offHoursPreset }, { text: LINES.offHours }],
      conversationStatus: 'bot',
    });
    expect(desk.requests()).toBe(0);
    expect(await visitor.say('fine')).toMatchObject({ replies: [{ text: LINES.echo('fine') }] });
  });

  it.concurrent('desk down (5xx on every attempt) → retried, then the unavailable branch; the conversation goes on', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished, { broken: 'down' });
    const visitor = await stack().visitor(botId);
    const asked = await visitor.say('I need a human');
    // Retries with backoff may outlast ?wait=true: then the answer comes later.
    if (!asked.pending) expect(asked.replies).toMatchObject([{ text: LINES.unavailable }]);
    await visitor.until((lines) => lines.includes(`bot: ${LINES.unavailable}`), 60_000);
    expect(desk.requests()).toBeGreaterThanOrEqual(5);
    expect(await visitor.status()).toBe('bot');
    expect(await visitor.say('never mind')).toMatchObject({ status: 'answered', replies: [{ text: LINES.echo('never mind') }], conversationStatus: 'bot' });
    expect(await visitor.transcript()).toEqual([
      `bot: ${LINES.greeting}`,
      'user: I need a human',
      `bot: ${LINES.unavailable}`,
      'user: never mind',
      `bot: ${LINES.echo('never mind')}`,
    ]);
  });

  it.concurrent('the desk refuses the credentials (401) → the unavailable branch at once, without retrying', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished, { broken: 'unauthorized' });
    const visitor = await stack().visitor(botId);
    expect(await visitor.say('I need a human')).toMatchObject({ status: 'answered', replies: [{ text: LINES.unavailable }], conversationStatus: 'bot' });
    expect(desk.requests()).toBe(1);
    expect(await visitor.say('ok')).toMatchObject({ replies: [{ text: LINES.echo('ok') }] });
  });

  it.concurrent("session timeout: the user stays silent after the human's last message → the session ends, the desk is closed (TIMEOUT), the bot continues", async ({ expect, onTestFinished }) => {
    const timeout = stack().sessionTimeoutSeconds;
    const { desk, botId } = await bot(onTestFinished, { escalate: { sessionTimeoutSeconds: timeout } });
    const visitor = await stack().visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    await desk.humanSays(visitor.id, 'Hello, Ana here.');
    expect(await visitor.say('Hi Ana')).toMatchObject({ status: 'relayed' });
    await deskView(desk, visitor.id, (v) => v.relayed.length === 1);
    // The clock starts again from the human's last message.
    await desk.humanSays(visitor.id, 'Anything else I can do?');
    const lastHumanMessage = Date.now();

    await visitor.until((lines) => lines.includes(`bot: ${LINES.resolved}`), (timeout + 20) * 1000);
    expect(Date.now() - lastHumanMessage).toBeGreaterThanOrEqual(timeout * 1000 - 1000);
    expect((await deskView(desk, visitor.id, (v) => v.closed !== false)).closed).toBe(closedBy('TIMEOUT'));
    expect(await visitor.status()).toBe('bot');
    expect((await visitor.transcript()).slice(2)).toEqual([
      `bot: ${LINES.waiting}`,
      'agent: Hello, Ana here.',
      'user: Hi Ana',
      'agent: Anything else I can do?',
      `bot: ${LINES.sessionEnded}`,
      `bot: ${LINES.resolved}`,
    ]);
  });

  it.concurrent('the user leaves the humans → the desk is told (USER_CLOSED) and the bot continues', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished);
    const visitor = await stack().visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    await desk.humanSays(visitor.id, 'Hello, Ana here.');
    await visitor.untilStatus('agent');

    await visitor.leaveHumans();
    await visitor.until((lines) => lines.includes(`bot: ${LINES.resolved}`));
    expect((await deskView(desk, visitor.id, (v) => v.closed !== false)).closed).toBe(closedBy('USER_CLOSED'));
    expect(await visitor.status()).toBe('bot');
    expect(await visitor.say('hello bot')).toMatchObject({ status: 'answered', replies: [{ text: LINES.echo('hello bot') }] });
  });

  it.concurrent('email: asked (and checked) when unknown; skipped when the conversation has it or the widget set it', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished, { escalate: { requireEmail: true } });
    const [asking, known, setLater] = await Promise.all([
      stack().visitor(botId),
      stack().visitor(botId, { email: 'Bob@Example.com', name: 'Bob' }),
      stack().visitor(botId),
    ]);
    await setLater.setUser({ email: 'cy@example.com' });

    const [first, second, third] = await Promise.all([asking.say('I need a human'), known.say('I need a human'), setLater.say('I need a human')]);
    expect(first).toMatchObject({ status: 'answered', replies: [{ text: LINES.emailPrompt }] });
    expect(second).toMatchObject({ status: 'answered', replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });
    expect(third).toMatchObject({ status: 'answered', replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });
    expect(desk.view(asking.id)).toBeUndefined();

    expect(await asking.say('no thanks')).toMatchObject({ replies: [{ text: LINES.emailInvalid }] });
    expect(await asking.say('it is ada@example.com')).toMatchObject({ replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });

    expect((await deskView(desk, asking.id)).email).toBe('ada@example.com');
    expect((await deskView(desk, known.id)).email).toBe('bob@example.com');
    expect((await deskView(desk, setLater.id)).email).toBe('cy@example.com');
    // The email exchange is not part of what the human must answer: the question is.
    expect(desk.view(asking.id)!.history).toEqual([`bot: ${LINES.greeting}`, 'user: I need a human']);
  });

  it.concurrent('history: the desk gets the last historyRounds rounds plus the latest question, and the email', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await bot(onTestFinished, { escalate: { historyRounds: 2 } });
    const visitor = await stack().visitor(botId, { email: 'dee@example.com', name: 'Dee' });
    for (const text of ['first question', 'second question', 'third question']) {
      expect(await visitor.say(text)).toMatchObject({ replies: [{ text: LINES.echo(text) }] });
    }
    await visitor.say('I need a human about my invoice');
    const view = await deskView(desk, visitor.id);
    expect(view.history).toEqual([
      'user: second question',
      `bot: ${LINES.echo('second question')}`,
      'user: third question',
      `bot: ${LINES.echo('third question')}`,
      'user: I need a human about my invoice',
    ]);
    expect(view.email).toBe('dee@example.com');
  });

  it.concurrent('the bot is silent while the human has the conversation: user messages go to the desk, no bot message, no timer fires', async ({ expect, onTestFinished }) => {
    // The user presses "talk to a person" while the flow waits with a 6-second timer.
    const timerSeconds = 6;
    const { desk, botId } = await bot(onTestFinished, { askTimeoutSeconds: timerSeconds });
    const visitor = await stack().visitor(botId);
    const waitingSince = Date.now();
    await visitor.requestHuman();
    await visitor.until((lines) => lines.includes(`bot: ${LINES.waiting}`));
    await deskView(desk, visitor.id);
    await desk.humanSays(visitor.id, 'Hi! Ana here, what do you need?');
    await visitor.untilStatus('agent');

    const said = ['I ordered a lamp', 'it arrived broken', 'can I get a new one?'];
    for (const text of said) {
      expect(await visitor.say(text)).toMatchObject({ status: 'relayed', replies: [], conversationStatus: 'agent' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect((await deskView(desk, visitor.id, (v) => v.relayed.length === said.length)).relayed).toEqual(said);
    // Past the flow's wait timer and the handoff's wait timeout: neither may fire.
    await until(waitingSince, (Math.max(timerSeconds, WAIT_TIMEOUT_SECONDS) + 2) * 1000);
    const lines = await visitor.transcript();
    expect(botLines(lines)).toEqual([`bot: ${LINES.greeting}`, `bot: ${LINES.waiting}`]);
    expect(lines).toEqual([`bot: ${LINES.greeting}`, `bot: ${LINES.waiting}`, 'agent: Hi! Ana here, what do you need?', ...said.map((t) => `user: ${t}`)]);
    expect(await visitor.status()).toBe('agent');

    // Back with the bot, the flow waits where it was, afresh.
    await desk.humanCloses(visitor.id);
    await visitor.untilStatus('bot');
    expect(await visitor.say('thanks')).toMatchObject({ status: 'answered', replies: [{ text: LINES.echo('thanks') }] });
  });
}
