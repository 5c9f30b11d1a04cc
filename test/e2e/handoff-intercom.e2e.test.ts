import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from '../fakes/intercom/fake-intercom.js';
import { deskBot, deskScenarios, deskView, LINES, startHandoffStack, type DeskDriver, type DeskFake, type DeskView, type HandoffStack } from './handoff-support.js';

const LABELS: Record<string, string> = { User: 'user', Bot: 'bot', Agent: 'agent' };
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Intercom's REST API and its webhooks, played by the fake; the teammate is the token's admin. */
const intercomDesk: DeskDriver = {
  kind: 'intercom',
  closeReasons: true,
  async start(stack, options = {}) {
    const fake = await startFakeIntercom();
    if (options.broken === 'down') fake.failNext('*', 500, { times: 1000 });
    let botId = '';
    const hook = () => `${stack.url}/hooks/intercom/${botId}`;

    /** Baton's "start conversation" call for our conversation, and the Intercom conversation it opened. */
    const opened = (conversationId: string) => {
      const request = fake
        .requestsTo('POST /conversations')
        .find((r) => r.status === 200 && (JSON.parse(r.rawBody) as { body: string }).body.includes(`(conversation ${conversationId})`));
      if (!request) return undefined;
      const body = JSON.parse(request.rawBody) as { from: { id: string }; body: string };
      const conversation = fake.conversations().find((c) => c.source.body.includes(`(conversation ${conversationId})`));
      if (!conversation) return undefined;
      return { text: body.body, contactId: body.from.id, intercomId: conversation.id };
    };
    const replies = (intercomId: string) =>
      fake
        .requestsTo('POST /conversations/:id/reply')
        .filter((r) => r.status === 200 && r.path === `/conversations/${intercomId}/reply`)
        .map((r) => JSON.parse(r.rawBody) as { type: string; body: string });

    const desk: IntercomDeskFake = {
      fake,
      hook,
      intercomId: (conversationId) => opened(conversationId)?.intercomId,
      config: {
        // A token Intercom does not know: every call is answered 401.
        accessToken: options.broken === 'unauthorized' ? 'dG9rOnJldm9rZWQ=' : fake.accessToken,
        clientSecret: fake.clientSecret,
        apiBaseUrl: fake.baseUrl,
      },
      connect(id) {
        botId = id;
      },
      view(conversationId): DeskView | undefined {
        const found = opened(conversationId);
        if (!found) return undefined;
        // The first message: a header, a blank line, then one "Role: text" line per message.
        const lines = found.text.split('\n');
        const history = lines
          .slice(lines.indexOf('') + 1)
          .map((line) => /^(User|Bot|Agent): (.*)$/.exec(line))
          .filter((m) => m !== null)
          .map((m) => `${LABELS[m[1]!]}: ${m[2]}`);
        const fromUser = replies(found.intercomId).filter((r) => r.type === 'user');
        const note = fromUser.find((r) => r.body.startsWith('[Baton]'))?.body;
        return {
          email: fake.contact(found.contactId)?.email ?? undefined,
          history,
          relayed: fromUser.filter((r) => !r.body.startsWith('[Baton]')).map((r) => r.body),
          closed: note === undefined ? false : note.includes('timed out') ? 'TIMEOUT' : note.includes('customer left') ? 'USER_CLOSED' : note.includes('taken this conversation back') ? 'BOT_RESUMED' : 'closed',
        };
      },
      requests: () => fake.requests.length,
      async humanSays(conversationId, text) {
        const intercomId = opened(conversationId)?.intercomId;
        if (!intercomId) throw new Error(`Intercom has no conversation for ${conversationId}`);
        const delivery = await fake.emit(hook(), fake.adminReply(intercomId, { body: `<p>${escapeHtml(text)}</p>` }));
        if (delivery.status !== 200) throw new Error(`Baton refused the reply: ${delivery.status} ${delivery.responseText}`);
      },
      async humanCloses(conversationId) {
        const intercomId = opened(conversationId)?.intercomId;
        if (!intercomId) throw new Error(`Intercom has no conversation for ${conversationId}`);
        const delivery = await fake.emit(hook(), fake.adminClose(intercomId));
        if (delivery.status !== 200) throw new Error(`Baton refused the close: ${delivery.status} ${delivery.responseText}`);
      },
      close: () => fake.close(),
    };
    return desk;
  },
};

