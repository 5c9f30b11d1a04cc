import { describe, expect, test } from 'vitest';
import { userMessageId, type ServerMessage } from './messages.js';
import { addPending, currentQuickReplies, emptyTranscript, heldForNetwork, markPending, receive, unseen } from './transcript.js';

const msg = (id: string, role: ServerMessage['role'] = 'bot', extra: Partial<ServerMessage> = {}): ServerMessage => ({ id, role, text: `text ${id}`, createdAt: '2025-01-01T00:00:00.000Z', ...extra });
const ids = (t: { messages: { id: string }[] }) => t.messages.map((m) => m.id);

describe('receive', () => {
  test('a reconnect that delivers messages again does not duplicate them, and the cursor only moves forward', () => {
    let t = receive(emptyTranscript, [msg('b1'), msg('b2')], 2);
    t = receive(t, [msg('b2'), msg('b3')], 3);
    t = receive(t, [msg('b1')], 1);
    expect(ids(t)).toEqual(['b1', 'b2', 'b3']);
    expect(t.cursor).toBe(3);
  });

  test('the server copy of a pending message replaces it in place, before later pending ones', () => {
    const first = userMessageId('cnv_1', 'c1');
    const second = userMessageId('cnv_1', 'c2');
    let t = receive(emptyTranscript, [msg('b1')], 1);
    t = addPending(t, { id: first, text: 'hello', clientMessageId: 'c1', createdAt: 'x' });
    t = addPending(t, { id: second, text: 'again', clientMessageId: 'c2', createdAt: 'x' });
    t = receive(t, [msg(first, 'user'), msg('b2')], 3);
    expect(t.messages.map((m) => [m.id, m.delivery ?? 'confirmed'])).toEqual([
      ['b1', 'confirmed'],
      [first, 'confirmed'],
      ['b2', 'confirmed'],
      [second, 'sending'],
    ]);
  });

  test('returns the same object when nothing is new (React skips the render)', () => {
    const t = receive(emptyTranscript, [msg('b1')], 1);
    expect(receive(t, [msg('b1')], 1)).toBe(t);
  });

  test('a pending message is not added twice (a retry of the same message)', () => {
    const p = { id: 'cnv-u-c1', text: 'hi', clientMessageId: 'c1', createdAt: 'x' };
    expect(ids(addPending(addPending(emptyTranscript, p), p))).toEqual(['cnv-u-c1']);
  });

  test('keeps unconfirmed messages after the stored ones, whatever arrives meanwhile', () => {
    const t = receive(addPending(emptyTranscript, { id: 'c-u-x', text: 'first', clientMessageId: 'x', createdAt: 'x' }), [msg('b1')], 1);
    expect(ids(t)).toEqual(['b1', 'c-u-x']);
  });

  test('never lets an optimistic copy take the place of the stored one', () => {
    const stored = receive(emptyTranscript, [msg('c-u-x', 'user')], 2);
    expect(addPending(stored, { id: 'c-u-x', text: 'hello', clientMessageId: 'x', createdAt: 'x' })).toBe(stored);
    expect(markPending(stored, 'c-u-x', 'failed')).toBe(stored);
  });

  test("a message sent another way (a person's reply) waits as sent, in its role, for the stored copy", () => {
    let t = addPending(receive(emptyTranscript, [msg('b1')], 1), { id: 'a1', role: 'agent', text: 'Hi', createdAt: 'x', delivery: 'sent' });
    expect(t.messages.at(-1)).toMatchObject({ id: 'a1', role: 'agent', delivery: 'sent' });
    t = receive(t, [msg('u2', 'user'), msg('a1', 'agent')], 3);
    expect(t.messages.map((m) => [m.id, m.delivery ?? 'confirmed'])).toEqual([
      ['b1', 'confirmed'],
      ['u2', 'confirmed'],
      ['a1', 'confirmed'],
    ]);
  });
});

describe('unseen', () => {
  test('what the transcript has not stored yet, each once: a pending copy does not count as stored', () => {
    const t = addPending(receive(emptyTranscript, [msg('b1')], 1), { id: 'u1', text: 'hi', clientMessageId: 'c', createdAt: 'x' });
    expect(unseen(t, [msg('b1'), msg('u1', 'user'), msg('b2'), msg('b2')]).map((m) => m.id)).toEqual(['u1', 'b2']);
  });
});

describe('markPending', () => {
  test('marks failed with the reason, sending again clears it, and sent once accepted; confirmed messages are left alone', () => {
    let t = addPending(receive(emptyTranscript, [msg('b1')], 1), { id: 'u1', text: 'hi', clientMessageId: 'c1', createdAt: 'x' });
    t = markPending(t, 'u1', 'failed', 'No connection');
    expect(t.messages[1]).toMatchObject({ delivery: 'failed', error: 'No connection' });
    t = markPending(t, 'u1', 'sending');
    expect(t.messages[1]!.delivery).toBe('sending');
    expect(t.messages[1]!.error).toBeUndefined();
    expect(markPending(t, 'u1', 'sent').messages[1]!.delivery).toBe('sent');
    expect(markPending(t, 'b1', 'failed')).toBe(t);
  });
});

describe('messages held while the network is down', () => {
  const pending = (id: string) => ({ id: userMessageId('cnv_1', id), text: `text ${id}`, clientMessageId: id, createdAt: 'x' });
  test('are listed in the order written, to be sent again; the server copy after the resend confirms each once', () => {
    let t = receive(emptyTranscript, [msg('b1')], 1);
    t = markPending(addPending(t, pending('c1')), userMessageId('cnv_1', 'c1'), 'offline');
    t = markPending(addPending(t, pending('c2')), userMessageId('cnv_1', 'c2'), 'offline');
    t = addPending(t, pending('c3'));
    expect(heldForNetwork(t).map((m) => m.clientMessageId)).toEqual(['c1', 'c2']);
    // Back online: the stream replays what it missed (an agent's message) and the resent messages,
    // and the POST answers confirm the same ids again.
    t = receive(t, [msg('a1', 'agent'), msg(userMessageId('cnv_1', 'c1'), 'user')], 3);
    t = receive(t, [msg(userMessageId('cnv_1', 'c1'), 'user')]);
    t = receive(t, [msg(userMessageId('cnv_1', 'c2'), 'user'), msg(userMessageId('cnv_1', 'c3'), 'user')], 5);
    t = receive(t, [msg('a1', 'agent'), msg(userMessageId('cnv_1', 'c2'), 'user')], 4);
    expect(ids(t)).toEqual(['b1', 'a1', userMessageId('cnv_1', 'c1'), userMessageId('cnv_1', 'c2'), userMessageId('cnv_1', 'c3')]);
    expect(t.messages.every((m) => m.delivery === undefined)).toBe(true);
    expect(heldForNetwork(t)).toEqual([]);
    expect(t.cursor).toBe(5);
  });
});

describe('currentQuickReplies', () => {
  test("the last bot message's choices, gone once anyone writes after it", () => {
    const t = receive(emptyTranscript, [msg('b1', 'bot', { quickReplies: ['Yes', 'No'] })], 1);
    expect(currentQuickReplies(t)).toEqual(['Yes', 'No']);
    expect(currentQuickReplies(addPending(t, { id: 'u1', text: 'Yes', clientMessageId: 'c', createdAt: 'x' }))).toEqual([]);
    expect(currentQuickReplies(receive(t, [msg('u1', 'user')], 2))).toEqual([]);
    expect(currentQuickReplies(receive(t, [msg('a1', 'agent')], 2))).toEqual([]);
    expect(currentQuickReplies(emptyTranscript)).toEqual([]);
  });
});
