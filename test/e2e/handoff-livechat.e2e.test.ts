import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLivechat, type FakeLivechat, type WebhookDelivery } from '../fakes/livechat/fake-livechat.js';
import { deskBot, deskScenarios, deskView, LINES, startHandoffStack, type DeskDriver, type DeskFake, type DeskView, type HandoffStack } from './handoff-support.js';

const LABELS: Record<string, string> = { Customer: 'user', Bot: 'bot', Agent: 'agent' };

/** LiveChat's accounts service, Customer Chat API and webhooks, played by the fake. */
const livechatDesk: DeskDriver = {
  kind: 'livechat',
  // LiveChat has no reason on deactivate_chat.
  closeReasons: false,
  async start(stack, options = {}) {
    const fake = await startFakeLivechat({ webhookRetryDelayMs: 1 });
    if (options.broken === 'down') fake.failNext('/v2/info', 503, { times: 1000 });
    if (options.broken === 'unauthorized') fake.revokeAgentToken();
    const secretKey = `lc-${randomBytes(12).toString('hex')}`;
    let botId = '';
    const hook = () => `${stack.url}/hooks/livechat/${botId}`;

    const chatOf = (conversationId: string) =>
      [...fake.chats.values()].find((chat) =>
        fake.customers.get(chat.customerId)?.session_fields?.some((field) => field['baton_conversation_id'] === conversationId),
      );
    const deliveredFor = (deliveries: WebhookDelivery[], marker: string): WebhookDelivery[] => deliveries.filter((d) => d.body.includes(marker));

    const desk: LivechatDeskFake = {
      fake,
      hook,
      secretKey,
      chatId: (conversationId) => chatOf(conversationId)?.id,
      config: { organizationId: fake.organizationId, accessToken: fake.agentToken, secretKey, apiBaseUrl: fake.baseUrl },
      connect(id) {
        botId = id;
        // What the owner sets up in LiveChat's console: agents' messages and chat closings, to Baton.
        fake.registerWebhook({ action: 'incoming_event', url: hook(), secretKey, filters: { author_type: 'agent' } });
        fake.registerWebhook({ action: 'chat_deactivated', url: hook(), secretKey });
      },
      view(conversationId): DeskView | undefined {
        const chat = chatOf(conversationId);
        if (!chat) return undefined;
        const events = chat.threads.flatMap((thread) => thread.events);
        const handover = events.find((e) => e.custom_id?.startsWith('baton:history:'))?.text ?? '';
        const question = events.find((e) => e.custom_id?.startsWith('baton:question:'))?.text;
        const earlier = handover.includes('Earlier in the conversation:\n') ? handover.slice(handover.indexOf('Earlier in the conversation:\n')).split('\n').slice(1) : [];
        const history = [
          ...earlier.map((line) => /^(Customer|Bot|Agent): (.*)$/.exec(line)).filter((m) => m !== null).map((m) => `${LABELS[m[1]!]}: ${m[2]}`),
          ...(question === undefined ? [] : [`user: ${question}`]),
        ];
        const deactivated = fake.requestsTo('deactivate_chat').some((r) => r.status === 200 && (JSON.parse(r.rawBody) as { id?: string }).id === chat.id);
        return {
          email: fake.customers.get(chat.customerId)?.email,
          history,
          relayed: events.filter((e) => e.custom_id?.startsWith('baton:msg:')).map((e) => e.text),
          closed: deactivated ? 'closed' : false,
        };
      },
      requests: () => fake.requests.length,
      async humanSays(conversationId, text) {
        const chat = chatOf(conversationId);
        if (!chat) throw new Error(`LiveChat has no chat for ${conversationId}`);
        const event = await fake.agentSends(chat.id, text);
        const deliveries = deliveredFor(fake.deliveries, event.id);
        if (deliveries.at(-1)?.status !== 200) throw new Error(`Baton refused the event: ${JSON.stringify(deliveries)}`);
      },
      async humanCloses(conversationId) {
        const chat = chatOf(conversationId);
        if (!chat) throw new Error(`LiveChat has no chat for ${conversationId}`);
        const before = fake.deliveries.length;
        await fake.deactivateAsAgent(chat.id);
        const closes = fake.deliveries.slice(before).filter((d) => d.action === 'chat_deactivated');
        if (closes.length === 0 || closes.some((d) => d.status !== 200)) throw new Error(`Baton refused the close: ${JSON.stringify(closes)}`);
      },
      close: () => fake.close(),
    };
    return desk;
  },
};

