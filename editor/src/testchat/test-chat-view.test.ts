import { describe, expect, it } from 'vitest';
import { userMessageId } from '../conversation/messages.js';
import { emptyTranscript, receive } from '../conversation/transcript.js';
import { connectionText, humanActions, quickReplies, statusText } from './test-chat-view.js';

const at = '2026-01-05T10:00:00.000Z';

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

  it('says how the connection is only while it does not work', () => {
    expect(connectionText('connecting')).toBe('Connecting…');
    expect(connectionText('reconnecting')).toBe('Connection lost, reconnecting…');
    expect(connectionText('live')).toBeUndefined();
    expect(connectionText('polling')).toBeUndefined();
  });

  it('offers quick replies only while the bot message carrying them is the latest', () => {
    const ask = receive(emptyTranscript, [{ id: 'c-b1', role: 'bot', text: 'Keep waiting?', quickReplies: ['Keep waiting', 'Stop'], createdAt: at }], 1);
    expect(quickReplies(ask, 'queued')).toEqual(['Keep waiting', 'Stop']);
    expect(quickReplies(receive(ask, [{ id: userMessageId('c', 'x'), role: 'user', text: 'Stop', createdAt: at }], 2), 'queued')).toEqual([]);
    expect(quickReplies(ask, 'closed')).toEqual([]);
    expect(quickReplies(emptyTranscript, 'bot')).toEqual([]);
  });
});
