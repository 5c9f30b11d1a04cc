import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationInput } from '@baton/engine/client';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

// Wide, so that a slow machine's RPCs (a message takes one to reach the workflow) stay well within
// the window where the test means them to; the rules themselves are table-tested in the reducer.
const BURST_WINDOW_MS = 3000;

describe.concurrent('message bursts on the real engine', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngine();
    // No greeting: every bot message is the answer to one turn.
    engine.store.publish('bot', 1, {
      schemaVersion: 1,
      name: 'echo loop',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 600, saveAs: 'said' } },
        { id: 'echo', type: 'send_message', config: { text: 'You said: {{said}}' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'wait' },
        { id: 'e2', source: 'wait', sourcePort: 'replied', target: 'echo' },
        { id: 'e3', source: 'echo', sourcePort: 'next', target: 'wait' },
      ],
    });
  });
  afterAll(async () => engine?.stop());

  const burstInput = (): ConversationInput => engine.input('bot', 1, { options: { burstWindowMs: BURST_WINDOW_MS } });

  /** Resolves once the conversation is idle at its wait again, i.e. every turn it received was answered. */
  const idle = async (id: string, answers: number): Promise<void> => {
    await engine.store.waitFor(() => engine.store.botTexts(id).length >= answers, 10_000, `${answers} answer(s)`);
    expect(await engine.conversations.snapshot(id)).toMatchObject({ status: 'bot', nodeId: 'wait', waitingFor: 'reply' });
  };

  it('answers three quickly sent signals as one turn', async () => {
    const input = burstInput();
    const id = input.conversation.id;
    const sent = Date.now();
    await engine.conversations.send(input, { id: 'm1', text: 'hi' });
    await engine.conversations.send(input, { id: 'm2', text: 'I have a question' });
    await engine.conversations.send(input, { id: 'm3', text: 'about my order' });
    await idle(id, 1);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(BURST_WINDOW_MS);
    expect(engine.store.botTexts(id)).toEqual(['You said: hi\nI have a question\nabout my order']);
  });

  it('gives three concurrent sendAndWait callers the same single answer', async () => {
    const input = burstInput();
    const id = input.conversation.id;
    const texts = ['hi', 'I have a question', 'about my order'];
    const replies = await Promise.all(
      texts.map((text, i) => engine.conversations.sendAndWait(input, { id: `m${i + 1}`, text }, { timeoutMs: 15_000 })),
    );
    await idle(id, 1);
    const [answer] = engine.store.transcripts.get(id)!;
    // Concurrent calls reach the workflow in any order; the turn joins them in arrival order.
    expect(answer!.text.replace('You said: ', '').split('\n').sort()).toEqual([...texts].sort());
    expect(engine.store.botTexts(id)).toHaveLength(1);
    for (const reply of replies) {
      expect(reply).toEqual({ status: 'answered', replies: [{ id: answer!.id, text: answer!.text }], conversationStatus: 'bot' });
    }
  });

  it('keeps a burst open while each message comes within the window of the previous one', async () => {
    const input = burstInput();
    const id = input.conversation.id;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 0.6 * BURST_WINDOW_MS));
    await engine.conversations.send(input, { id: 'm1', text: 'a' });
    await pause();
    await engine.conversations.send(input, { id: 'm2', text: 'b' });
    await pause();
    await engine.conversations.send(input, { id: 'm3', text: 'c' });
    await idle(id, 1);
    // 1.2 windows from first to last message, each within 0.6 of the previous: one turn, not two.
    expect(engine.store.botTexts(id)).toEqual(['You said: a\nb\nc']);
  });

  it('starts a new turn for a message that arrives after the window', async () => {
    const input = burstInput();
    const id = input.conversation.id;
    const first = await engine.conversations.sendAndWait(input, { id: 'm1', text: 'hi' }, { timeoutMs: 15_000 });
    expect(first).toMatchObject({ status: 'answered', replies: [{ text: 'You said: hi' }] });
    const second = await engine.conversations.sendAndWait(input, { id: 'm2', text: 'about my order' }, { timeoutMs: 15_000 });
    expect(second).toMatchObject({ status: 'answered', replies: [{ text: 'You said: about my order' }] });
    await idle(id, 2);
    expect(engine.store.botTexts(id)).toEqual(['You said: hi', 'You said: about my order']);
  });
});
