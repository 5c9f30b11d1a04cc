import { describe, expect, test } from 'vitest';
import { linkify } from './linkify.js';
import { closedNotice, formatOpening, parseAvailability, peopleAvailableText } from './availability.js';
import { botIsTyping, chatView } from './chat-view.js';
import { contrastRatio, textColorOn } from './color.js';
import { parseChatParams } from './params.js';
import { parseChatMessage, parseHostMessage } from './protocol.js';
import { userMessageId, type ServerMessage } from '../conversation/messages.js';
import { addPending, emptyTranscript, markPending, receive } from '../conversation/transcript.js';
import { clearStoredChat, readStoredChat, storageKey, writeStoredChat, type KeyValueStorage } from './session-store.js';

describe('parseChatParams', () => {
  test('the bot from the path; email, colour, title and parent origin from the query, each only when valid', () => {
    expect(parseChatParams('/chat/bot_1', '?email=ann%40example.com&color=%233355ff&title=Help&parent=https%3A%2F%2Fshop.example')).toEqual({
      botId: 'bot_1',
      email: 'ann@example.com',
      color: '#3355ff',
      title: 'Help',
      parentOrigin: 'https://shop.example',
    });
    expect(parseChatParams('/chat/bot_1/', '?email=nope&color=red;background:url(x)&parent=https%3A%2F%2Fshop.example%2Fpath')).toEqual({ botId: 'bot_1' });
    expect(parseChatParams('/chat/', '')).toBeUndefined();
    expect(parseChatParams('/other/bot_1', '')).toBeUndefined();
  });
});

describe('the stored chat', () => {
  const memory = (): KeyValueStorage & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
  };

  test('is kept per bot and read back; junk reads as nothing', () => {
    const storage = memory();
    writeStoredChat(storage, 'bot_a', { conversationId: 'cnv_1', token: 't1' });
    expect(readStoredChat(storage, 'bot_a')).toEqual({ conversationId: 'cnv_1', token: 't1' });
    expect(readStoredChat(storage, 'bot_b')).toBeUndefined();
    storage.setItem(storageKey('bot_b'), '{"conversationId":1}');
    expect(readStoredChat(storage, 'bot_b')).toBeUndefined();
    storage.setItem(storageKey('bot_b'), 'not json');
    expect(readStoredChat(storage, 'bot_b')).toBeUndefined();
    clearStoredChat(storage, 'bot_a');
    expect(readStoredChat(storage, 'bot_a')).toBeUndefined();
  });

  test('a storage that throws (blocked in a third-party frame) is survived', () => {
    const hostile: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readStoredChat(hostile, 'bot_a')).toBeUndefined();
    expect(() => writeStoredChat(hostile, 'bot_a', { conversationId: 'c', token: 't' })).not.toThrow();
    expect(() => clearStoredChat(hostile, 'bot_a')).not.toThrow();
  });

});

describe('availability', () => {
  const now = Date.parse('2025-03-05T15:00:00Z'); // a Wednesday
  test('people online, in words', () => {
    expect(peopleAvailableText(0)).toBe('Nobody from the team is online');
    expect(peopleAvailableText(1)).toBe('1 person available');
    expect(peopleAvailableText(3)).toBe('3 people available');
  });

  test("the next opening in the user's time zone and locale", () => {
    expect(formatOpening('2025-03-05T17:30:00Z', now, 'en-US', 'UTC')).toBe('today at 5:30 PM');
    expect(formatOpening('2025-03-06T09:00:00Z', now, 'en-GB', 'UTC')).toBe('tomorrow at 9:00');
    // 09:00 UTC on Thursday is 01:00 on Thursday in Los Angeles.
    expect(formatOpening('2025-03-06T09:00:00Z', now, 'en-US', 'America/Los_Angeles')).toBe('tomorrow at 1:00 AM');
    // Late on Wednesday in UTC is already Thursday in Tokyo: "tomorrow" follows the user's calendar.
    expect(formatOpening('2025-03-06T09:00:00Z', Date.parse('2025-03-05T16:00:00Z'), 'en-GB', 'Asia/Tokyo')).toBe('today at 18:00');
    expect(formatOpening('2025-03-08T09:00:00Z', now, 'en-GB', 'UTC')).toBe('on Saturday at 9:00');
    expect(formatOpening('2025-03-20T09:00:00Z', now, 'de-DE', 'Europe/Berlin')).toBe('on Donnerstag, 20. März at 10:00');
    expect(formatOpening('not a date', now, 'en-GB', 'UTC')).toBeUndefined();
  });

  test('the closed notice says when the team is back, and nothing while open', () => {
    expect(closedNotice({ open: false, nextOpenAt: '2025-03-06T09:00:00Z', agentsOnline: 0 }, now, 'en-GB', 'UTC')).toBe('Our team is away right now. We are back tomorrow at 9:00.');
    expect(closedNotice({ open: false, nextOpenAt: null, agentsOnline: 0 }, now, 'en-GB', 'UTC')).toBe('Our team is away right now.');
    expect(closedNotice({ open: true, nextOpenAt: null, agentsOnline: 2 }, now)).toBeUndefined();
  });

  test('parses the API answer defensively', () => {
    expect(parseAvailability({ open: true, nextOpenAt: null, agentsOnline: 2 })).toEqual({ open: true, nextOpenAt: null, agentsOnline: 2 });
    expect(parseAvailability({ open: 'yes' })).toBeUndefined();
  });
});

