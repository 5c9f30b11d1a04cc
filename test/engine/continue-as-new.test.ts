import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '@baton/engine/client';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const NUDGE_AFTER_SECONDS = 3;

describe('a long conversation continues as new on the real engine', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngine();
    engine.store.publish('bot', 1, {
      schemaVersion: 1,
      name: 'long chat',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'hello', type: 'send_message', config: { text: 'Hello! What is your name?' } },
        { id: 'askName', type: 'wait_for_reply', config: { timeoutSeconds: 600, saveAs: 'name' } },
        { id: 'greet', type: 'send_message', config: { text: 'Nice to meet you, {{name}}.' } },
        { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: NUDGE_AFTER_SECONDS, saveAs: 'said' } },
        {
          id: 'route',
          type: 'condition',
          config: { rules: [{ port: 'bye', variable: 'said', op: 'equals', value: 'bye' }] },
        },
        { id: 'echo', type: 'send_message', config: { text: '{{name}} said: {{said}}' } },
        { id: 'nudge', type: 'send_message', config: { text: 'Still there, {{name}}? Last you said: {{said}}' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
        { id: 'e2', source: 'hello', sourcePort: 'next', target: 'askName' },
        { id: 'e3', source: 'askName', sourcePort: 'replied', target: 'greet' },
        { id: 'e4', source: 'greet', sourcePort: 'next', target: 'wait' },
        { id: 'e5', source: 'wait', sourcePort: 'replied', target: 'route' },
        { id: 'e6', source: 'route', sourcePort: 'else', target: 'echo' },
        { id: 'e7', source: 'echo', sourcePort: 'next', target: 'wait' },
        { id: 'e8', source: 'wait', sourcePort: 'timeout', target: 'nudge' },
      ],
    });
  });
  afterAll(async () => engine?.stop());

  it('carries variables, message ids and the pending wait into the new runs', async () => {
    // No maxHistoryEvents: the dev server suggests continue-as-new at 150 events.
    const input = engine.input('bot');
    const id = input.conversation.id;
    const handle = engine.temporal.client.workflow.getHandle(conversationWorkflowId(id));
    await engine.conversations.start(input);
    const firstRunId = (await handle.describe()).runId;
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1, 10_000, 'the greeting');
    expect(await engine.conversations.sendAndWait(input, { id: 'name', text: 'Ada' }, { timeoutMs: 10_000 })).toMatchObject({
      status: 'answered',
      replies: [{ text: 'Nice to meet you, Ada.' }],
    });

    const expected = ['Hello! What is your name?', 'Nice to meet you, Ada.'];
    const runIds = new Set([firstRunId]);
    let turn = 0;
    // Well past the first suggestion, so the later turns run in a continued run.
    while (runIds.size < 3) {
      turn += 1;
      expect(turn).toBeLessThan(80);
      const reply = await engine.conversations.sendAndWait(input, { id: `m${turn}`, text: `message ${turn}` }, { timeoutMs: 10_000 });
      expect(reply).toMatchObject({ status: 'answered', replies: [{ text: `Ada said: message ${turn}` }] });
      expected.push(`Ada said: message ${turn}`);
      runIds.add((await handle.describe()).runId);
    }
    expect((await engine.temporal.client.workflow.getHandle(conversationWorkflowId(id), firstRunId).describe()).status.name).toBe(
      'CONTINUED_AS_NEW',
    );

    // The last wait's deadline was set before the run changed; it still fires, with the variables carried.
    await engine.store.waitFor(
      () => engine.store.botTexts(id).length === expected.length + 1,
      (NUDGE_AFTER_SECONDS + 5) * 1000,
      'the nudge after the wait timeout',
    );
    expected.push(`Still there, Ada? Last you said: message ${turn}`);

    const transcript = engine.store.transcripts.get(id)!;
    expect(transcript.map((m) => m.text)).toEqual(expected);
    // Bot message ids come from a counter in the carried state: they keep increasing, never reused.
    expect(transcript.map((m) => m.id)).toEqual(expected.map((_, i) => `${id}-b${i + 1}`));
    expect([...engine.store.deliveries.entries()].filter(([messageId, count]) => messageId.startsWith(`${id}-`) && count !== 1)).toEqual([]);
    expect(await handle.result()).toEqual({ ended: 'no_route', runs: runIds.size });
  });
});
