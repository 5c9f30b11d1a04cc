import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { waitForReplyNode } from './wait-for-reply.node.js';

describe('wait_for_reply', () => {
  it('waits with the configured timeout and the timeout port', () => {
    const out = runStep(waitForReplyNode, { config: { timeoutSeconds: 42 } });
    expect(out).toEqual({ say: [], then: { wait: { timeoutSeconds: 42, timeoutPort: 'timeout' } } });
  });

  it('defaults to a 300 second timeout', () => {
    expect(runStep(waitForReplyNode, { config: {} }).then).toEqual({ wait: { timeoutSeconds: 300, timeoutPort: 'timeout' } });
  });

  it('saves the reply under saveAs and leaves through replied', () => {
    const out = runStep(waitForReplyNode, { config: { saveAs: 'order.answer' }, reply: 'it is #123' });
    expect(out.set).toEqual({ 'order.answer': 'it is #123' });
    expect(out.then).toEqual({ go: 'replied' });
  });

  it('saves nothing without saveAs', () => {
    const out = runStep(waitForReplyNode, { config: {}, phase: 'reply', reply: 'hello' });
    expect(out.set).toEqual({});
    expect(out.then).toEqual({ go: 'replied' });
  });

  it('refuses a timeout outside 1 second to 90 days and a bad variable name', () => {
    expect(() => runStep(waitForReplyNode, { config: { timeoutSeconds: 0 } })).toThrow(/timeoutSeconds: must be at least 1 second/);
    expect(() => runStep(waitForReplyNode, { config: { timeoutSeconds: 90 * 86_400 + 1 } })).toThrow(/timeoutSeconds: must be at most 90 days/);
    expect(() => runStep(waitForReplyNode, { config: { saveAs: 'a-b' } })).toThrow(/saveAs: must be a variable name/);
  });

  it('declares both ports as after-wait and warns when timeout is unconnected', () => {
    expect(waitForReplyNode.ports).toEqual([
      expect.objectContaining({ id: 'replied', afterWait: true }),
      expect.objectContaining({ id: 'timeout', afterWait: true, warnIfUnconnected: expect.any(String) }),
    ]);
    expect(waitForReplyNode.setsVariables?.({ timeoutSeconds: 1, saveAs: 'answer' })).toEqual(['answer']);
  });
});