describe('chatView', () => {
  const base = { availability: { open: true, nextOpenAt: null, agentsOnline: 2 }, typing: false, messageLeft: false, humanRequest: 'idle', backWithBot: false } as const;
  const nobody = { ...base, availability: { open: true, nextOpenAt: null, agentsOnline: 0 } };
  test('with the bot: "Talk to a person", busy once pressed; typing while it answers', () => {
    expect(chatView({ ...base, state: { status: 'bot' } })).toMatchObject({ talkToPerson: 'shown', statusLine: undefined, endWithPerson: false });
    expect(chatView({ ...base, state: { status: 'bot' }, typing: true }).statusLine).toBe('Typing…');
    expect(chatView({ ...base, state: { status: 'bot' }, humanRequest: 'asking' })).toMatchObject({ talkToPerson: 'busy', statusLine: 'Asking for a person…' });
  });

  test('a request nobody takes says so, and the button is there to try again', () => {
    expect(chatView({ ...nobody, state: { status: 'bot' }, humanRequest: 'declined' })).toMatchObject({
      talkToPerson: 'shown',
      statusLine: 'Nobody from our team is online right now. The bot will go on helping you.',
    });
    expect(chatView({ ...base, state: { status: 'bot' }, humanRequest: 'declined' }).statusLine).toBe('Nobody from our team could take the chat just now. Please try again in a moment.');
  });

  test('outside service hours there is no "Talk to a person" (the closed notice says when the team is back)', () => {
    expect(chatView({ ...base, availability: { open: false, nextOpenAt: '2030-01-01T09:00:00.000Z', agentsOnline: 2 }, state: { status: 'bot' } }).talkToPerson).toBe('hidden');
  });

  test('handed back by a person: says the bot is there again', () => {
    expect(chatView({ ...base, state: { status: 'bot' }, backWithBot: true }).statusLine).toBe('You are talking to the bot again.');
    expect(chatView({ ...base, state: { status: 'bot' }, backWithBot: true, typing: true }).statusLine).toBe('Typing…');
  });

  test('queued: a person will answer; with nobody online, the leave-a-message form until a message is left', () => {
    expect(chatView({ ...base, state: { status: 'queued' } })).toMatchObject({ statusLine: 'A person will answer here. Please stay in this chat.', leaveMessageForm: false, talkToPerson: 'hidden' });
    expect(chatView({ ...nobody, state: { status: 'queued' } }).leaveMessageForm).toBe(true);
    expect(chatView({ ...nobody, state: { status: 'queued' }, messageLeft: true })).toMatchObject({ leaveMessageForm: false, statusLine: 'Your message was passed on to our team.' });
  });

  test('queued while the request is still unanswered: no form yet (it may flicker back to the bot)', () => {
    expect(chatView({ ...nobody, state: { status: 'queued' }, humanRequest: 'asking' })).toMatchObject({ leaveMessageForm: false, statusLine: 'Asking for a person…' });
  });

  test('with a person: their name and "End chat with person"; closed: ended', () => {
    expect(chatView({ ...base, state: { status: 'agent', assignee: 'usr_1', assigneeName: 'Zoe' } })).toMatchObject({ statusLine: 'You are talking to Zoe', endWithPerson: true, talkToPerson: 'hidden' });
    expect(chatView({ ...base, state: { status: 'agent' } }).statusLine).toBe('You are talking to a person from our team');
    expect(chatView({ ...base, state: { status: 'closed' } })).toMatchObject({ ended: true, endWithPerson: false, talkToPerson: 'hidden' });
  });
});

