// The transcript kit node authors use (`@baton/engine/testing`), on the shared dev server.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTranscript } from '@baton/engine/testing';
import type { FlowDocumentInput } from '@baton/nodes';
import { greetByTime, partOfDay } from '../fixtures/node-packages/greet-by-time/index.js';
import { activities as unruly } from '../fixtures/node-packages/unruly-nodes/activities.js';

const greetModule = fileURLToPath(new URL('../fixtures/node-packages/greet-by-time/index.ts', import.meta.url));

function flow(nodes: FlowDocumentInput['nodes'], edges: [string, string, string][]): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name: 'kit',
    nodes: [{ id: 'start', type: 'start', config: {} }, ...nodes],
    edges: edges.map(([source, sourcePort, target], i) => ({ id: `e${i}`, source, sourcePort, target })),
    settings: { burstWindowMs: 0 },
  };
}

const echo = flow(
  [
    { id: 'hello', type: 'send_message', config: { text: 'Hi {{user.name | there}}, say something.' } },
    { id: 'ask', type: 'wait_for_reply', config: { saveAs: 'said', timeoutSeconds: 300 } },
    { id: 'bye', type: 'end', config: { message: 'You said {{said}}.' } },
  ],
  [
    ['start', 'next', 'hello'],
    ['hello', 'next', 'ask'],
    ['ask', 'replied', 'bye'],
  ],
);

describe('runTranscript', () => {
  it('plays scripted steps and returns the transcript, the replies per step, the variables and the end', async () => {
    const result = await runTranscript({ flow: echo, user: { name: 'Ada' }, vars: { plan: 'pro' }, steps: [{ expectBot: ['Hi Ada, say something.'] }, { user: 'hello' }] });
    expect(result).toMatchObject({
      transcript: ['bot: Hi Ada, say something.', 'user: hello', 'bot: You said hello.'],
      replies: [['Hi Ada, say something.'], ['You said hello.']],
      status: 'closed',
      ended: 'completed',
      vars: { said: 'hello', plan: 'pro', user: { name: 'Ada' } },
    });
  });

  it('fails a step that does not match, showing what was said', async () => {
    await expect(runTranscript({ flow: echo, steps: [{ expectBot: ['Hello!'] }] })).rejects.toThrow(
      /expected the bot to say \["Hello!"\], it said \["Hi there, say something."\]\nbot: Hi there, say something./,
    );
  });

  it('refuses a flow Baton would refuse, and nodes it cannot run, before starting anything', async () => {
    const broken = flow([{ id: 'bye', type: 'end', config: { message: 42 } }], [['start', 'next', 'bye']]);
    await expect(runTranscript({ flow: broken })).rejects.toThrow(/the flow has errors:\n- node bye: /);
    const stepNode = flow([{ id: 'greet', type: 'greet_by_time', config: {} }], [['start', 'next', 'greet']]);
    await expect(runTranscript({ flow: stepNode, nodes: [greetByTime] })).rejects.toThrow(
      'node "greet" (greet_by_time@1) has its own step, so it must be bundled: pass the module exporting it in `nodeModules`',
    );
    const activityNode = flow([{ id: 'boom', type: 'throws_non_error', config: {} }], [['start', 'next', 'boom']]);
    await expect(runTranscript({ flow: activityNode, nodes: [unruly[0]!.definition] })).rejects.toThrow(
      'node "boom" (throws_non_error@1) has an activity: pass its implementation in `activities`',
    );
  });

  it('runs activity-only nodes from their descriptor, error ports and all, and refuses to talk after the end', async () => {
    const run = await runTranscript({
      activities: unruly,
      flow: flow(
        [
          { id: 'garbage', type: 'returns_garbage', config: {} },
          { id: 'said', type: 'send_message', config: { text: 'It failed; going on.' } },
          { id: 'ask', type: 'wait_for_reply', config: { timeoutSeconds: 300 } },
          { id: 'bye', type: 'end', config: { message: 'Bye.' } },
        ],
        [
          ['start', 'next', 'garbage'],
          ['garbage', 'error', 'said'],
          ['said', 'next', 'ask'],
          ['ask', 'replied', 'bye'],
        ],
      ),
    });
    try {
      expect(await run.botMessages()).toEqual(['It failed; going on.']);
      expect(await run.state()).toMatchObject({ status: 'bot', nodeId: 'ask' });
      expect(await run.say('ok')).toEqual(['Bye.']);
      await expect(run.say('again?')).rejects.toThrow(/after the conversation ended/);
    } finally {
      await run.stop();
    }
  });

  it('bundles nodes with their own step from nodeModules', async () => {
    const before = new Date().toISOString();
    const run = await runTranscript({
      nodeModules: [greetModule],
      flow: flow(
        [
          { id: 'greet', type: 'greet_by_time', config: { timeZone: 'Asia/Tokyo' } },
          { id: 'bye', type: 'end', config: { message: 'Bye.' } },
        ],
        [
          ['start', 'next', 'greet'],
          ['greet', 'next', 'bye'],
        ],
      ),
    });
    try {
      const said = await run.botMessages(2);
      // The hour may turn between reading the clock here and the engine's step: either greeting is right.
      const greetings = new Set([before, new Date().toISOString()].map((time) => `Good ${partOfDay(time, 'Asia/Tokyo')}!`));
      expect(greetings).toContain(said[0]);
      expect(said[1]).toBe('Bye.');
      expect(await run.state()).toMatchObject({ status: 'closed', ended: 'completed' });
    } finally {
      await run.stop();
    }
  });
});
