import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conditionNode } from '../builtin/condition/condition.node.js';
import { httpRequestNode } from '../builtin/http-request/http-request.node.js';
import { httpRequestActivity } from '../builtin/http-request/http-request.activity.js';
import { waitForReplyNode } from '../builtin/wait-for-reply/wait-for-reply.node.js';
import { defineNode } from '../sdk/define-node.js';
import { implementActivity } from '../sdk/implement-activity.js';
import { fakeHttp, runActivity, runStep, TEST_NOW } from './index.js';

const echo = defineNode({
  type: 'echo_context',
  version: 1,
  title: 'Echo',
  description: 'Says what its step received.',
  category: 'logic',
  config: z.object({ port: z.string().default('next') }),
  ports: ['next', 'other'],
  activity: { input: z.object({ n: z.number() }), result: z.object({ n: z.coerce.number() }), timeoutSeconds: 1 },
  step: (ctx) => ({
    say: [{ text: ctx.phase }, JSON.stringify(ctx)],
    then: { go: ctx.config.port },
  }),
});

describe('runStep', () => {
  it('builds the context of each phase and normalizes say to strings', () => {
    const enter = runStep(echo, { config: {}, vars: { a: 1 }, local: { b: 2 }, history: [{ role: 'user', text: 'hi' }], nodeId: 'n1' });
    expect(enter.say[0]).toBe('enter');
    expect(JSON.parse(enter.say[1]!)).toEqual({
      nodeId: 'n1',
      config: { port: 'next' },
      vars: { a: 1 },
      local: { b: 2 },
      now: TEST_NOW,
      history: [{ role: 'user', text: 'hi' }],
      phase: 'enter',
    });

    const reply = runStep(echo, { config: {}, reply: 'hello', now: '2026-02-02T00:00:00.000Z' });
    expect(JSON.parse(reply.say[1]!)).toMatchObject({ phase: 'reply', reply: { messageIds: ['m1'], text: 'hello', receivedAt: '2026-02-02T00:00:00.000Z' } });

    // The result goes through the activity's result schema (here a coercion) before the step sees it.
    const result = runStep(echo, { config: {}, result: { n: '5' as unknown as number } });
    expect(JSON.parse(result.say[1]!)).toMatchObject({ phase: 'result', result: { n: 5 } });

    const ended = runStep(echo, { config: {}, outcome: 'no_agent' });
    expect(JSON.parse(ended.say[1]!)).toMatchObject({ phase: 'handoff_ended', outcome: 'no_agent' });
  });

  it('names the bad config field in its error', () => {
    expect(() => runStep(conditionNode, { config: { rules: [{ port: 'ok', variable: 'x y', op: 'exists' }] } })).toThrow(
      'condition@1: invalid config: rules.0.variable: must be a variable name such as order_id or user.email',
    );
  });

  it('refuses a phase without the value it needs', () => {
    expect(() => runStep(waitForReplyNode, { config: {}, phase: 'reply' })).toThrow(/needs `reply`/);
    expect(() => runStep(waitForReplyNode, { config: {}, phase: 'handoff_ended' })).toThrow(/needs `outcome`/);
    expect(() => runStep(waitForReplyNode, { config: {}, phase: 'result' })).toThrow(/needs a node with an activity/);
  });

  it('refuses an answer the engine would refuse: an undeclared port, a bad call input, a bad variable name', () => {
    expect(() => runStep(echo, { config: { port: 'nowhere' } })).toThrow('echo_context@1: step chose port "nowhere", which the node does not declare (ports: next, other)');

    const badCall = defineNode({ ...echo, type: 'bad_call', step: () => ({ then: { call: { n: 'one' as unknown as number } } }) });
    expect(() => runStep(badCall, { config: {} })).toThrow(/bad_call@1: invalid activity input: n:/);

    const badSet = defineNode({ ...echo, type: 'bad_set', step: () => ({ set: { 'a b': 1 }, then: { go: 'next' } }) });
    expect(() => runStep(badSet, { config: {} })).toThrow(/sets "a b", which is not a valid variable name/);
  });

  it('freezes what it passes, so a step that mutates its input fails', () => {
    const mutating = defineNode({
      ...echo,
      type: 'mutating',
      step: (ctx) => {
        (ctx.vars as Record<string, unknown>)['x'] = 1;
        return { then: { go: 'next' } };
      },
    });
    const vars = { x: 0 };
    expect(() => runStep(mutating, { config: {}, vars })).toThrow(TypeError);
    expect(vars).toEqual({ x: 0 });
  });

  it('checks the result against the result schema', () => {
    expect(() => runStep(httpRequestNode, { config: { url: 'https://x.test' }, result: { ok: 'yes' } as never })).toThrow(
      /http_request@1: invalid activity result: ok:/,
    );
  });
});

describe('runActivity', () => {
  const doubler = implementActivity(echo, async (input, ctx) => ({ n: input.n * 2 + ctx.attempt * 100 }));

  it('runs the activity with the given attempt and parses the result with the result schema', async () => {
    expect(await runActivity(doubler, { n: 2 })).toEqual({ n: 104 });
    expect(await runActivity(doubler, { n: 2 }, { attempt: 3 })).toEqual({ n: 304 });
  });

  it('refuses input that does not match the input schema, before running', async () => {
    await expect(runActivity(doubler, { n: 'x' } as never)).rejects.toThrow(/echo_context@1: invalid activity input: n:/);
  });

  it('refuses a result that does not match the result schema', async () => {
    const wrong = implementActivity(echo, async () => ({ n: 'not a number' }));
    await expect(runActivity(wrong, { n: 1 })).rejects.toThrow(/echo_context@1: invalid activity result: n:/);
  });

  it('fails readably when the activity uses a service the test did not provide', async () => {
    await expect(runActivity(httpRequestActivity, { method: 'GET', url: 'https://x.test', headers: {}, timeoutMs: 1000 })).rejects.toThrow(
      'http was not provided in this test; pass it to runActivity',
    );
    const usesLlm = implementActivity(echo, async (_input, ctx) => {
      await ctx.llm.complete({ system: '', messages: [] });
      return { n: 0 };
    });
    await expect(runActivity(usesLlm, { n: 1 })).rejects.toThrow('llm was not provided in this test');
  });

  it('passes conversation, node id and the injected client', async () => {
    const seen: unknown[] = [];
    const spy = implementActivity(echo, async (_input, ctx) => {
      seen.push(ctx.conversation, ctx.nodeId);
      await ctx.http.request({ method: 'GET', url: 'https://x.test' });
      return { n: 0 };
    });
    const http = fakeHttp(() => ({ status: 204 }));
    await runActivity(spy, { n: 1 }, { conversation: { id: 'c9' }, nodeId: 'lookup', http });
    expect(seen).toEqual([{ id: 'c9', botId: 'bot-1', flowVersion: 1 }, 'lookup']);
    expect(http.requests.map((r) => r.url)).toEqual(['https://x.test']);
  });
});