interface LivechatDeskFake extends DeskFake {
  fake: FakeLivechat;
  hook(): string;
  secretKey: string;
  chatId(conversationId: string): string | undefined;
}

describe('handoff to LiveChat, on the real stack', () => {
  let stack: HandoffStack;
  beforeAll(async () => {
    stack = await startHandoffStack();
  });
  afterAll(async () => {
    if (stack) expect(await stack.stop()).toBe(0);
  });

  deskScenarios(() => stack, livechatDesk);

  it.concurrent('webhooks with a wrong or missing secret_key, or another organization, are refused with 401 and change nothing', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await deskBot(stack, livechatDesk);
    onTestFinished(() => desk.close());
    const { fake, chatId } = desk as LivechatDeskFake;
    const visitor = await stack.visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    const chat = chatId(visitor.id)!;
    await desk.humanSays(visitor.id, 'Hello, Ana here.');
    await visitor.untilStatus('agent');
    const before = await visitor.transcript();

    const attempt = async (send: () => Promise<unknown>) => {
      const from = fake.deliveries.length;
      await send();
      await fake.idle();
      return fake.deliveries.slice(from).map((d) => d.status);
    };
    // LiveChat retries what is not answered 200: every try is refused.
    expect(await attempt(() => fake.agentSends(chat, 'forged: pay here', { webhook: { secretKey: 'guessed-secret' } }))).toEqual([401, 401, 401, 401]);
    expect(await attempt(() => fake.agentSends(chat, 'no secret at all', { webhook: { omitSecretKey: true } }))).toEqual([401, 401, 401, 401]);
    expect(await attempt(() => fake.agentSends(chat, 'from another account', { webhook: { organizationId: 'another-organization' } }))).toEqual([401, 401, 401, 401]);
    expect(await attempt(() => fake.emit('chat_deactivated', { chat_id: chat, thread_id: 'T1' }, { secretKey: 'guessed-secret' }))).toEqual([401, 401, 401, 401]);
    expect(await visitor.transcript()).toEqual(before);
    expect(await visitor.status()).toBe('agent');

    // LiveChat delivers at least once: a re-delivery of the same event is taken once.
    expect(await attempt(() => fake.agentSends(chat, 'Your refund is on its way.', { webhook: { redeliveries: 2 } }))).toEqual([200, 200, 200]);
    await visitor.until((lines) => lines.at(-1) === 'agent: Your refund is on its way.');
    expect(await visitor.transcript()).toEqual([...before, 'agent: Your refund is on its way.']);

    await desk.humanCloses(visitor.id);
    await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.resolved}`);
  });

  it.concurrent("the agents' internal notes and the customer's own messages echoed back never reach the user", async ({ expect, onTestFinished }) => {
    const { desk, botId } = await deskBot(stack, livechatDesk);
    onTestFinished(() => desk.close());
    const { fake, chatId } = desk as LivechatDeskFake;
    const visitor = await stack.visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    const chat = chatId(visitor.id)!;
    await fake.agentSends(chat, 'internal: VIP customer', { visibility: 'agents' });
    await desk.humanSays(visitor.id, 'Hello, Ana here.');
    // Also subscribed to the customer's events: Baton's own relays come back, and are dropped.
    fake.registerWebhook({ action: 'incoming_event', url: (desk as LivechatDeskFake).hook(), secretKey: (desk as LivechatDeskFake).secretKey, filters: { author_type: 'customer' } });
    expect(await visitor.say('Hi Ana')).toMatchObject({ status: 'relayed' });
    await deskView(desk, visitor.id, (v) => v.relayed.length === 1);
    await fake.idle();
    expect((await visitor.transcript()).slice(-2)).toEqual(['agent: Hello, Ana here.', 'user: Hi Ana']);
  });
});