interface IntercomDeskFake extends DeskFake {
  fake: FakeIntercom;
  hook(): string;
  intercomId(conversationId: string): string | undefined;
}

describe('handoff to Intercom, on the real stack', () => {
  let stack: HandoffStack;
  beforeAll(async () => {
    stack = await startHandoffStack();
  });
  afterAll(async () => {
    if (stack) expect(await stack.stop()).toBe(0);
  });

  deskScenarios(() => stack, intercomDesk);

  it.concurrent('webhooks with a wrong, missing or malformed X-Hub-Signature, or an altered body, are refused with 401 and change nothing', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await deskBot(stack, intercomDesk);
    onTestFinished(() => desk.close());
    const { fake, hook, intercomId } = desk as IntercomDeskFake;
    const visitor = await stack.visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    const conversation = intercomId(visitor.id)!;
    await desk.humanSays(visitor.id, 'Hello, Ana here.');
    await visitor.untilStatus('agent');
    const before = await visitor.transcript();

    const forged = fake.adminReply(conversation, { body: '<p>Forged: pay here</p>' });
    const statuses = [
      (await fake.emit(hook(), forged, { signature: 'bad' })).status,
      (await fake.emit(hook(), forged, { signature: 'none' })).status,
      (await fake.emit(hook(), forged, { signature: 'malformed' })).status,
      // Signed bytes that are not the bytes sent: altered on the way.
      (await fake.emit(hook(), forged, { signBody: JSON.stringify(fake.adminReply(conversation, { body: '<p>harmless</p>' })) })).status,
      (await fake.emit(hook(), fake.adminClose(conversation), { signature: 'bad' })).status,
      (await fake.emit(hook(), fake.adminClose(conversation), { signature: 'none' })).status,
    ];
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect(await visitor.transcript()).toEqual(before);
    expect(await visitor.status()).toBe('agent');

    // Intercom re-delivers for hours with the same notification id: accepted, and taken once.
    const reply = fake.adminReply(conversation, { body: '<p>Your refund is on its way.</p>' });
    expect((await fake.emit(hook(), reply)).status).toBe(200);
    expect((await fake.redeliver(hook(), reply.id)).status).toBe(200);
    expect((await fake.redeliver(hook(), reply.id, { sameBytes: true })).status).toBe(200);
    await visitor.until((lines) => lines.at(-1) === 'agent: Your refund is on its way.');
    expect(await visitor.transcript()).toEqual([...before, 'agent: Your refund is on its way.']);

    await desk.humanCloses(visitor.id);
    await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.resolved}`);
  });

  it.concurrent("answers Intercom's HEAD check; Fin's and notes' parts never reach the user; HTML becomes text", async ({ expect, onTestFinished }) => {
    const { desk, botId } = await deskBot(stack, intercomDesk);
    onTestFinished(() => desk.close());
    const { fake, hook, intercomId } = desk as IntercomDeskFake;
    expect(await fake.subscribe(hook())).toMatchObject({ ok: true, probeStatus: 200, ping: { status: 200 } });

    const visitor = await stack.visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    const conversation = intercomId(visitor.id)!;
    expect((await fake.emit(hook(), fake.adminReply(conversation, { body: '<p>Fin here, a bot</p>', authorType: 'bot' }))).status).toBe(200);
    expect((await fake.emit(hook(), fake.adminReply(conversation, { body: '<p>internal: VIP customer</p>', note: true }))).status).toBe(200);
    expect((await fake.emit(hook(), fake.adminReply(conversation, { body: '<p>Hello <b>Ada</b>,</p><p>I&#39;m on it &amp; back soon.</p>' }))).status).toBe(200);
    const lines = await visitor.until((l) => l.some((line) => line.startsWith('agent: ')));
    expect(lines.filter((l) => l.startsWith('agent: '))).toEqual(["agent: Hello Ada,\nI'm on it & back soon."]);
  });
});
