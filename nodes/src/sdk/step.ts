import type { Json, JsonObject } from '../json.js';

/** A message the bot says. */
export interface BotMessage {
  text: string;
  /** Answers the user can pick with one tap; they come back as an ordinary message. */
  quickReplies?: string[];
}

/** What the user said since the bot last waited: one or several messages sent in a burst. */
export interface UserTurn {
  /** The messages themselves, oldest first, as the user sent them. */
  messages: { id: string; text: string }[];
  /** Channel message ids, oldest first. */
  messageIds: string[];
  /** The texts joined by newlines: what a node reads as the user's answer. */
  text: string;
  /** ISO time of the last message. */
  receivedAt: string;
}

/** How a handoff to humans ended; each is a port of the handoff nodes. */
export type HandoffOutcome = 'resolved' | 'no_agent' | 'off_hours' | 'unavailable';

/** A request to hand the conversation to humans; the engine's handoff machine carries it out. */
export interface HandoffRequest {
  /** Where the humans are: `{ kind: 'inbox', … }`, `{ kind: 'desk', provider }` or `{ kind: 'default' }` (the bot's desk). */
  target: JsonObject;
  waitTimeoutSeconds: number;
  sessionTimeoutSeconds: number;
  historyRounds: number;
  requireEmail: boolean;
  offHoursMessage?: string;
  /** What the bot says during the handoff; defaults in `DEFAULT_HANDOFF_TEXTS`. */
  texts?: Partial<HandoffTexts>;
}

/** The bot's lines during a handoff. */
export interface HandoffTexts {
  /** Asked first when an email is required and not known yet. */
  emailPrompt: string;
  emailInvalid: string;
  /** Said once the humans have been asked. */
  waiting: string;
  /** Asked when nobody picked the conversation up within the wait timeout. */
  keepWaiting: string;
  /** The two answers to `keepWaiting` (quick replies); "yes", "1", "no", "2" work too. */
  keepWaitingChoice: string;
  stopWaitingChoice: string;
  stillWaiting: string;
  /** When nobody is online and the desk takes messages. */
  leaveMessage: string;
  messageLeft: string;
  /** When the human session ends because the user went quiet. */
  sessionEnded: string;
}

export const DEFAULT_HANDOFF_TEXTS: HandoffTexts = {
  emailPrompt: 'Before I connect you with a person: what is your email address?',
  emailInvalid: 'That does not look like an email address. Could you check it?',
  waiting: 'I am connecting you with a person. Please stay here; they will answer in this chat.',
  keepWaiting: 'Nobody is free yet. Do you want to keep waiting?',
  keepWaitingChoice: 'Keep waiting',
  stopWaitingChoice: 'Stop',
  stillWaiting: 'OK, I am still looking for someone.',
  leaveMessage: 'Nobody is available right now. Leave your message here and we will get back to you.',
  messageLeft: 'Thank you, your message has been passed on.',
  sessionEnded: 'The conversation with our team has ended.',
};

/** One line of the recent conversation, oldest first. */
export interface HistoryEntry {
  role: 'user' | 'bot' | 'agent';
  text: string;
}

interface StepBase<Config> {
  nodeId: string;
  /** The node's config, already parsed by its schema (defaults applied). */
  config: Config;
  /** Conversation variables (read-only; write with `set`). */
  vars: Readonly<JsonObject>;
  /** This visit's scratch state, as returned by the previous step of the same visit. */
  local: Readonly<JsonObject>;
  /** The current time as an ISO string, supplied by the engine (deterministic on replay). */
  now: string;
  /** The recent conversation (a bounded tail), oldest first, including the latest user turn. */
  history: readonly HistoryEntry[];
}

/**
 * What a node's `step` is called with. A visit starts with `enter`; a node that asked to
 * wait gets `reply`, one that asked for its activity gets `result`, one that handed off
 * gets `handoff_ended`.
 */
export type StepContext<Config, Result = never> = StepBase<Config> &
  (
    | { phase: 'enter' }
    | { phase: 'reply'; reply: UserTurn }
    | { phase: 'result'; result: Result }
    | { phase: 'handoff_ended'; outcome: HandoffOutcome }
  );

/** Where the conversation goes after a step: exactly one of these. */
export type StepThen<CallInput = never> =
  /** Leave the node through this port. */
  | { go: string }
  /** Wait for the user. Without a timeout the wait is unbounded. */
  | { wait: { timeoutSeconds?: number; timeoutPort?: string } }
  /** Run the node's activity with this input; `step` is called again with `result`. */
  | { call: CallInput }
  /** Hand the conversation to humans; `step` is called again with `handoff_ended`. */
  | { handoff: HandoffRequest }
  /** The conversation is over. */
  | { end: true };

/** The plain-JSON answer of a `step`. */
export interface StepResult<CallInput = never> {
  /** Messages the bot says, in order. */
  say?: (string | BotMessage)[];
  /** Variable writes by dotted path; `undefined` removes a variable. */
  set?: Record<string, Json | undefined>;
  /** Scratch state for the next step of this visit. */
  local?: JsonObject;
  then: StepThen<CallInput>;
}

/** A node's `step` with its types erased, as the engine holds it (by `type@version`). */
export type NodeStep = (ctx: StepContext<unknown, unknown>) => StepResult<unknown>;
