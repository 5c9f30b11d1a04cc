import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/fake-openai.js';
import { apiClient } from '../support/baton-process.js';
import {
  closedServiceHours,
  eventually,
  handoffFlow,
  LINES,
  startHandoffStack,
  until,
  WAIT_TIMEOUT_SECONDS,
  type Api,
  type HandoffStack,
} from './handoff-support.js';

interface InboxItem {
  id: string;
  status: string;
  assignee?: string;
  user: { email?: string; name?: string };
  lastMessage?: { role: string; text: string };
  leftMessage: boolean;
}

/** A person of the team, logged in to the inbox. */
interface Agent {
  id: string;
  api: Api;
  credentials: { email: string; password: string };
  presence(status: 'online' | 'away' | 'offline'): Promise<void>;
  takeover(conversationId: string): Promise<void>;
  says(conversationId: string, text: string): Promise<void>;
  complete(conversationId: string): Promise<void>;
  reactivate(conversationId: string): Promise<void>;
  inbox(query?: string): Promise<InboxItem[]>;
  /** The conversation as people see it (status, assignee). */
  conversation(conversationId: string): Promise<{ status: string; assignee?: string }>;
  transcript(conversationId: string): Promise<string[]>;
}

describe('handoff to the built-in inbox, on the real stack', () => {
  let stack: HandoffStack;
  let llm: FakeOpenAI;

  beforeAll(async () => {
    // Assist mode drafts replies for the person: the last user message, so the test can tell.
    llm = await startFakeOpenAI({
      defaultReply: (request) => ({ text: `Draft answer to: ${String(request.messages.filter((m) => m.role === 'user').at(-1)?.content)}` }),
    });
    stack = await startHandoffStack({ OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseURL });
  });
  afterAll(async () => {
    if (stack) expect(await stack.stop()).toBe(0);
    await llm?.close();
  });

  const ok = (response: { status: number; body: unknown }, status = 200) => {
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, any>;
  };

  async function agent(name: string): Promise<Agent> {
    const email = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;
    const password = 'agent password 1234';
    const created = ok(await stack.owner.call('POST', '/api/users', { email, name, role: 'agent', password }), 201);
    const api = apiClient(stack.url);
    ok(await api.login(email, password));
    return {
      id: created.user.id as string,
      api,
      credentials: { email, password },
      presence: async (status) => void ok(await api.call('PUT', '/api/agents/me/status', { status })),
      takeover: async (id) => void ok(await api.call('POST', `/api/conversations/${id}/takeover`)),
      says: async (id, text) => void ok(await api.call('POST', `/api/conversations/${id}/agent-messages`, { text }), 201),
      complete: async (id) => void ok(await api.call('POST', `/api/conversations/${id}/complete`)),
      reactivate: async (id) => void ok(await api.call('POST', `/api/conversations/${id}/reactivate`)),
      inbox: async (query = '') => ok(await api.call('GET', `/api/inbox${query}`)).conversations as InboxItem[],
      conversation: async (id) => ok(await api.call('GET', `/api/conversations/${id}`)) as { status: string; assignee?: string },
      transcript: async (id) =>
        (ok(await api.call('GET', `/api/conversations/${id}/messages?limit=500`)).messages as { role: string; text: string }[]).map((m) => `${m.role}: ${m.text}`),
    };
  }

  async function team(...members: Agent[]): Promise<string> {
    return ok(await stack.owner.call('POST', '/api/teams', { name: `team-${randomBytes(4).toString('hex')}`, memberIds: members.map((m) => m.id) }), 201).id as string;
  }

  /** A bot whose handoff node routes to `teamId` (round robin among its online members). */
  function inboxBot(options: { teamId: string; node?: Record<string, unknown>; settings?: Record<string, unknown>; askTimeoutSeconds?: number }): Promise<string> {
    const flow = handoffFlow(
      {
        type: 'assign_to_user',
        config: { assignTo: 'team', teamId: options.teamId, waitTimeoutSeconds: WAIT_TIMEOUT_SECONDS, sessionTimeoutSeconds: 3600, ...options.node },
      },
      options.askTimeoutSeconds === undefined ? {} : { askTimeoutSeconds: options.askTimeoutSeconds },
    );
    return stack.createBot({ flow, settings: { defaultDesk: 'inbox', ...options.settings } });
  }

  const listed = (items: InboxItem[], id: string) => items.find((item) => item.id === id);
  const availability = async (botId: string) => ok(await apiClient(stack.url).call('GET', `/api/bots/${botId}/availability`));

  // Presence is global to the Baton process: these two run alone, before everything else.
  describe('with nobody else online', () => {
    it('availability: open and nextOpenAt from the service hours, agentsOnline from presence', async () => {
      const closed = closedServiceHours();
      const anyTeam = await team();
      const [open, shut] = await Promise.all([inboxBot({ teamId: anyTeam }), inboxBot({ teamId: anyTeam, settings: { serviceHours: closed.hours } })]);
      expect(await availability(open)).toEqual({ open: true, nextOpenAt: null, agentsOnline: 0 });
      expect(await availability(shut)).toEqual({ open: false, nextOpenAt: closed.nextOpenAt, agentsOnline: 0 });

      const zoe = await agent('Zoe');
      await zoe.presence('online');
      expect(await availability(open)).toMatchObject({ agentsOnline: 1 });
      expect(await availability(shut)).toEqual({ open: false, nextOpenAt: closed.nextOpenAt, agentsOnline: 1 });
      await zoe.presence('away');
      expect(await availability(open)).toMatchObject({ agentsOnline: 0 });
      expect((await apiClient(stack.url).call('GET', '/api/bots/bot_unknown/availability')).status).toBe(404);
    });

    it('"talk to a person" from the widget goes to the inbox; the bot stays silent and its wait timer does not fire', async () => {
      const yan = await agent('Yan');
      await yan.presence('online');
      const timerSeconds = 6;
      const botId = await stack.createBot({ flow: handoffFlow({ type: 'assign_to_user', config: {} }, { askTimeoutSeconds: timerSeconds }), settings: { defaultDesk: 'inbox' } });
      const visitor = await stack.visitor(botId);
      const waitingSince = Date.now();
      await visitor.requestHuman();
      await visitor.until((lines) => lines.includes(`bot: ${LINES.waiting}`));
      expect(listed(await yan.inbox('?status=queued'), visitor.id)).toMatchObject({ status: 'queued', assignee: yan.id });

      await yan.takeover(visitor.id);
      await yan.says(visitor.id, 'Hi, Yan here. What do you need?');
      await visitor.untilStatus('agent');
      const said = ['I ordered a lamp', 'it arrived broken', 'can I get a new one?'];
      for (const text of said) {
        expect(await visitor.say(text)).toMatchObject({ status: 'relayed', replies: [], conversationStatus: 'agent' });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      // Past the flow's wait timer and the handoff's wait timeout: neither fires.
      await until(waitingSince, (timerSeconds + 2) * 1000);
      const expected = [`bot: ${LINES.greeting}`, `bot: ${LINES.waiting}`, 'agent: Hi, Yan here. What do you need?', ...said.map((t) => `user: ${t}`)];
      expect(await visitor.transcript()).toEqual(expected);
      // The person reads what the user wrote.
      expect(await yan.transcript(visitor.id)).toEqual(expected);
      expect(listed(await yan.inbox('?mine=true'), visitor.id)).toMatchObject({ status: 'agent', lastMessage: { role: 'user', text: 'can I get a new one?' } });

      await yan.complete(visitor.id);
      await visitor.untilStatus('bot');
      expect(await visitor.say('thanks')).toMatchObject({ status: 'answered', replies: [{ text: LINES.echo('thanks') }] });
      expect(listed(await yan.inbox(), visitor.id)).toBeUndefined();
      await yan.presence('offline');
    });
  });

  describe.concurrent('scenarios side by side', () => {
    it('queued → a person takes over and answers → completes → resolved, and the bot continues', async ({ expect }) => {
      const ana = await agent('Ana');
      await ana.presence('online');
      const botId = await inboxBot({ teamId: await team(ana) });
      const visitor = await stack.visitor(botId, { email: 'ada@example.com', name: 'Ada' });
      const events = await inboxEvents(stack.url, ana.credentials);

      expect(await visitor.say('I need a human')).toMatchObject({ status: 'answered', replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });
      expect(listed(await ana.inbox('?status=queued'), visitor.id)).toMatchObject({
        status: 'queued',
        assignee: ana.id,
        user: { email: 'ada@example.com', name: 'Ada' },
        lastMessage: { role: 'bot', text: LINES.waiting },
        leftMessage: false,
      });
      expect(listed(await ana.inbox('?mine=true'), visitor.id)).toBeDefined();
      // The inbox's live stream shows it too.
      await events.until((inbox) => inbox.some((item) => item.id === visitor.id && item.status === 'queued'));
      await events.stop();

      await ana.takeover(visitor.id);
      expect(await ana.conversation(visitor.id)).toMatchObject({ status: 'agent', assignee: ana.id });
      expect(await visitor.say('My parcel is late')).toMatchObject({ status: 'relayed', replies: [], conversationStatus: 'agent' });
      await ana.says(visitor.id, 'It arrives tomorrow.');
      await visitor.until((lines) => lines.at(-1) === 'agent: It arrives tomorrow.');

      await ana.complete(visitor.id);
      await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.resolved}`);
      expect(await visitor.status()).toBe('bot');
      expect(listed(await ana.inbox(), visitor.id)).toBeUndefined();
      expect(await visitor.say('bye')).toMatchObject({ replies: [{ text: LINES.goodbye }], conversationStatus: 'closed' });
      expect(await visitor.transcript()).toEqual([
        `bot: ${LINES.greeting}`,
        'user: I need a human',
        `bot: ${LINES.waiting}`,
        'user: My parcel is late',
        'agent: It arrives tomorrow.',
        `bot: ${LINES.resolved}`,
        'user: bye',
        `bot: ${LINES.goodbye}`,
      ]);

      await ana.presence('offline');
    });

    it('a closed conversation reactivated by a person: they talk, complete it, and the bot starts over, its messages in the transcript', async ({ expect }) => {
      const oz = await agent('Oz');
      const botId = await inboxBot({ teamId: await team(oz) });
      const visitor = await stack.visitor(botId);
      expect(await visitor.say('hello')).toMatchObject({ replies: [{ text: LINES.echo('hello') }] });
      expect(await visitor.say('bye')).toMatchObject({ replies: [{ text: LINES.goodbye }], conversationStatus: 'closed' });

      await oz.reactivate(visitor.id);
      expect(await oz.conversation(visitor.id)).toMatchObject({ status: 'agent', assignee: oz.id });
      await oz.says(visitor.id, 'One more thing: your voucher code is SORRY10.');
      expect(await visitor.say('Thank you!')).toMatchObject({ status: 'relayed', replies: [] });
      await oz.complete(visitor.id);
      await visitor.untilStatus('bot');
      // The flow starts over: the user answers its greeting, as they would in the widget.
      await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.greeting}`);
      expect(await visitor.say('hi again')).toMatchObject({ status: 'answered', replies: [{ text: LINES.echo('hi again') }] });
      expect(await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.echo('hi again')}`, 8000)).toEqual([
        `bot: ${LINES.greeting}`,
        'user: hello',
        `bot: ${LINES.echo('hello')}`,
        'user: bye',
        `bot: ${LINES.goodbye}`,
        'agent: One more thing: your voucher code is SORRY10.',
        'user: Thank you!',
        // The flow starts over once the person is done.
        `bot: ${LINES.greeting}`,
        'user: hi again',
        `bot: ${LINES.echo('hi again')}`,
      ]);
    });

    it('the bot switched off: a conversation it has ends with the notice; one a person has goes on, and ends with the notice when they complete it', async ({ expect }) => {
      const ida = await agent('Ida');
      const botId = await inboxBot({ teamId: await team(ida) });
      const [alone, withIda] = [await stack.visitor(botId), await stack.visitor(botId)];
      expect(await alone.say('hello')).toMatchObject({ replies: [{ text: LINES.echo('hello') }] });
      await ida.takeover(withIda.id);
      await withIda.untilStatus('agent');

      const notice = 'We are closed for maintenance; back tomorrow.';
      const settings = ok(await stack.owner.call('GET', `/api/bots/${botId}/settings`));
      ok(await stack.owner.call('PUT', `/api/bots/${botId}/settings`, { ...settings, enabled: false, closedNotice: notice }));
      await alone.untilStatus('closed');
      expect(await alone.transcript()).toEqual([`bot: ${LINES.greeting}`, 'user: hello', `bot: ${LINES.echo('hello')}`, `bot: ${notice}`]);
      // New conversations are refused while it is off.
      expect((await apiClient(stack.url).call('POST', `/api/bots/${botId}/conversations`, {})).status).toBe(409);

      // The person goes on with theirs.
      await ida.says(withIda.id, 'Ida here, still with you.');
      expect(await withIda.say('great')).toMatchObject({ status: 'relayed', replies: [] });
      await ida.complete(withIda.id);
      await withIda.untilStatus('closed');
      expect(await withIda.transcript()).toEqual([`bot: ${LINES.greeting}`, 'agent: Ida here, still with you.', 'user: great', `bot: ${notice}`]);
    });

    it('nobody takes it in time → "keep waiting" → a person answers after all', async ({ expect }) => {
      const bea = await agent('Bea');
      await bea.presence('online');
      const botId = await inboxBot({ teamId: await team(bea) });
      const visitor = await stack.visitor(botId);
      const askedAt = Date.now();
      await visitor.say('I need a human');
      const messages = await eventually(visitor.messages.bind(visitor), (m) => m.at(-1)?.text === LINES.keepWaiting, { what: 'the keep-waiting question' });
      expect(Date.now() - askedAt).toBeGreaterThanOrEqual(WAIT_TIMEOUT_SECONDS * 1000);
      expect(messages.at(-1)).toMatchObject({ role: 'bot', quickReplies: ['Keep waiting', 'Stop'] });

      expect(await visitor.say('Keep waiting')).toMatchObject({ replies: [{ text: LINES.stillWaiting }], conversationStatus: 'queued' });
      await bea.says(visitor.id, 'Sorry for the wait, Bea here.');
      await visitor.untilStatus('agent');
      expect(await visitor.say('No problem')).toMatchObject({ status: 'relayed' });
      expect(await visitor.transcript()).toEqual([
        `bot: ${LINES.greeting}`,
        'user: I need a human',
        `bot: ${LINES.waiting}`,
        `bot: ${LINES.keepWaiting}`,
        'user: Keep waiting',
        `bot: ${LINES.stillWaiting}`,
        'agent: Sorry for the wait, Bea here.',
        'user: No problem',
      ]);
      await bea.presence('offline');
    });

    it('nobody takes it in time → "stop" → the no_agent branch, and it leaves the inbox', async ({ expect }) => {
      const cid = await agent('Cid');
      await cid.presence('online');
      const botId = await inboxBot({ teamId: await team(cid) });
      const visitor = await stack.visitor(botId);
      await visitor.say('I need a human');
      await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.keepWaiting}`);
      expect(await visitor.say('Stop')).toMatchObject({ replies: [{ text: LINES.noAgent }], conversationStatus: 'bot' });
      expect(listed(await cid.inbox(), visitor.id)).toBeUndefined();
      expect(await visitor.say('ok')).toMatchObject({ replies: [{ text: LINES.echo('ok') }] });
      await cid.presence('offline');
    });

    it('hosted mode, nobody of the team online → the no_agent branch at once', async ({ expect }) => {
      const away = await agent('Dan');
      const botId = await inboxBot({ teamId: await team(away) });
      const visitor = await stack.visitor(botId);
      expect(await visitor.say('I need a human')).toMatchObject({ status: 'answered', replies: [{ text: LINES.noAgent }], conversationStatus: 'bot' });
    });

    it('assist mode, nobody online → the user leaves a message; the inbox lists it until a person takes it', async ({ expect }) => {
      const eve = await agent('Eve');
      const botId = await inboxBot({ teamId: await team(eve), settings: { aiMode: 'assist' } });
      const visitor = await stack.visitor(botId, { email: 'gus@example.com' });
      expect(await visitor.say('I need a human')).toMatchObject({ replies: [{ text: LINES.leaveMessage }], conversationStatus: 'queued' });
      expect(await visitor.say('Please call me back about invoice 42')).toMatchObject({
        status: 'answered',
        replies: [{ text: LINES.messageLeft }, { text: LINES.noAgent }],
        conversationStatus: 'bot',
      });
      const left = await eventually(() => eve.inbox('?status=left_message'), (items) => listed(items, visitor.id) !== undefined, { what: 'the left message' });
      expect(listed(left, visitor.id)).toMatchObject({ leftMessage: true, status: 'bot', user: { email: 'gus@example.com' } });
      expect(await eve.transcript(visitor.id)).toContain('user: Please call me back about invoice 42');

      await eve.presence('online');
      await eve.takeover(visitor.id);
      await eve.says(visitor.id, 'Hi Gus, Eve here about invoice 42.');
      expect(listed(await eve.inbox('?status=left_message'), visitor.id)).toBeUndefined();
      await visitor.until((lines) => lines.at(-1) === 'agent: Hi Gus, Eve here about invoice 42.');
      await eve.presence('offline');
    });

    it('off hours → the preset reply and the off_hours branch; nobody is asked', async ({ expect }) => {
      const fay = await agent('Fay');
      await fay.presence('online');
      const botId = await inboxBot({ teamId: await team(fay), settings: { serviceHours: closedServiceHours().hours } });
      const visitor = await stack.visitor(botId);
      expect(await visitor.say('I need a human')).toMatchObject({
        status: 'answered',
        replies: [{ text: LINES.offHoursPreset }, { text: LINES.offHours }],
        conversationStatus: 'bot',
      });
      expect(listed(await fay.inbox(), visitor.id)).toBeUndefined();
      await fay.presence('offline');
    });

    it("session timeout: the user stays silent after the person's last message → the session ends, the bot continues", async ({ expect }) => {
      const timeout = stack.sessionTimeoutSeconds;
      const gil = await agent('Gil');
      await gil.presence('online');
      const botId = await inboxBot({ teamId: await team(gil), node: { sessionTimeoutSeconds: timeout } });
      const visitor = await stack.visitor(botId);
      await visitor.say('I need a human');
      await gil.says(visitor.id, 'Hello, Gil here.');
      expect(await visitor.say('Hi Gil')).toMatchObject({ status: 'relayed' });
      await gil.says(visitor.id, 'Anything else?');
      const lastAgentMessage = Date.now();

      await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.resolved}`, (timeout + 20) * 1000);
      expect(Date.now() - lastAgentMessage).toBeGreaterThanOrEqual(timeout * 1000 - 1000);
      expect((await visitor.transcript()).slice(2)).toEqual([
        `bot: ${LINES.waiting}`,
        'agent: Hello, Gil here.',
        'user: Hi Gil',
        'agent: Anything else?',
        `bot: ${LINES.sessionEnded}`,
        `bot: ${LINES.resolved}`,
      ]);
      expect(await gil.conversation(visitor.id)).toMatchObject({ status: 'bot' });
      expect((await gil.conversation(visitor.id)).assignee).toBeUndefined();
      expect(listed(await gil.inbox(), visitor.id)).toBeUndefined();
      await gil.presence('offline');
    });

    it('the user leaves the person → the bot continues, and the conversation leaves the inbox', async ({ expect }) => {
      const hal = await agent('Hal');
      await hal.presence('online');
      const botId = await inboxBot({ teamId: await team(hal) });
      const visitor = await stack.visitor(botId);
      await visitor.say('I need a human');
      await hal.says(visitor.id, 'Hello, Hal here.');
      await visitor.untilStatus('agent');
      await visitor.leaveHumans();
      await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.resolved}`);
      expect(await visitor.status()).toBe('bot');
      expect(listed(await hal.inbox(), visitor.id)).toBeUndefined();
      expect(await visitor.say('hello bot')).toMatchObject({ replies: [{ text: LINES.echo('hello bot') }] });
      await hal.presence('offline');
    });

    it('email: asked when unknown, skipped when the conversation has it or the widget set it; the inbox shows it', async ({ expect }) => {
      const ida = await agent('Ida');
      await ida.presence('online');
      const botId = await inboxBot({ teamId: await team(ida), node: { requireEmail: true } });
      const [asking, known, setLater] = await Promise.all([stack.visitor(botId), stack.visitor(botId, { email: 'bob@example.com' }), stack.visitor(botId)]);
      await setLater.setUser({ email: 'cy@example.com' });
      const [first, second, third] = await Promise.all([asking.say('I need a human'), known.say('I need a human'), setLater.say('I need a human')]);
      expect(first).toMatchObject({ replies: [{ text: LINES.emailPrompt }] });
      expect(second).toMatchObject({ replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });
      expect(third).toMatchObject({ replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });
      expect(await asking.say('no')).toMatchObject({ replies: [{ text: LINES.emailInvalid }] });
      expect(await asking.say('ada@example.com')).toMatchObject({ replies: [{ text: LINES.waiting }], conversationStatus: 'queued' });

      const inbox = await ida.inbox('?status=queued');
      expect(listed(inbox, known.id)?.user.email).toBe('bob@example.com');
      expect(listed(inbox, setLater.id)?.user.email).toBe('cy@example.com');
      expect(listed(inbox, asking.id)).toBeDefined();
      // The address given in the chat is the conversation's email from now on.
      expect(((await ida.api.call('GET', `/api/conversations/${asking.id}`)).body.vars as { user?: { email?: string } }).user?.email).toBe('ada@example.com');
      await ida.presence('offline');
    });

    it('round robin: conversations of a team go in turn to its online members', async ({ expect }) => {
      const [jo, kim] = [await agent('Jo'), await agent('Kim')];
      await Promise.all([jo.presence('online'), kim.presence('online')]);
      const botId = await inboxBot({ teamId: await team(jo, kim) });
      const assignees: (string | undefined)[] = [];
      for (let i = 0; i < 3; i++) {
        const visitor = await stack.visitor(botId);
        await visitor.say('I need a human');
        assignees.push((await jo.conversation(visitor.id)).assignee);
      }
      expect(new Set(assignees.slice(0, 2))).toEqual(new Set([jo.id, kim.id]));
      expect(assignees[2]).toBe(assignees[0]);
      await Promise.all([jo.presence('offline'), kim.presence('offline')]);
    });

    it('re-routes to another online member when the assignee stays silent', async ({ expect }) => {
      const [lea, max] = [await agent('Lea'), await agent('Max')];
      await Promise.all([lea.presence('online'), max.presence('online')]);
      const botId = await inboxBot({ teamId: await team(lea, max), node: { rerouteAfterSeconds: 2, waitTimeoutSeconds: 60 } });
      const visitor = await stack.visitor(botId);
      await visitor.say('I need a human');
      const first = (await lea.conversation(visitor.id)).assignee;
      expect([lea.id, max.id]).toContain(first);
      const rerouted = await eventually(() => lea.conversation(visitor.id), (c) => c.assignee !== first, { what: 'the re-routing' });
      expect(rerouted).toMatchObject({ status: 'queued', assignee: first === lea.id ? max.id : lea.id });
      expect(await visitor.transcript()).toEqual([`bot: ${LINES.greeting}`, 'user: I need a human', `bot: ${LINES.waiting}`]);
      await Promise.all([lea.presence('offline'), max.presence('offline')]);
    });

    it("assist mode: the AI drafts the person's next reply from the user's message", async ({ expect }) => {
      const ned = await agent('Ned');
      await ned.presence('online');
      const botId = await inboxBot({ teamId: await team(ned), settings: { aiMode: 'assist' } });
      const visitor = await stack.visitor(botId);
      await visitor.say('I need a human');
      await ned.takeover(visitor.id);
      expect(ok(await ned.api.call('GET', `/api/conversations/${visitor.id}/suggestion`))).toEqual({ text: null });

      expect(await visitor.say('Where is my refund?')).toMatchObject({ status: 'relayed' });
      const suggestion = await eventually(
        async () => ok(await ned.api.call('GET', `/api/conversations/${visitor.id}/suggestion`)),
        (s) => s['text'] !== null,
        { what: 'the draft' },
      );
      expect(suggestion).toEqual({ text: 'Draft answer to: Where is my refund?' });
      // The person sends it (or their own words): the draft is used up.
      await ned.says(visitor.id, suggestion['text'] as string);
      expect(ok(await ned.api.call('GET', `/api/conversations/${visitor.id}/suggestion`))).toEqual({ text: null });
      // Not a word from the bot itself meanwhile.
      expect((await visitor.transcript()).filter((l) => l.startsWith('bot: '))).toEqual([`bot: ${LINES.greeting}`, `bot: ${LINES.waiting}`]);
      await ned.presence('offline');
    });
  });
});

/** Reads the inbox's server-sent events in the background, logged in as this person. */
async function inboxEvents(url: string, credentials: { email: string; password: string }) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  const controller = new AbortController();
  const snapshots: InboxItem[][] = [];
  const response = await fetch(`${url}/api/inbox/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.headers.get('content-type')?.includes('text/event-stream')) throw new Error(`no inbox stream: ${response.status}`);
  const done = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((line) => line.startsWith('data:'));
        if (block.includes('event: inbox') && data) snapshots.push((JSON.parse(data.slice(5)) as { conversations: InboxItem[] }).conversations);
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return {
    until: (predicate: (inbox: InboxItem[]) => boolean) => eventually(() => snapshots, (all) => all.some(predicate), { what: 'an inbox event' }),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}
