import { describe, expect, test } from 'vitest';
import { newClientMessageId, parseConversationState, parseJson, parseServerMessage, userMessageId } from './messages.js';

const at = '2026-01-05T10:00:00.000Z';

describe('parseServerMessage', () => {
  test('keeps the documented fields and refuses anything else', () => {
    expect(parseServerMessage({ id: 'm', role: 'bot', text: 't', createdAt: 'c', quickReplies: ['a', 3], extra: 1 })).toEqual({ id: 'm', role: 'bot', text: 't', createdAt: 'c', quickReplies: ['a'] });
    expect(parseServerMessage({ id: 'm', role: 'admin', text: 't', createdAt: 'c' })).toBeUndefined();
    expect(parseServerMessage(null)).toBeUndefined();
  });

  test('reads a stream event with its quick replies; rejects data that is not a transcript message', () => {
    const data = JSON.stringify({ id: 'c-b1', role: 'bot', text: 'Keep waiting?', quickReplies: ['Yes', 'No'], createdAt: at });
    expect(parseJson(data, parseServerMessage)).toEqual({ id: 'c-b1', role: 'bot', text: 'Keep waiting?', quickReplies: ['Yes', 'No'], createdAt: at });
    expect(parseJson('not json', parseServerMessage)).toBeUndefined();
    expect(parseJson(JSON.stringify({ id: 'x', role: 'robot', text: 'hi', createdAt: at }), parseServerMessage)).toBeUndefined();
    expect(parseJson(JSON.stringify({ role: 'bot', text: 'hi', createdAt: at }), parseServerMessage)).toBeUndefined();
  });
});

describe('parseConversationState', () => {
  test('reads a status event, with the assignee and their name when there', () => {
    expect(parseJson('{"status":"agent","assignee":"usr_1","assigneeName":"Ana"}', parseConversationState)).toEqual({ status: 'agent', assignee: 'usr_1', assigneeName: 'Ana' });
    expect(parseJson('{"status":"queued","assigneeName":""}', parseConversationState)).toEqual({ status: 'queued' });
    expect(parseJson('{"status":"lost"}', parseConversationState)).toBeUndefined();
    expect(parseJson('{', parseConversationState)).toBeUndefined();
    expect(parseConversationState([])).toBeUndefined();
  });
});

describe('message ids', () => {
  test('client message ids match what the API accepts and differ', () => {
    const a = newClientMessageId();
    expect(a).toMatch(/^[A-Za-z0-9_.:-]{1,100}$/);
    expect(newClientMessageId()).not.toBe(a);
  });

  test("a user message's id is the one the server gives it", () => {
    expect(userMessageId('cnv_1', 'c1')).toBe('cnv_1-u-c1');
  });
});
