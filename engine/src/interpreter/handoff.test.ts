import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF_TEXTS as TEXTS, type HandoffRequest, type JsonObject } from '@baton/nodes';
import {
  EMAIL_ATTEMPTS,
  handoffDeadline,
  handoffStep,
  handoffTexts,
  humansAnswer,
  type HandoffEvent,
  type HandoffProgress,
  type HandoffStepResult,
} from './handoff.js';

const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const S = 1000;
const target = { kind: 'inbox', assignTo: 'anyone' };
const session = { ticket: 't-1' };

function request(over: Partial<HandoffRequest> = {}): HandoffRequest {
  return { target, waitTimeoutSeconds: 60, sessionTimeoutSeconds: 180, historyRounds: 10, requireEmail: false, ...over };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** `handoffStep` with every input frozen: the machine must not mutate what it is given. */
function step(req: HandoffRequest, progress: HandoffProgress | undefined, event: HandoffEvent, now = T0, vars: JsonObject = {}): HandoffStepResult {
  return handoffStep(deepFreeze(structuredClone(req)), deepFreeze(structuredClone(progress)), deepFreeze(structuredClone(event)), {
    now,
    vars: deepFreeze(structuredClone(vars)),
  });
}

const said = (result: HandoffStepResult): string[] => result.say.map((m) => m.text);
/** A user turn; a burst is several texts, one per message id. */
const user = (text: string | string[], ids: string[] = ['m1']): HandoffEvent => {
  const texts = Array.isArray(text) ? text : [text];
  return {
    type: 'user_turn',
    turn: { messages: ids.map((id, i) => ({ id, text: texts[i] ?? '' })), messageIds: ids, text: texts.join('\n'), receivedAt: new Date(T0).toISOString() },
  };
};
const nothing: HandoffStepResult = { say: [], set: {}, commands: [] };
const keepWaitingQuestion = { text: TEXTS.keepWaiting, quickReplies: [TEXTS.keepWaitingChoice, TEXTS.stopWaitingChoice] };

const queued: HandoffProgress = { phase: 'queued', session, deadline: T0 + 60 * S };
const asking: HandoffProgress = { phase: 'asking', session, deadline: T0 + 60 * S };
const leaving: HandoffProgress = { phase: 'leave_message', session, deadline: T0 + 60 * S };
const live: HandoffProgress = { phase: 'live', session, deadline: T0 + 180 * S, agentId: 'ann' };

describe('handoffStep: entering', () => {
  it('goes straight to requesting without requireEmail', () => {
    expect(step(request(), undefined, { type: 'enter' })).toEqual({ ...nothing, progress: { phase: 'requesting' } });
  });

  it('asks for the email first when it is required and unknown', () => {
    const result = step(request({ requireEmail: true }), undefined, { type: 'enter' }, T0, { user: {} });
    expect(result).toEqual({ ...nothing, say: [{ text: TEXTS.emailPrompt }], progress: { phase: 'email', attempts: 0 } });
  });

  it('does not ask when user.email is already a valid email', () => {
    const result = step(request({ requireEmail: true }), undefined, { type: 'enter' }, T0, { user: { email: 'ann@example.com' } });
    expect(result).toEqual({ ...nothing, progress: { phase: 'requesting' } });
  });

  it('asks anyway when the known user.email is not an email', () => {
    const result = step(request({ requireEmail: true }), undefined, { type: 'enter' }, T0, { user: { email: 'not an email' } });
    expect(result.progress).toEqual({ phase: 'email', attempts: 0 });
  });

  it('does nothing for an event without progress (no handoff under way)', () => {
    for (const event of [user('hi'), { type: 'timeout' } as const, { type: 'close' } as const]) {
      expect(step(request(), undefined, event)).toEqual(nothing);
    }
  });
});

describe('handoffStep: email', () => {
  const req = request({ requireEmail: true });

  it('takes a valid email found in the answer, lower-cased, and asks the humans', () => {
    const result = step(req, { phase: 'email', attempts: 0 }, user('sure, it is Ann@Example.com!'));
    expect(result).toEqual({ ...nothing, set: { 'user.email': 'ann@example.com' }, progress: { phase: 'requesting' } });
  });

  it('says an invalid answer is not an email and asks again, counting attempts', () => {
    const result = step(req, { phase: 'email', attempts: 0 }, user('ann at example'));
    expect(result).toEqual({ ...nothing, say: [{ text: TEXTS.emailInvalid }], progress: { phase: 'email', attempts: 1 } });
  });

  it(`gives up after ${EMAIL_ATTEMPTS} answers that are not an email and asks the humans without one`, () => {
    let progress: HandoffProgress = { phase: 'email', attempts: 0 };
    const texts: string[] = [];
    for (let i = 0; i < EMAIL_ATTEMPTS; i++) {
      const result = step(req, progress, user(`no ${i}`));
      texts.push(...said(result));
      progress = result.progress!;
      expect(result.set).toEqual({});
    }
    expect(texts).toEqual(new Array(EMAIL_ATTEMPTS - 1).fill(TEXTS.emailInvalid));
    expect(progress).toEqual({ phase: 'requesting' });
  });

  it('ignores what is not an answer while asking (timeouts, agent messages)', () => {
    for (const event of [{ type: 'timeout' }, { type: 'agent_message' }, { type: 'human_left' }] as HandoffEvent[]) {
      expect(step(req, { phase: 'email', attempts: 1 }, event)).toEqual(nothing);
    }
  });

  it('gives the conversation to a human who takes it over while the email is asked', () => {
    expect(step(req, { phase: 'email', attempts: 1 }, { type: 'human_joined', agentId: 'ann' })).toEqual({
      ...nothing,
      progress: { phase: 'live', session: {}, agentId: 'ann' },
    });
  });

  it('ends resolved on close, with nothing to tell (the humans were never asked)', () => {
    expect(step(req, { phase: 'email', attempts: 0 }, { type: 'close' })).toEqual({ ...nothing, outcome: 'resolved' });
  });
});

describe('handoffStep: requesting', () => {
  const requesting: HandoffProgress = { phase: 'requesting' };

  it('queued: says the waiting text and waits until the wait timeout', () => {
    const result = step(request(), requesting, { type: 'requested', result: { outcome: 'queued', session } });
    expect(result).toEqual({ ...nothing, say: [{ text: TEXTS.waiting }], progress: { phase: 'queued', session, deadline: T0 + 60 * S } });
  });

  it('queued with a reroute delay: also wakes up to reroute', () => {
    const req = request({ target: { ...target, rerouteAfterSeconds: 20 } });
    const result = step(req, requesting, { type: 'requested', result: { outcome: 'queued', session } });
    expect(result.progress).toEqual({ phase: 'queued', session, deadline: T0 + 60 * S, rerouteAt: T0 + 20 * S });
  });

  it('queued with leaveMessage: invites the user to leave a message', () => {
    const result = step(request(), requesting, { type: 'requested', result: { outcome: 'queued', session, leaveMessage: true } });
    expect(result).toEqual({ ...nothing, say: [{ text: TEXTS.leaveMessage }], progress: { phase: 'leave_message', session, deadline: T0 + 60 * S } });
  });

  it('live: a human has it already, silently', () => {
    const result = step(request(), requesting, { type: 'requested', result: { outcome: 'live', session, agentId: 'ann' } });
    expect(result).toEqual({ ...nothing, progress: { phase: 'live', session, agentId: 'ann' } });
  });

  it.each(['unavailable', 'off_hours', 'no_agent'] as const)('%s: the handoff ends with that outcome, nothing to close', (outcome) => {
    expect(step(request(), requesting, { type: 'requested', result: { outcome } })).toEqual({ ...nothing, outcome });
  });

  it('a human joining before the answer makes it live', () => {
    expect(step(request(), requesting, { type: 'human_joined' })).toEqual({ ...nothing, progress: { phase: 'live', session: {} } });
  });

  it('ignores other events while the humans are being asked', () => {
    for (const event of [user('hello?'), { type: 'timeout' }, { type: 'agent_message' }] as HandoffEvent[]) {
      expect(step(request(), requesting, event)).toEqual(nothing);
    }
  });
});

describe('handoffStep: queued', () => {
  it('relays a user message to the humans and keeps waiting, silently', () => {
    expect(step(request(), queued, user('hello?'))).toEqual({
      ...nothing,
      commands: [{ kind: 'relay', target, session, messages: [{ id: 'm1', text: 'hello?' }] }],
    });
  });

  it('relays a burst as separate messages', () => {
    const result = step(request(), queued, user(['hi', 'my order', 'is late'], ['m1', 'm2', 'm3']));
    expect(result.commands).toEqual([
      {
        kind: 'relay',
        target,
        session,
        messages: [
          { id: 'm1', text: 'hi' },
          { id: 'm2', text: 'my order' },
          { id: 'm3', text: 'is late' },
        ],
      },
    ]);
  });

  it('relays a burst whose texts hold newlines message by message, as they were sent', () => {
    const result = step(request(), queued, user(['line 1\nline 2', 'second'], ['m1', 'm2']));
    expect(result.commands).toEqual([
      {
        kind: 'relay',
        target,
        session,
        messages: [
          { id: 'm1', text: 'line 1\nline 2' },
          { id: 'm2', text: 'second' },
        ],
      },
    ]);
  });

  it('a human joining makes it live, without a session clock until they write', () => {
    expect(step(request(), queued, { type: 'human_joined', agentId: 'ann' })).toEqual({ ...nothing, progress: { phase: 'live', session, agentId: 'ann' } });
  });

  it("a desk agent's message makes it live, with the session deadline armed", () => {
    expect(step(request(), queued, { type: 'agent_message' }, T0 + 5 * S)).toEqual({
      ...nothing,
      progress: { phase: 'live', session, deadline: T0 + 5 * S + 180 * S },
    });
  });

  it('the humans leaving resolves it, with nothing to close', () => {
    expect(step(request(), queued, { type: 'human_left' })).toEqual({ ...nothing, outcome: 'resolved' });
  });

  it('the user leaving ends it as no_agent and closes the humans\' side as USER_CLOSED', () => {
    expect(step(request(), queued, { type: 'user_left' })).toEqual({
      ...nothing,
      outcome: 'no_agent',
      commands: [{ kind: 'close', target, session, reason: 'USER_CLOSED' }],
    });
  });

  it('close closes the humans\' side as USER_CLOSED', () => {
    expect(step(request(), queued, { type: 'close' })).toEqual({
      ...nothing,
      outcome: 'resolved',
      commands: [{ kind: 'close', target, session, reason: 'USER_CLOSED' }],
    });
  });

  it('at the wait deadline asks whether to keep waiting, with quick replies, and waits again', () => {
    const now = T0 + 60 * S;
    expect(step(request(), queued, { type: 'timeout' }, now)).toEqual({
      ...nothing,
      say: [keepWaitingQuestion],
      progress: { phase: 'asking', session, deadline: now + 60 * S },
    });
  });

  it('ignores a timeout before the deadline', () => {
    expect(step(request(), queued, { type: 'timeout' }, T0 + 59 * S)).toEqual(nothing);
  });

  it('at rerouteAt tells the humans to reroute and sets the next rerouteAt', () => {
    const req = request({ target: { ...target, rerouteAfterSeconds: 20 } });
    const progress: HandoffProgress = { ...queued, rerouteAt: T0 + 20 * S };
    const result = step(req, progress, { type: 'timeout' }, T0 + 20 * S);
    expect(result).toEqual({
      ...nothing,
      commands: [{ kind: 'reroute', target: req.target, session }],
      progress: { ...progress, rerouteAt: T0 + 40 * S },
    });
    const again = step(req, result.progress, { type: 'timeout' }, T0 + 40 * S);
    expect(again.commands.map((c) => c.kind)).toEqual(['reroute']);
    expect(again.progress).toEqual({ ...progress, rerouteAt: T0 + 60 * S });
  });

  it('asks to keep waiting rather than rerouting once the wait deadline is reached too', () => {
    const req = request({ target: { ...target, rerouteAfterSeconds: 20 } });
    const result = step(req, { ...queued, rerouteAt: T0 + 60 * S }, { type: 'timeout' }, T0 + 60 * S);
    expect(result.commands).toEqual([]);
    expect(said(result)).toEqual([TEXTS.keepWaiting]);
    expect(result.progress?.phase).toBe('asking');
  });
});

describe('handoffStep: asking whether to keep waiting', () => {
  const now = T0 + 70 * S;

  it.each([TEXTS.keepWaitingChoice, 'keep WAITING', 'yes', 'Yes please', '1', ' ok '])('"%s" keeps waiting, with a new deadline', (answer) => {
    expect(step(request(), asking, user(answer), now)).toEqual({
      ...nothing,
      say: [{ text: TEXTS.stillWaiting }],
      progress: { phase: 'queued', session, deadline: now + 60 * S },
    });
  });

  it('reads the whole answer: "no problem, I\'ll wait" is not a stop', () => {
    const result = step(request(), asking, user("no problem, I'll wait"), now);
    expect(result.outcome).toBeUndefined();
    expect(result.commands).toEqual([{ kind: 'relay', target: request().target, session, messages: [{ id: 'm1', text: "no problem, I'll wait" }] }]);
    expect(result.say).toEqual([{ text: TEXTS.keepWaiting, quickReplies: [TEXTS.keepWaitingChoice, TEXTS.stopWaitingChoice] }]);
  });

  it('keeping waiting re-arms the reroute too', () => {
    const req = request({ target: { ...target, rerouteAfterSeconds: 20 } });
    expect(step(req, asking, user('yes'), now).progress).toEqual({ phase: 'queued', session, deadline: now + 60 * S, rerouteAt: now + 20 * S });
  });

  it.each([TEXTS.stopWaitingChoice, 'stop', 'no', 'No thanks', '2'])('"%s" stops: no_agent, the humans\' side closed as USER_CLOSED', (answer) => {
    expect(step(request(), asking, user(answer), now)).toEqual({
      ...nothing,
      outcome: 'no_agent',
      commands: [{ kind: 'close', target, session, reason: 'USER_CLOSED' }],
    });
  });

  it('any other text goes to the humans and the question is asked again', () => {
    expect(step(request(), asking, user('my order 42 is late'), now)).toEqual({
      ...nothing,
      say: [keepWaitingQuestion],
      commands: [{ kind: 'relay', target, session, messages: [{ id: 'm1', text: 'my order 42 is late' }] }],
    });
  });

  it('does not read a longer word as an answer ("yesterday", "10", "nothing")', () => {
    for (const answer of ['yesterday I ordered', '10 minutes', 'nothing arrived']) {
      const result = step(request(), asking, user(answer), now);
      expect(result.outcome, answer).toBeUndefined();
      expect(result.progress, answer).toBeUndefined();
      expect(result.commands.map((c) => c.kind), answer).toEqual(['relay']);
    }
  });

  it('no answer by the deadline: no_agent, the humans\' side closed as TIMEOUT', () => {
    expect(step(request(), asking, { type: 'timeout' }, T0 + 60 * S)).toEqual({
      ...nothing,
      outcome: 'no_agent',
      commands: [{ kind: 'close', target, session, reason: 'TIMEOUT' }],
    });
    expect(step(request(), asking, { type: 'timeout' }, T0 + 59 * S)).toEqual(nothing);
  });

  it('a human can still pick it up, join or write, and the user can leave', () => {
    expect(step(request(), asking, { type: 'human_joined', agentId: 'bo' }).progress).toEqual({ phase: 'live', session, agentId: 'bo' });
    expect(step(request(), asking, { type: 'agent_message' }, now).progress).toEqual({ phase: 'live', session, deadline: now + 180 * S });
    expect(step(request(), asking, { type: 'human_left' })).toEqual({ ...nothing, outcome: 'resolved' });
    expect(step(request(), asking, { type: 'user_left' })).toEqual({
      ...nothing,
      outcome: 'no_agent',
      commands: [{ kind: 'close', target, session, reason: 'USER_CLOSED' }],
    });
  });
});

describe('handoffStep: leave_message', () => {
  it('relays the message, thanks the user and ends as no_agent (the message waits for the humans)', () => {
    expect(step(request(), leaving, user('call me at 555-0100'))).toEqual({
      ...nothing,
      say: [{ text: TEXTS.messageLeft }],
      commands: [{ kind: 'relay', target, session, messages: [{ id: 'm1', text: 'call me at 555-0100' }] }],
      outcome: 'no_agent',
    });
  });

  it('no message by the deadline: no_agent, closed as TIMEOUT', () => {
    expect(step(request(), leaving, { type: 'timeout' }, T0 + 60 * S)).toEqual({
      ...nothing,
      outcome: 'no_agent',
      commands: [{ kind: 'close', target, session, reason: 'TIMEOUT' }],
    });
    expect(step(request(), leaving, { type: 'timeout' }, T0 + 30 * S)).toEqual(nothing);
  });

  it('a human joining makes it live; the user leaving closes it as USER_CLOSED', () => {
    expect(step(request(), leaving, { type: 'human_joined' }).progress).toEqual({ phase: 'live', session });
    expect(step(request(), leaving, { type: 'user_left' })).toEqual({
      ...nothing,
      outcome: 'no_agent',
      commands: [{ kind: 'close', target, session, reason: 'USER_CLOSED' }],
    });
  });

  it("a desk agent's message makes it live with the session deadline; the humans leaving resolves it", () => {
    expect(step(request(), leaving, { type: 'agent_message' }, T0 + 5 * S).progress).toEqual({ phase: 'live', session, deadline: T0 + 185 * S });
    expect(step(request(), leaving, { type: 'human_left' })).toEqual({ ...nothing, outcome: 'resolved' });
  });
});

describe('handoffStep: live', () => {
  it('relays the user\'s answer and clears the session deadline (the human must answer now)', () => {
    expect(step(request(), live, user('thanks, and my invoice?'))).toEqual({
      ...nothing,
      commands: [{ kind: 'relay', target, session, messages: [{ id: 'm1', text: 'thanks, and my invoice?' }] }],
      progress: { phase: 'live', session, agentId: 'ann' },
    });
  });

  it("re-arms the session deadline on the human's message", () => {
    const answered: HandoffProgress = { phase: 'live', session, agentId: 'ann' };
    expect(step(request(), answered, { type: 'agent_message' }, T0 + 30 * S)).toEqual({
      ...nothing,
      progress: { ...answered, deadline: T0 + 30 * S + 180 * S },
    });
  });

  it('at the session deadline says it ended, closes as TIMEOUT and resolves', () => {
    expect(step(request(), live, { type: 'timeout' }, T0 + 180 * S)).toEqual({
      ...nothing,
      say: [{ text: TEXTS.sessionEnded }],
      commands: [{ kind: 'close', target, session, reason: 'TIMEOUT' }],
      outcome: 'resolved',
    });
  });

  it('ignores a timeout before the session deadline, or without one (the user spoke last)', () => {
    expect(step(request(), live, { type: 'timeout' }, T0 + 179 * S)).toEqual(nothing);
    expect(step(request(), { phase: 'live', session }, { type: 'timeout' }, T0 + 10_000 * S)).toEqual(nothing);
  });

  it('the user leaving closes as USER_CLOSED and resolves; the humans leaving resolves with nothing to close', () => {
    expect(step(request(), live, { type: 'user_left' })).toEqual({
      ...nothing,
      commands: [{ kind: 'close', target, session, reason: 'USER_CLOSED' }],
      outcome: 'resolved',
    });
    expect(step(request(), live, { type: 'human_left' })).toEqual({ ...nothing, outcome: 'resolved' });
  });

  it('another human joining takes the assignment over', () => {
    expect(step(request(), live, { type: 'human_joined', agentId: 'bo' }).progress).toEqual({ ...live, agentId: 'bo' });
  });

  it('close closes the humans\' side as USER_CLOSED', () => {
    expect(step(request(), live, { type: 'close' }).commands).toEqual([{ kind: 'close', target, session, reason: 'USER_CLOSED' }]);
  });
});

describe('handoff texts', () => {
  const texts = {
    emailPrompt: 'Your email?',
    emailInvalid: 'Bad email.',
    waiting: 'Hold on.',
    keepWaiting: 'Still there? Wait more?',
    keepWaitingChoice: 'Ja',
    stopWaitingChoice: 'Nein',
    stillWaiting: 'Still looking.',
    leaveMessage: 'Leave a note.',
    messageLeft: 'Noted.',
    sessionEnded: 'Bye from the team.',
  };
  const req = request({ requireEmail: true, texts });

  it('overrides every line, and empty or blank lines fall back to the default', () => {
    expect(handoffTexts(req)).toEqual(texts);
    expect(handoffTexts(request({ texts: { waiting: '', stillWaiting: '  ' } }))).toEqual(TEXTS);
  });

  it('uses the overrides in every phase', () => {
    expect(said(step(req, undefined, { type: 'enter' }))).toEqual(['Your email?']);
    expect(said(step(req, { phase: 'email', attempts: 0 }, user('nope')))).toEqual(['Bad email.']);
    expect(said(step(req, { phase: 'requesting' }, { type: 'requested', result: { outcome: 'queued', session } }))).toEqual(['Hold on.']);
    expect(said(step(req, { phase: 'requesting' }, { type: 'requested', result: { outcome: 'queued', session, leaveMessage: true } }))).toEqual(['Leave a note.']);
    expect(step(req, queued, { type: 'timeout' }, T0 + 60 * S).say).toEqual([{ text: 'Still there? Wait more?', quickReplies: ['Ja', 'Nein'] }]);
    expect(said(step(req, leaving, user('hi')))).toEqual(['Noted.']);
    expect(said(step(req, live, { type: 'timeout' }, T0 + 180 * S))).toEqual(['Bye from the team.']);
  });

  it('recognises the custom choices, case-insensitively, as well as yes/no', () => {
    expect(said(step(req, asking, user('ja')))).toEqual(['Still looking.']);
    expect(step(req, asking, user('NEIN')).outcome).toBe('no_agent');
    expect(step(req, asking, user('yes')).progress?.phase).toBe('queued');
    expect(step(req, asking, user('2')).outcome).toBe('no_agent');
  });
});

describe('handoffDeadline and humansAnswer', () => {
  it('is the earliest instant the shell must wake the handoff up', () => {
    expect(handoffDeadline(undefined)).toBeUndefined();
    expect(handoffDeadline({ phase: 'requesting' })).toBeUndefined();
    expect(handoffDeadline({ phase: 'email', attempts: 0 })).toBeUndefined();
    expect(handoffDeadline(queued)).toBe(T0 + 60 * S);
    expect(handoffDeadline({ ...queued, rerouteAt: T0 + 20 * S })).toBe(T0 + 20 * S);
    expect(handoffDeadline({ ...queued, rerouteAt: T0 + 80 * S })).toBe(T0 + 60 * S);
    expect(handoffDeadline(asking)).toBe(T0 + 60 * S);
    expect(handoffDeadline(live)).toBe(T0 + 180 * S);
    expect(handoffDeadline({ phase: 'live', session })).toBeUndefined();
  });

  it('says humans answer the user only while queued or live', () => {
    expect([undefined, { phase: 'email', attempts: 0 }, { phase: 'requesting' }, queued, asking, leaving, live].map((p) => humansAnswer(p as HandoffProgress | undefined))).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
  });
});
