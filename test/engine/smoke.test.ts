import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

describe('a conversation on the real engine', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngine();
    engine.store.publish('bot', 1, {
      schemaVersion: 1,
      name: 'echo',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'hello', type: 'send_message', config: { text: 'Hello! What is your name?' } },
        { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 60, saveAs: 'name' } },
        { id: 'greet', type: 'send_message', config: { text: 'Nice to meet you, {{name}}.' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
        { id: 'e2', source: 'hello', sourcePort: 'next', target: 'wait' },
        { id: 'e3', source: 'wait', sourcePort: 'replied', target: 'greet' },
      ],
    });
  });
  afterAll(async () => engine?.stop());

  it('greets, waits, answers and ends', async () => {
    const input = engine.input('bot');
    await engine.conversations.start(input);
    await engine.store.waitFor(() => engine.store.botTexts(input.conversation.id).length === 1);
    const reply = await engine.conversations.sendAndWait(input, { id: 'm1', text: 'Ada' }, { timeoutMs: 10_000 });
    expect(reply).toMatchObject({ status: 'answered', replies: [{ text: 'Nice to meet you, Ada.' }], conversationStatus: 'closed' });
    expect(engine.store.botTexts(input.conversation.id)).toEqual(['Hello! What is your name?', 'Nice to meet you, Ada.']);
  });
});
