import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../fakes/webhook/fake-webhook.js';
import { deskBot, deskScenarios, deskView, LINES, startHandoffStack, type DeskDriver, type DeskFake, type DeskView, type HandoffStack } from './handoff-support.js';

/** The webhook desk contract (docs/webhook-desk.md), played by the fake desk. */
const webhookDesk: DeskDriver = {
  kind: 'webhook',
  closeReasons: true,
  async start(stack, options = {}) {
    const fake = await startFakeWebhookDesk({ username: 'baton', password: 'desk password' });
    if (options.broken === 'down') fake.failNext('*', 500, { times: 1000 });
    let botId = '';
    const hook = (what: 'message' | 'close') => `${stack.url}/hooks/webhook/${botId}/${what}`;
    const desk: WebhookDeskFake = {
      fake,
      hook,
      config: {
        baseUrl: fake.baseUrl,
        // A secret the desk does not share: it refuses every call with 401.
        secret: options.broken === 'unauthorized' ? 'not-the-desk-secret' : fake.secret,
        username: 'baton',
        password: 'desk password',
      },
      connect(id) {
        botId = id;
      },
      view(conversationId): DeskView | undefined {
        const conversation = fake.conversations.get(conversationId);
        if (!conversation) return undefined;
        return {
          email: conversation.email || undefined,
          history: conversation.history.map((item) => `${item.message_type === 'QUESTION' ? 'user' : 'bot'}: ${item.text}`),
          relayed: conversation.messages.map((m) => m.text),
          closed: conversation.state === 'closed' ? (conversation.closeType ?? 'closed') : false,
        };
      },
      requests: () => fake.requests.length,
      async humanSays(conversationId, text) {
        const sent = await fake.emitMessage(hook('message'), { conversationId, text, agent: { id: 'ana', name: 'Ana' } });
        if (sent.status !== 200 || (sent.body as { result?: string }).result !== 'delivered') throw new Error(`Baton refused the message: ${sent.status} ${sent.text}`);
      },
      async humanCloses(conversationId) {
        const sent = await fake.emitClose(hook('close'), { conversationId });
        if (sent.status !== 200 || (sent.body as { result?: string }).result !== 'delivered') throw new Error(`Baton refused the close: ${sent.status} ${sent.text}`);
      },
      close: () => fake.close(),
    };
    return desk;
  },
};

interface WebhookDeskFake extends DeskFake {
  fake: FakeWebhookDesk;
  hook(what: 'message' | 'close'): string;
}

describe('handoff to the webhook desk, on the real stack', () => {
  let stack: HandoffStack;
  beforeAll(async () => {
    stack = await startHandoffStack();
  });
  afterAll(async () => {
    if (stack) expect(await stack.stop()).toBe(0);
  });

  deskScenarios(() => stack, webhookDesk);

  it.concurrent('forged, unsigned, stale and replayed webhooks are refused with 401 and change nothing', async ({ expect, onTestFinished }) => {
    const { desk, botId } = await deskBot(stack, webhookDesk);
    onTestFinished(() => desk.close());
    const { fake, hook } = desk as WebhookDeskFake;
    const visitor = await stack.visitor(botId);
    await visitor.say('I need a human');
    await deskView(desk, visitor.id);
    const genuine = await fake.emitMessage(hook('message'), { conversationId: visitor.id, text: 'Hello, Ana here.' });
    expect(genuine.status).toBe(200);
    await visitor.untilStatus('agent');
    const before = await visitor.transcript();
    expect(before.at(-1)).toBe('agent: Hello, Ana here.');

    const refused = [
      await fake.emitMessage(hook('message'), { conversationId: visitor.id, text: 'forged: click this link' }, { signature: 'bad' }),
      await fake.emitMessage(hook('message'), { conversationId: visitor.id, text: 'unsigned' }, { signature: 'missing' }),
      await fake.emitMessage(hook('message'), { conversationId: visitor.id, text: 'no timestamp' }, { omitTimestamp: true }),
      await fake.emitMessage(hook('message'), { conversationId: visitor.id, text: 'stale' }, { skewSeconds: -400 }),
      await fake.replay(genuine),
      await fake.emitClose(hook('close'), { conversationId: visitor.id }, { signature: 'bad' }),
      await fake.emitClose(hook('close'), { conversationId: visitor.id }, { signature: 'missing' }),
    ];
    for (const answer of refused) expect({ status: answer.status, code: (answer.body as { error?: { code?: string } }).error?.code }).toEqual({ status: 401, code: 'invalid_signature' });

    expect(await visitor.transcript()).toEqual(before);
    expect(await visitor.status()).toBe('agent');
    // Signed properly, the same kinds of calls work: the refusals were about the signatures.
    await desk.humanCloses(visitor.id);
    await visitor.until((lines) => lines.at(-1) === `bot: ${LINES.resolved}`);
  });
});