describe('the widget protocol', () => {
  test('the chat page accepts only the documented shapes from the page', () => {
    expect(parseHostMessage({ type: 'baton:set-user', user: { email: ' ann@example.com ', name: 'Ann', admin: true } })).toEqual({ type: 'baton:set-user', user: { email: 'ann@example.com', name: 'Ann' } });
    expect(parseHostMessage({ type: 'baton:set-user', user: {} })).toBeUndefined();
    expect(parseHostMessage({ type: 'baton:set-user', user: { email: 'x'.repeat(300) } })).toBeUndefined();
    expect(parseHostMessage({ type: 'baton:visibility', visible: true })).toEqual({ type: 'baton:visibility', visible: true });
    expect(parseHostMessage({ type: 'baton:visibility', visible: 'yes' })).toBeUndefined();
    expect(parseHostMessage({ type: 'baton:send', text: 'hi' })).toBeUndefined();
    expect(parseHostMessage('baton:set-user')).toBeUndefined();
  });

  test('the widget accepts only the documented shapes from the chat page', () => {
    expect(parseChatMessage({ type: 'baton:ready', conversationId: 'cnv_1' })).toEqual({ type: 'baton:ready', conversationId: 'cnv_1' });
    expect(parseChatMessage({ type: 'baton:unread', count: 2 })).toEqual({ type: 'baton:unread', count: 2 });
    expect(parseChatMessage({ type: 'baton:unread', count: -1 })).toBeUndefined();
    expect(parseChatMessage({ type: 'baton:close', extra: 1 })).toEqual({ type: 'baton:close' });
    expect(parseChatMessage({ type: 'baton:navigate', url: 'https://evil.example' })).toBeUndefined();
  });
});

describe('textColorOn', () => {
  test('picks the readable text colour for any brand colour', () => {
    expect(textColorOn('#3355ff')).toBe('#ffffff');
    expect(textColorOn('#ffd400')).toBe('#111827');
    expect(textColorOn('#fff')).toBe('#111827');
    for (const colour of ['#3355ff', '#ffd400', '#00a86b', '#e91e63', '#888888']) expect(contrastRatio(colour, textColorOn(colour))).toBeGreaterThan(3);
  });
});

describe('linkify', () => {
  test('http(s) links become links, without the sentence punctuation after them; the rest stays text', () => {
    expect(linkify('See https://shop.example/orders/12?x=1. Or call us.')).toEqual([
      { text: 'See ' },
      { href: 'https://shop.example/orders/12?x=1', text: 'https://shop.example/orders/12?x=1' },
      { text: '. Or call us.' },
    ]);
    expect(linkify('javascript:alert(1) <b>hi</b>')).toEqual([{ text: 'javascript:alert(1) <b>hi</b>' }]);
    expect(linkify('')).toEqual([]);
  });
});

describe('botIsTyping', () => {
  const msg = (id: string, role: ServerMessage['role'] = 'bot'): ServerMessage => ({ id, role, text: `text ${id}`, createdAt: '2025-01-01T00:00:00.000Z' });
  const sent = addPending(emptyTranscript, { id: 'u1', text: 'hi', clientMessageId: 'c', createdAt: 'x' });
  test('while the bot has the conversation and the user spoke last, for a limited time', () => {
    expect(botIsTyping(sent, 'bot', 1000, 2000)).toBe(true);
    expect(botIsTyping(sent, 'bot', 1000, 1000 + 20_000)).toBe(false);
    expect(botIsTyping(sent, 'agent', 1000, 2000)).toBe(false);
    expect(botIsTyping(receive(sent, [msg('u1', 'user'), msg('b1')], 2), 'bot', 1000, 2000)).toBe(false);
    expect(botIsTyping(receive(sent, [msg('u1', 'user')], 1), 'bot', 1000, 2000)).toBe(true);
    expect(botIsTyping(markPending(sent, 'u1', 'sent'), 'bot', 1000, 2000)).toBe(true);
    expect(botIsTyping(markPending(sent, 'u1', 'failed'), 'bot', 1000, 2000)).toBe(false);
  });

  test('not for messages held while the network is down', () => {
    const id = userMessageId('cnv_1', 'c1');
    const t = markPending(addPending(emptyTranscript, { id, text: 'hi', clientMessageId: 'c1', createdAt: 'x' }), id, 'offline');
    expect(botIsTyping(t, 'bot', 1000, 2000)).toBe(false);
  });
});
