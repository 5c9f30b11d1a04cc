// What became of the user's "Talk to a person". The request is a signal the flow answers by
// queueing the chat for people (a status change and the bot's "connecting you…"), or by not
// queueing it at all: nobody online in hosted mode, or outside service hours, the status flickers
// to "queued" and back (or does not change) without a word from the bot. Then the chat has to say
// so itself, or the button would seem to do nothing. Pure, so it can be tested without a server.
import type { ConversationState } from '../conversation/messages.js';

export type HumanRequest =
  | { phase: 'idle' }
  /** Pressed; `queued` once the status left "bot" on the way. */
  | { phase: 'asking'; sinceMs: number; queued: boolean }
  /** The flow did not hand the chat to people. */
  | { phase: 'declined' };

export type HumanRequestEvent =
  | { type: 'asked'; nowMs: number }
  /** The request itself did not reach the server. */
  | { type: 'failed' }
  | { type: 'status'; status: ConversationState['status'] }
  /** The bot or a person said something: the flow has answered the request its own way. */
  | { type: 'answered' }
  | { type: 'user_wrote' }
  | { type: 'tick'; nowMs: number };

/** No status change and no word from the flow this long after the press: nobody is coming. */
export const HUMAN_REQUEST_TIMEOUT_MS = 8000;

export const noHumanRequest: HumanRequest = { phase: 'idle' };
const declined: HumanRequest = { phase: 'declined' };

export function nextHumanRequest(state: HumanRequest, event: HumanRequestEvent): HumanRequest {
  switch (event.type) {
    case 'asked':
      return { phase: 'asking', sinceMs: event.nowMs, queued: false };
    case 'failed':
      return noHumanRequest;
    case 'answered':
      return state.phase === 'asking' ? noHumanRequest : state;
    case 'user_wrote':
      return state.phase === 'declined' ? noHumanRequest : state;
    case 'status':
      if (event.status === 'bot') return state.phase === 'asking' && state.queued ? declined : state;
      if (event.status === 'queued') return state.phase === 'asking' ? (state.queued ? state : { ...state, queued: true }) : noHumanRequest;
      return noHumanRequest;
    case 'tick':
      if (state.phase !== 'asking' || event.nowMs - state.sinceMs < HUMAN_REQUEST_TIMEOUT_MS) return state;
      // Still queued (the bot's message is late): the queued status speaks for itself.
      return state.queued ? noHumanRequest : declined;
  }
}
