import {
  DEFAULT_HANDOFF_TEXTS,
  findEmail,
  getVariable,
  isEmail,
  type BotMessage,
  type HandoffOutcome,
  type HandoffRequest,
  type HandoffTexts,
  type JsonObject,
  type UserTurn,
} from '@baton/nodes/runtime';

/** After this many answers that are not an email, the handoff goes on without one. */
export const EMAIL_ATTEMPTS = 3;

/**
 * Where a handoff stands. The shell reads `phase` to know what to do: call the gateway
 * (`requesting`), or wait for the user, the humans or `deadline`.
 */
export type HandoffProgress =
  /** Asking for the user's email first. */
  | { phase: 'email'; attempts: number }
  /** The humans are being asked (the gateway's `request`). */
  | { phase: 'requesting' }
  /** Waiting for a human to pick the conversation up; user messages go to the desk meanwhile. */
  | { phase: 'queued'; session: JsonObject; deadline: number; rerouteAt?: number }
  /** Nobody came in time: the user was asked whether to keep waiting. */
  | { phase: 'asking'; session: JsonObject; deadline: number }
  /** Nobody is online: the user may leave a message for later. */
  | { phase: 'leave_message'; session: JsonObject; deadline: number }
  /** A human is talking with the user. `deadline` runs from the human's last message while the user is silent. */
  | { phase: 'live'; session: JsonObject; deadline?: number; agentId?: string };

/** What the gateway answered when asked for humans. */
export type HandoffStart =
  | { outcome: 'queued'; session: JsonObject; leaveMessage?: boolean }
  | { outcome: 'live'; session: JsonObject; agentId?: string }
  | { outcome: 'unavailable' | 'off_hours' | 'no_agent' };

