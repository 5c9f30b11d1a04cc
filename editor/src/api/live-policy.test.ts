import { describe, expect, test } from 'vitest';
import { backoffMs, LIVE, initialLiveState, nextLiveStep, type LiveInput, type LivePolicyState } from './live-policy.js';

const run = (inputs: LiveInput[], state: LivePolicyState = initialLiveState) => {
  const actions = [];
  for (const input of inputs) {
    const next = nextLiveStep(state, input, 0.5);
    state = next.state;
    actions.push(next.action);
  }
  return { state, actions };
};

describe('the live stream policy', () => {
  test('a dropped stream is retried with growing delays', () => {
    const { actions } = run(['stream_event', 'stream_error', 'stream_error']);
    expect(actions).toEqual([{ kind: 'none' }, { kind: 'stream', delayMs: 500 }, { kind: 'stream', delayMs: 1000 }]);
  });

  test('a stream that works again resets the count, so one drop later is retried quickly', () => {
    const { state, actions } = run(['stream_error', 'stream_error', 'stream_event', 'stream_error']);
    expect(state.mode).toBe('streaming');
    expect(actions.at(-1)).toEqual({ kind: 'stream', delayMs: 500 });
  });

  test(`after ${LIVE.failuresBeforePolling} failures in a row it polls, and tries streaming again every ${LIVE.retryStreamEveryPolls} polls`, () => {
    const { state, actions } = run(['stream_error', 'stream_error', 'stream_error']);
    expect(state.mode).toBe('polling');
    expect(actions.at(-1)).toEqual({ kind: 'poll', delayMs: 0 });
    const polls = run(Array<LiveInput>(LIVE.retryStreamEveryPolls).fill('poll_done'), state);
    expect(polls.actions.slice(0, -1).every((a) => a.kind === 'poll' && a.delayMs === LIVE.pollEveryMs)).toBe(true);
    expect(polls.actions.at(-1)).toEqual({ kind: 'stream', delayMs: 0 });
    // The retry fails: back to polling, not to a fresh streaming backoff.
    const retry = run(['stream_error'], polls.state);
    expect(retry.state.mode).toBe('polling');
    expect(retry.actions).toEqual([{ kind: 'poll', delayMs: LIVE.pollEveryMs }]);
    // It works: streaming again.
    expect(run(['stream_event'], polls.state).state).toEqual(initialLiveState);
  });

  test('failed polls back off, never faster than the poll interval', () => {
    const polling: LivePolicyState = { mode: 'polling', failures: 3, polls: 0, pollFailures: 0 };
    const { actions } = run(['poll_failed', 'poll_failed', 'poll_failed', 'poll_failed', 'poll_failed', 'poll_failed'], polling);
    const delays = actions.map((a) => (a.kind === 'poll' ? a.delayMs : -1));
    expect(delays[0]).toBe(LIVE.pollEveryMs);
    expect(delays.at(-1)).toBe(LIVE.maxRetryMs);
    expect([...delays].sort((a, b) => a - b)).toEqual(delays);
  });

  test('the network coming back streams at once', () => {
    const { actions } = run(['stream_error', 'stream_error', 'online']);
    expect(actions.at(-1)).toEqual({ kind: 'stream', delayMs: 0 });
  });

  test('backoff is jittered around the base and capped', () => {
    expect(backoffMs(1, 0)).toBe(375);
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(625);
    expect(backoffMs(30, 0.5)).toBe(LIVE.maxRetryMs);
  });
});
