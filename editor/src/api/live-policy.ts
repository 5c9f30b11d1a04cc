// When a live stream of the API (a conversation's, the inbox's) connects, retries and gives up on
// streaming for polling: pure, so the decisions can be tested without a network. `live-stream.ts`
// carries them out.

export type LiveMode = 'streaming' | 'polling';

export interface LivePolicyState {
  mode: LiveMode;
  /** Stream attempts in a row that failed before delivering anything. */
  failures: number;
  /** Polls since the last attempt to stream again. */
  polls: number;
  /** Polls in a row that failed. */
  pollFailures: number;
}

export type LiveInput =
  /** The stream delivered an event: it works. */
  | 'stream_event'
  /** The stream failed or dropped. */
  | 'stream_error'
  | 'poll_done'
  | 'poll_failed'
  /** The browser says the network is back. */
  | 'online';

export type LiveAction = { kind: 'stream'; delayMs: number } | { kind: 'poll'; delayMs: number } | { kind: 'none' };

export const LIVE = {
  /** Stream failures in a row before falling back to polling. */
  failuresBeforePolling: 3,
  pollEveryMs: 3000,
  /** While polling, try the stream again after this many polls. */
  retryStreamEveryPolls: 5,
  firstRetryMs: 500,
  maxRetryMs: 15_000,
} as const;

export const initialLiveState: LivePolicyState = { mode: 'streaming', failures: 0, polls: 0, pollFailures: 0 };

/** Exponential backoff with jitter (`random` in [0, 1)), capped. */
export function backoffMs(attempt: number, random: number): number {
  const base = Math.min(LIVE.maxRetryMs, LIVE.firstRetryMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random * 0.5));
}

export function nextLiveStep(state: LivePolicyState, input: LiveInput, random = 0.5): { state: LivePolicyState; action: LiveAction } {
  switch (input) {
    case 'stream_event':
      return { state: { mode: 'streaming', failures: 0, polls: 0, pollFailures: 0 }, action: { kind: 'none' } };
    case 'stream_error': {
      const failures = state.failures + 1;
      if (state.mode === 'polling' || failures >= LIVE.failuresBeforePolling) {
        // The stream keeps failing (a proxy that buffers or cuts it): read the transcript instead.
        return { state: { ...state, mode: 'polling', failures, polls: 0 }, action: { kind: 'poll', delayMs: state.mode === 'polling' ? LIVE.pollEveryMs : 0 } };
      }
      return { state: { ...state, failures }, action: { kind: 'stream', delayMs: backoffMs(failures, random) } };
    }
    case 'poll_done': {
      const polls = state.polls + 1;
      if (polls >= LIVE.retryStreamEveryPolls) return { state: { ...state, polls: 0, pollFailures: 0 }, action: { kind: 'stream', delayMs: 0 } };
      return { state: { ...state, polls, pollFailures: 0 }, action: { kind: 'poll', delayMs: LIVE.pollEveryMs } };
    }
    case 'poll_failed': {
      const pollFailures = state.pollFailures + 1;
      return { state: { ...state, pollFailures }, action: { kind: 'poll', delayMs: Math.max(LIVE.pollEveryMs, backoffMs(pollFailures, random)) } };
    }
    case 'online':
      // Try streaming right away, whatever the backoff said.
      return { state: { ...state, failures: 0, pollFailures: 0 }, action: { kind: 'stream', delayMs: 0 } };
  }
}
