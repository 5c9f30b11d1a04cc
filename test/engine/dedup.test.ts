import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId, type ConversationInput } from '@baton/engine/client';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

describe.concurrent('duplicate user messages on the real engine', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngine();
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

  const ask = (input: ConversationInput, id: string, text: string) =>
    engine.conversations.sendAndWait(input, { id, text }, { timeoutMs: 10_000 });

  const answers = (input: ConversationInput, count: number) =>
    engine.store.waitFor(() => engine.store.botTexts(input.conversation.id).length >= count, 10_000, `${count} answer(s)`);

  /**
   * Messages reach the flow in order, and those waiting while the bot works are answered as one
   * turn. So once a later message is answered on its own, an accepted duplicate would have shown
   * up before it or with it: the transcript is final up to that point.
   */
  const flush = async (input: ConversationInput, id: string): Promise<void> => {
    expect(await ask(input, id, 'flush')).toMatchObject({ status: 'answered', replies: [{ text: 'You said: flush' }] });
  };

  it('processes a signal sent twice once', async () => {
    const input = engine.input('bot');
    await engine.conversations.send(input, { id: 'm1', text: 'hello' });
    await engine.conversations.send(input, { id: 'm1', text: 'hello' });
    await answers(input, 1);
    await flush(input, 'm2');
    expect(engine.store.botTexts(input.conversation.id)).toEqual(['You said: hello', 'You said: flush']);
  });

  it('processes an update sent twice once', async () => {
    const input = engine.input('bot');
    const first = await ask(input, 'm1', 'hello');
    expect(first).toMatchObject({ status: 'answered', replies: [{ text: 'You said: hello' }] });
    const again = await ask(input, 'm1', 'hello');
    // Temporal itself deduplicates update ids within a run and hands back the first outcome:
    // a retrying caller still gets its answer, and the flow does not run again.
    expect(again).toEqual(first);
    await flush(input, 'm2');
    expect(engine.store.botTexts(input.conversation.id)).toEqual(['You said: hello', 'You said: flush']);
  });

  it('answers an update with an id already seen as a signal with "duplicate"', async () => {
    const input = engine.input('bot');
    await engine.conversations.send(input, { id: 'm1', text: 'hello' });
    await answers(input, 1);
    expect(await ask(input, 'm1', 'hello')).toEqual({ status: 'duplicate', replies: [], conversationStatus: 'bot' });
    await flush(input, 'm2');
    expect(engine.store.botTexts(input.conversation.id)).toEqual(['You said: hello', 'You said: flush']);
  });

  it('still ignores ids seen in an earlier run after continue-as-new', async () => {
    const input = engine.input('bot', 1, { options: { burstWindowMs: 0, maxHistoryEvents: 40 } });
    const id = input.conversation.id;
    const handle = engine.temporal.client.workflow.getHandle(conversationWorkflowId(id));
    expect(await ask(input, 'old-update', 'one')).toMatchObject({ status: 'answered' });
    await engine.conversations.send(input, { id: 'old-signal', text: 'two' });
    await answers(input, 2);
    const firstRunId = (await handle.describe()).runId;

    // Each turn adds events; the run continues as new once it has 40.
    let turns = 0;
    while ((await handle.describe()).runId === firstRunId) {
      expect(++turns).toBeLessThan(20);
      expect(await ask(input, `filler-${turns}`, `filler ${turns}`)).toMatchObject({ status: 'answered' });
    }
    expect((await engine.temporal.client.workflow.getHandle(conversationWorkflowId(id), firstRunId).describe()).status.name).toBe(
      'CONTINUED_AS_NEW',
    );
    const said = engine.store.botTexts(id).length;

    // Temporal does not deduplicate across runs: only the carried seen ids can.
    expect(await ask(input, 'old-update', 'one')).toEqual({ status: 'duplicate', replies: [], conversationStatus: 'bot' });
    expect(await ask(input, 'old-signal', 'two')).toEqual({ status: 'duplicate', replies: [], conversationStatus: 'bot' });
    await engine.conversations.send(input, { id: 'old-update', text: 'one' });
    await engine.conversations.send(input, { id: `filler-${turns}`, text: `filler ${turns}` });
    await flush(input, 'new');
    expect(engine.store.botTexts(id).slice(said)).toEqual(['You said: flush']);
    expect(engine.store.botTexts(id).slice(0, 2)).toEqual(['You said: one', 'You said: two']);
  });
});
