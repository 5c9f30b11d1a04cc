import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

describe.concurrent('wait_for_reply timeouts on the real engine', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngine();
    engine.store.publish('bot', 1, {
      schemaVersion: 1,
      name: 'nudge',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'hello', type: 'send_message', config: { text: 'Hello! What can I do for you?' } },
        { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 1, saveAs: 'question' } },
        { id: 'nudge', type: 'send_message', config: { text: 'Are you still there?' } },
        { id: 'answer', type: 'send_message', config: { text: 'You asked: {{question}}' } },
        // A second, long wait: a stale timer of the first wait would show up as "Later timeout".
        { id: 'later', type: 'wait_for_reply', config: { timeoutSeconds: 600 } },
        { id: 'laterTimeout', type: 'send_message', config: { text: 'Later timeout' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
        { id: 'e2', source: 'hello', sourcePort: 'next', target: 'wait' },
        { id: 'e3', source: 'wait', sourcePort: 'timeout', target: 'nudge' },
        { id: 'e4', source: 'wait', sourcePort: 'replied', target: 'answer' },
        { id: 'e5', source: 'answer', sourcePort: 'next', target: 'later' },
        { id: 'e6', source: 'later', sourcePort: 'timeout', target: 'laterTimeout' },
      ],
    });
  });
  afterAll(async () => engine?.stop());

  it('takes the timeout exit when the user stays silent', async () => {
    const input = engine.input('bot');
    const started = Date.now();
    await engine.conversations.start(input);
    const id = input.conversation.id;
    await engine.store.waitFor(() => engine.store.botTexts(id).length >= 2, 10_000, 'the timeout branch');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(engine.store.botTexts(id)).toEqual(['Hello! What can I do for you?', 'Are you still there?']);
    // The timeout branch ends at a node without an exit: the conversation is over, with no user turn in it.
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'closed', 5_000, 'the end');
    expect(engine.store.records.filter((r) => r.conversation.id === id).flatMap((r) => r.messages.map((m) => m.nodeId))).toEqual([
      'hello',
      'nudge',
    ]);
  });

  it('takes the replied exit on an answer in time, and the old timer never fires later', async () => {
    const input = engine.input('bot');
    await engine.conversations.start(input);
    const id = input.conversation.id;
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1, 5_000, 'the greeting');
    const reply = await engine.conversations.sendAndWait(input, { id: 'm1', text: 'Where is my order?' }, { timeoutMs: 10_000 });
    expect(reply).toMatchObject({ status: 'answered', replies: [{ text: 'You asked: Where is my order?' }], conversationStatus: 'bot' });

    // Two seconds past the first wait's deadline: nothing else may have been said.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(engine.store.botTexts(id)).toEqual(['Hello! What can I do for you?', 'You asked: Where is my order?']);
    expect(await engine.conversations.snapshot(id)).toMatchObject({ status: 'bot', nodeId: 'later', waitingFor: 'reply' });
  });
});