/** Something the humans' side must be told; the shell carries it out through the gateway. */
export type HandoffCommand = { target: JsonObject; session: JsonObject } & (
  | { kind: 'relay'; messages: { id: string; text: string }[] }
  | { kind: 'close'; reason: 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED' }
  | { kind: 'reroute' }
);

/** What moves a handoff on. */
export type HandoffEvent =
  | { type: 'enter' }
  | { type: 'requested'; result: HandoffStart }
  | { type: 'user_turn'; turn: UserTurn }
  | { type: 'agent_message' }
  | { type: 'human_joined'; agentId?: string }
  | { type: 'human_left' }
  | { type: 'user_left' }
  | { type: 'timeout' }
  | { type: 'close' };

export interface HandoffStepResult {
  /** The new progress; absent when the handoff is over (`outcome`) or was not changed. */
  progress?: HandoffProgress;
  outcome?: HandoffOutcome;
  say: BotMessage[];
  set: Record<string, string>;
  commands: HandoffCommand[];
}

export function handoffTexts(request: HandoffRequest): HandoffTexts {
  const texts: HandoffTexts = { ...DEFAULT_HANDOFF_TEXTS };
  for (const [key, value] of Object.entries(request.texts ?? {}) as [keyof HandoffTexts, string | undefined][]) {
    if (value && value.trim()) texts[key] = value;
  }
  return texts;
}

/** Whether the user's turn is being answered by humans (their messages are relayed, not answered by the bot). */
export function humansAnswer(progress: HandoffProgress | undefined): boolean {
  return progress?.phase === 'queued' || progress?.phase === 'live';
}

/** The next instant the shell must wake this handoff up, if any. */
export function handoffDeadline(progress: HandoffProgress | undefined): number | undefined {
  if (!progress || !('deadline' in progress)) return undefined;
  if (progress.phase === 'queued' && progress.rerouteAt !== undefined) return Math.min(progress.deadline, progress.rerouteAt);
  return progress.deadline;
}

// The whole answer, not its first word: "no problem, I'll wait" is not "no".
const KEEP = /^\s*(1|y|yes|yeah|ok|okay|sure|keep|wait|keep waiting|i'?ll wait|continue)(,?\s+(please|thanks?|thank you))?\s*[.!]*\s*$/i;
const STOP = /^\s*(2|n|no|nope|stop|cancel|quit|leave|stop waiting)(,?\s+(please|thanks?|thank you))?\s*[.!]*\s*$/i;

/**
 * The handoff state machine, shared by every kind of humans (the built-in inbox and external
 * desks): bot → (email) → requesting → queued → live → resolved, with the exits `no_agent`,
 * `off_hours` and `unavailable`. Pure: it returns what to say, what to tell the humans' side,
 * and the next progress or the outcome.
 */
export function handoffStep(
  request: HandoffRequest,
  progress: HandoffProgress | undefined,
  event: HandoffEvent,
  context: { now: number; vars: Readonly<JsonObject> },
): HandoffStepResult {
  const texts = handoffTexts(request);
  const { now } = context;
  const result: HandoffStepResult = { say: [], set: {}, commands: [] };
  const queued = (session: JsonObject): HandoffProgress => {
    const reroute = Number(request.target['rerouteAfterSeconds'] ?? 0);
    return {
      phase: 'queued',
      session,
      deadline: now + request.waitTimeoutSeconds * 1000,
      ...(reroute > 0 ? { rerouteAt: now + reroute * 1000 } : {}),
    };
  };
  const target = request.target;
  const end = (outcome: HandoffOutcome, close?: 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED'): HandoffStepResult => {
    if (close && progress && 'session' in progress) result.commands.push({ kind: 'close', target, session: progress.session, reason: close });
    result.outcome = outcome;
    return result;
  };

  const keepWaitingQuestion = (): void => {
    result.say.push({ text: texts.keepWaiting, quickReplies: [texts.keepWaitingChoice, texts.stopWaitingChoice] });
  };
  type Waiting = Extract<HandoffProgress, { phase: 'queued' | 'asking' | 'leave_message' }>;

  const waitingUserTurn = (waiting: Waiting, turn: UserTurn): HandoffStepResult => {
    const relay = (): void => {
      result.commands.push({ kind: 'relay', target, session: waiting.session, messages: relayed(turn) });
    };
    if (waiting.phase === 'queued') {
      relay();
      return result;
    }
    if (waiting.phase === 'leave_message') {
      relay();
      result.say.push({ text: texts.messageLeft });
      return end('no_agent');
    }
    const answer = turn.text.trim();
    if (equalsChoice(answer, texts.keepWaitingChoice) || KEEP.test(answer)) {
      result.say.push({ text: texts.stillWaiting });
      result.progress = queued(waiting.session);
      return result;
    }
    if (equalsChoice(answer, texts.stopWaitingChoice) || STOP.test(answer)) return end('no_agent', 'USER_CLOSED');
    // Not an answer to the question: the humans get it, and the question stands.
    relay();
    keepWaitingQuestion();
    return result;
  };

  const waitingTimeout = (waiting: Waiting): HandoffStepResult => {
    if (waiting.phase === 'queued' && waiting.rerouteAt !== undefined && waiting.rerouteAt <= now && waiting.rerouteAt < waiting.deadline) {
      const reroute = Number(request.target['rerouteAfterSeconds'] ?? 0);
      result.commands.push({ kind: 'reroute', target, session: waiting.session });
      result.progress = { ...waiting, rerouteAt: now + reroute * 1000 };
      return result;
    }
    if (waiting.deadline > now) return result;
    if (waiting.phase !== 'queued') return end('no_agent', 'TIMEOUT');
    keepWaitingQuestion();
    result.progress = { phase: 'asking', session: waiting.session, deadline: now + request.waitTimeoutSeconds * 1000 };
    return result;
  };

  if (event.type === 'enter') {
    const known = getVariable(context.vars, 'user.email');
    if (request.requireEmail && !isEmail(known)) {
      result.say.push({ text: texts.emailPrompt });
      result.progress = { phase: 'email', attempts: 0 };
    } else {
      result.progress = { phase: 'requesting' };
    }
    return result;
  }
  if (!progress) return result;

  if (event.type === 'close') return end('resolved', 'USER_CLOSED');

  switch (progress.phase) {
    case 'email': {
      if (event.type === 'human_joined') {
        // A person took the conversation over (the inbox) while the bot asked: it is theirs now.
        result.progress = { phase: 'live', session: {}, ...(event.agentId ? { agentId: event.agentId } : {}) };
        return result;
      }
      if (event.type !== 'user_turn') return result;
      const email = findEmail(event.turn.text);
      if (email) {
        result.set['user.email'] = email;
        result.progress = { phase: 'requesting' };
      } else if (progress.attempts + 1 >= EMAIL_ATTEMPTS) {
        // The user would rather not say: the humans get the conversation without an email.
        result.progress = { phase: 'requesting' };
      } else {
        result.say.push({ text: texts.emailInvalid });
        result.progress = { phase: 'email', attempts: progress.attempts + 1 };
      }
      return result;
    }

    case 'requesting': {
      if (event.type === 'human_joined') {
        // Someone took the conversation while the request was on its way.
        result.progress = { phase: 'live', session: {}, ...(event.agentId ? { agentId: event.agentId } : {}) };
        return result;
      }
      if (event.type !== 'requested') return result;
      const started = event.result;
      if (started.outcome === 'queued') {
        if (started.leaveMessage) {
          result.say.push({ text: texts.leaveMessage });
          result.progress = { phase: 'leave_message', session: started.session, deadline: now + request.waitTimeoutSeconds * 1000 };
        } else {
          result.say.push({ text: texts.waiting });
          result.progress = queued(started.session);
        }
        return result;
      }
      if (started.outcome === 'live') {
        result.progress = { phase: 'live', session: started.session, ...(started.agentId ? { agentId: started.agentId } : {}) };
        return result;
      }
      return end(started.outcome);
    }

    case 'queued':
    case 'asking':
    case 'leave_message': {
      // What the people do is the same whatever the user is asked meanwhile.
      const session = progress.session;
      switch (event.type) {
        case 'human_joined':
          result.progress = { phase: 'live', session, ...(event.agentId ? { agentId: event.agentId } : {}) };
          return result;
        case 'agent_message':
          // A desk's human answering is them picking the conversation up.
          result.progress = { phase: 'live', session, deadline: now + request.sessionTimeoutSeconds * 1000 };
          return result;
        case 'human_left':
          return end('resolved');
        case 'user_left':
          return end('no_agent', 'USER_CLOSED');
        case 'user_turn':
          return waitingUserTurn(progress, event.turn);
        case 'timeout':
          return waitingTimeout(progress);
        default:
          return result;
      }
    }

    case 'live': {
      switch (event.type) {
        case 'user_turn': {
          // The user answered: the session waits for the human again, without a clock.
          const { deadline: _answered, ...waiting } = progress;
          result.commands.push({ kind: 'relay', target, session: progress.session, messages: relayed(event.turn) });
          result.progress = waiting;
          return result;
        }
        case 'agent_message':
          result.progress = { ...progress, deadline: now + request.sessionTimeoutSeconds * 1000 };
          return result;
        case 'human_joined':
          result.progress = { ...progress, ...(event.agentId ? { agentId: event.agentId } : {}) };
          return result;
        case 'human_left':
          return end('resolved');
        case 'user_left':
          return end('resolved', 'USER_CLOSED');
        case 'timeout':
          if (progress.deadline === undefined || progress.deadline > now) return result;
          result.say.push({ text: texts.sessionEnded });
          return end('resolved', 'TIMEOUT');
        default:
          return result;
      }
    }
  }
}

function equalsChoice(answer: string, choice: string): boolean {
  return answer.toLowerCase() === choice.trim().toLowerCase();
}

/** A burst is relayed message by message, as the user sent it: desks see what was written. */
function relayed(turn: UserTurn): { id: string; text: string }[] {
  return turn.messages.map(({ id, text }) => ({ id, text }));
}
