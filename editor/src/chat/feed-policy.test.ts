import { describe, expect, test } from 'vitest';
import { backoffMs, FEED, initialFeedState, nextFeedStep, type FeedInput, type FeedPolicyState } from './feed-policy.js';

const run = (inputs: FeedInput[], state: FeedPolicyState = initialFeedState) => {
  const actions = [];
  for (const input of inputs) {
    const next = nextFeedStep(state, input, 0.5);
    state = next.state;
    actions.push(next.action);
  }
  return { state, actions };
};

describe('the live feed policy', () => {
  test('a dropped stream is retried with growing delays', () => {
    const { actions } = run(['stream_event', 'stream_error', 'stream_error']);
    expect(actions).toEqual([{ kind: 'none' }, { kind: 'stream', delayMs: 500 }, { kind: 'stream', delayMs: 1000 }]);
  });

  test('a stream that works again resets the count, so one drop later is retried quickly', () => {
    const { state, actions } = run(['stream_error', 'stream_error', 'stream_event', 'stream_error']);
    expect(state.mode).toBe('streaming');
    expect(actions.at(-1)).toEqual({ kind: 'stream', delayMs: 500 });
  });

  test(`after ${FEED.failuresBeforePolling} failures in a row it polls, and tries streaming again every ${FEED.retryStreamEveryPolls} polls`, () => {
    const { state, actions } = run(['stream_error', 'stream_error', 'stream_error']);
    expect(state.mode).toBe('polling');
    expect(actions.at(-1)).toEqual({ kind: 'poll', delayMs: 0 });
    const polls = run(Array<FeedInput>(FEED.retryStreamEveryPolls).fill('poll_done'), state);
    expect(polls.actions.slice(0, -1).every((a) => a.kind === 'poll' && a.delayMs === FEED.pollEveryMs)).toBe(true);
    expect(polls.actions.at(-1)).toEqual({ kind: 'stream', delayMs: 0 });
    // The retry fails: back to polling, not to a fresh streaming backoff.
    const retry = run(['stream_error'], polls.state);
    expect(retry.state.mode).toBe('polling');
    expect(retry.actions).toEqual([{ kind: 'poll', delayMs: FEED.pollEveryMs }]);
    // It works: streaming again.
    expect(run(['stream_event'], polls.state).state).toEqual(initialFeedState);
  });

  test('failed polls back off, never faster than the poll interval', () => {
    const polling: FeedPolicyState = { mode: 'polling', failures: 3, polls: 0, pollFailures: 0 };
    const { actions } = run(['poll_failed', 'poll_failed', 'poll_failed', 'poll_failed', 'poll_failed', 'poll_failed'], polling);
    const delays = actions.map((a) => (a.kind === 'poll' ? a.delayMs : -1));
    expect(delays[0]).toBe(FEED.pollEveryMs);
    expect(delays.at(-1)).toBe(FEED.maxRetryMs);
    expect([...delays].sort((a, b) => a - b)).toEqual(delays);
  });

  test('the network coming back streams at once', () => {
    const { actions } = run(['stream_error', 'stream_error', 'online']);
    expect(actions.at(-1)).toEqual({ kind: 'stream', delayMs: 0 });
  });

  test('backoff is jittered around the base and capped', () => {
    expect(backoffMs(1, 0)).toBe(375);
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(625);
    expect(backoffMs(30, 0.5)).toBe(FEED.maxRetryMs);
  });
});
