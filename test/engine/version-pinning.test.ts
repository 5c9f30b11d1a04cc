import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocumentInput } from '@baton/nodes';
import { conversationWorkflowId } from '@baton/engine/client';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

function version(label: string): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name: `greeter ${label}`,
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'hello', type: 'send_message', config: { text: `${label}: Hello! What is your name?` } },
      { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 600, saveAs: 'said' } },
      { id: 'echo', type: 'send_message', config: { text: `${label}: you said {{said}}` } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
      { id: 'e2', source: 'hello', sourcePort: 'next', target: 'wait' },
      { id: 'e3', source: 'wait', sourcePort: 'replied', target: 'echo' },
      { id: 'e4', source: 'echo', sourcePort: 'next', target: 'wait' },
    ],
  };
}

describe('flow versions on the real engine', () => {
  let engine: EngineHarness;
  beforeAll(async () => {
    engine = await startEngine();
    engine.store.publish('bot', 1, version('v1'));
  });
  afterAll(async () => engine?.stop());

  it('keeps a running conversation on the version it started with, also after continue-as-new', async () => {
    const running = engine.input('bot', 1, { options: { burstWindowMs: 0, maxHistoryEvents: 40 } });
    const id = running.conversation.id;
    await engine.conversations.start(running);
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1, 10_000, 'the greeting');
    const ask = (text: string, n: number) =>
      engine.conversations.sendAndWait(running, { id: `${text}-${n}`, text }, { timeoutMs: 10_000 });
    expect(await ask('before', 0)).toMatchObject({ status: 'answered', replies: [{ text: 'v1: you said before' }] });

    engine.store.publish('bot', 2, version('v2'));
    // The server names the latest version when it forwards a message; a running conversation ignores it.
    const latest = { ...running, conversation: { ...running.conversation, flowVersion: 2 } };
    const reply = await engine.conversations.sendAndWait(latest, { id: 'after-publish', text: 'after' }, { timeoutMs: 10_000 });
    expect(reply).toMatchObject({ status: 'answered', replies: [{ text: 'v1: you said after' }] });

    // A new run reloads the flow: it must load the pinned version, not the latest.
    const handle = engine.temporal.client.workflow.getHandle(conversationWorkflowId(id));
    const firstRunId = (await handle.describe()).runId;
    let n = 0;
    while ((await handle.describe()).runId === firstRunId) {
      expect(++n).toBeLessThan(20);
      expect(await ask('more', n)).toMatchObject({ replies: [{ text: 'v1: you said more' }] });
    }
    expect(await ask('later', n)).toMatchObject({ status: 'answered', replies: [{ text: 'v1: you said later' }] });
    expect(await engine.conversations.snapshot(id)).toMatchObject({ flowVersion: 1, status: 'bot' });
    expect(engine.store.botTexts(id).every((text) => text.startsWith('v1: '))).toBe(true);

    const fresh = engine.input('bot', 2);
    await engine.conversations.start(fresh);
    await engine.store.waitFor(() => engine.store.botTexts(fresh.conversation.id).length === 1, 10_000, 'the v2 greeting');
    const freshReply = await engine.conversations.sendAndWait(fresh, { id: 'm1', text: 'hi' }, { timeoutMs: 10_000 });
    expect(freshReply).toMatchObject({ status: 'answered', replies: [{ text: 'v2: you said hi' }] });
    expect(engine.store.botTexts(fresh.conversation.id)).toEqual(['v2: Hello! What is your name?', 'v2: you said hi']);
    expect(await engine.conversations.snapshot(fresh.conversation.id)).toMatchObject({ flowVersion: 2 });
  });
});
