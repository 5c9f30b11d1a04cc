import { describe, expect, it } from 'vitest';
import {
  advanceCursor,
  currentQuickReplies,
  eventsUrl,
  humanActions,
  mergeMessages,
  parseMessageEvent,
  parseStatusEvent,
  reconnectDelayMs,
  setDelivery,
  statusText,
  userMessageId,
  type ChatMessage,
} from './transcript.js';

const at = '2026-01-05T10:00:00.000Z';
const bot = (seq: number, text = `bot ${seq}`, extra: Partial<ChatMessage> = {}): ChatMessage => ({ id: `c-b${seq}`, role: 'bot', text, createdAt: at, seq, ...extra });
const mine = (clientId: string, text: string, delivery: ChatMessage['delivery'] = 'sending'): ChatMessage => ({
  id: userMessageId('c', clientId),
  role: 'user',
  text,
  createdAt: at,
  delivery,
  clientMessageId: clientId,
});

describe('mergeMessages', () => {
  it('keeps one copy of a message delivered twice (a reconnect resending it)', () => {
    const once = mergeMessages([], [bot(1), bot(2)]);
    const twice = mergeMessages(once, [bot(2), bot(3)]);
    expect(twice.map((m) => m.id)).toEqual(['c-b1', 'c-b2', 'c-b3']);
  });

  it('returns the same array when nothing new arrived', () => {
    const current = mergeMessages([], [bot(1)]);
    expect(mergeMessages(current, [bot(1)])).toBe(current);
    expect(mergeMessages(current, [])).toBe(current);
  });

  it('orders stored messages by cursor whatever order they arrive in', () => {
    expect(mergeMessages([bot(3)], [bot(1), bot(2)]).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('replaces our optimistic message with the stored one, in the stored place', () => {
    const sending = mergeMessages([bot(1)], [mine('x', 'hello')]);
    expect(sending.at(-1)).toMatchObject({ text: 'hello', delivery: 'sending' });
    const stored: ChatMessage = { id: userMessageId('c', 'x'), role: 'user', text: 'hello', createdAt: at, seq: 2 };
    const merged = mergeMessages(sending, [bot(3), stored]);
    expect(merged.map((m) => m.id)).toEqual(['c-b1', 'c-u-x', 'c-b3']);
    expect(merged[1]).toEqual(stored);
  });

  it('keeps unconfirmed messages after the stored ones', () => {
    const merged = mergeMessages([mine('x', 'first')], [bot(1)]);
    expect(merged.map((m) => m.id)).toEqual(['c-b1', 'c-u-x']);
  });

  it('never lets an optimistic copy overwrite the stored one', () => {
    const stored: ChatMessage = { id: userMessageId('c', 'x'), role: 'user', text: 'hello', createdAt: at, seq: 2 };
    const merged = mergeMessages([stored], [mine('x', 'hello', 'failed')]);
    expect(merged).toEqual([stored]);
  });
});

describe('setDelivery', () => {
  it('marks a send as failed with its reason, and back to sending on retry', () => {
    const failed = setDelivery([mine('x', 'hi')], 'c-u-x', 'failed', 'offline');
    expect(failed[0]).toMatchObject({ delivery: 'failed', error: 'offline' });
    const retry = setDelivery(failed, 'c-u-x', 'sending');
    expect(retry[0]!.delivery).toBe('sending');
    expect(retry[0]).not.toHaveProperty('error');
  });

  it('leaves a stored message alone', () => {
    const stored = [bot(1)];
    expect(setDelivery(stored, 'c-b1', 'failed')).toBe(stored);
  });
});

describe('cursor handling', () => {
  it('advances to the highest numeric event id and ignores others', () => {
    expect(advanceCursor(0, '4')).toBe(4);
    expect(advanceCursor(4, '2')).toBe(4);
    expect(advanceCursor(4, undefined)).toBe(4);
    expect(advanceCursor(4, '')).toBe(4);
    expect(advanceCursor(4, 'abc')).toBe(4);
  });

  it('asks for what follows the cursor on reconnect', () => {
    expect(eventsUrl('cnv 1', 'ct_a+b', 0)).toBe('/api/conversations/cnv%201/events?token=ct_a%2Bb');
    expect(eventsUrl('cnv1', 'tok', 7)).toBe('/api/conversations/cnv1/events?token=tok&after=7');
  });

  it('backs off between reconnects up to a ceiling', () => {
    expect([0, 1, 2, 3, 10].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 4000, 10_000]);
  });
});

describe('parsing events', () => {
  it('reads a message event with its cursor and quick replies', () => {
    const data = JSON.stringify({ id: 'c-b1', role: 'bot', text: 'Keep waiting?', quickReplies: ['Yes', 'No'], createdAt: at });
    expect(parseMessageEvent(data, '5')).toEqual({ id: 'c-b1', role: 'bot', text: 'Keep waiting?', quickReplies: ['Yes', 'No'], createdAt: at, seq: 5 });
  });

  it('rejects data that is not a transcript message', () => {
    expect(parseMessageEvent('not json', '1')).toBeNull();
    expect(parseMessageEvent(JSON.stringify({ id: 'x', role: 'robot', text: 'hi' }), '1')).toBeNull();
    expect(parseMessageEvent(JSON.stringify({ role: 'bot', text: 'hi' }), '1')).toBeNull();
  });

  it('reads a status event', () => {
    expect(parseStatusEvent('{"status":"agent","assignee":"usr_1"}')).toEqual({ status: 'agent', assignee: 'usr_1' });
    expect(parseStatusEvent('{"status":"queued"}')).toEqual({ status: 'queued' });
    expect(parseStatusEvent('{"status":"lost"}')).toBeNull();
    expect(parseStatusEvent('{')).toBeNull();
  });
});

describe('status text and actions', () => {
  it('says who is answering in plain words', () => {
    expect(statusText('bot')).toBe('The bot is answering');
    expect(statusText('queued')).toBe('Waiting for a person to take over');
    expect(statusText('agent', 'usr_1', 'usr_1')).toBe('You are answering as the person');
    expect(statusText('agent', 'usr_2', 'usr_1')).toBe('A person is answering');
    expect(statusText('closed')).toBe('The conversation has ended');
  });

  it('offers the human side only while people have the conversation', () => {
    expect(humanActions('bot', undefined, 'me')).toMatchObject({ visible: false, canRequestHuman: true, canTakeOver: false });
    expect(humanActions('queued', undefined, 'me')).toMatchObject({ visible: true, canTakeOver: true, canReply: true, canComplete: true, canRequestHuman: false });
    expect(humanActions('agent', 'me', 'me')).toMatchObject({ visible: true, canTakeOver: false, canComplete: true });
    expect(humanActions('agent', 'someone', 'me').canTakeOver).toBe(true);
    expect(humanActions('closed', undefined, 'me')).toMatchObject({ visible: false, canRequestHuman: false });
  });

  it('offers quick replies only while the bot message carrying them is the latest', () => {
    const ask = bot(1, 'Keep waiting?', { quickReplies: ['Keep waiting', 'Stop'] });
    expect(currentQuickReplies([ask], 'queued')).toEqual(['Keep waiting', 'Stop']);
    expect(currentQuickReplies([ask, { ...mine('x', 'Stop'), seq: 2 }], 'queued')).toEqual([]);
    expect(currentQuickReplies([ask], 'closed')).toEqual([]);
    expect(currentQuickReplies([], 'bot')).toEqual([]);
  });
});
