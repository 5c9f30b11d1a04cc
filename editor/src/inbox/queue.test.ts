import { describe, expect, test } from 'vitest';
import type { InboxItem } from '../api/types.js';
import { availableActions } from './actions.js';
import {
  countByFilter,
  formatDuration,
  leftMessageIds,
  newlyWaiting,
  previewText,
  statusBadge,
  titleWithCount,
  userLabel,
  variableRows,
  visibleQueue,
  type PersonName,
} from './queue.js';

const item = (id: string, over: Partial<InboxItem> = {}): InboxItem => ({
  id,
  botId: 'bot_1',
  botName: 'Support',
  status: 'queued',
  user: {},
  leftMessage: false,
  updatedAt: '2025-01-01T10:00:00.000Z',
  ...over,
});

const ME = 'usr_me';
const queue = [
  item('queued-late', { lastMessage: { role: 'bot', text: 'connecting', createdAt: '2025-01-01T10:05:00.000Z' } }),
  item('queued-early', { lastMessage: { role: 'bot', text: 'connecting', createdAt: '2025-01-01T10:01:00.000Z' } }),
  item('mine', { status: 'agent', assignee: ME, updatedAt: '2025-01-01T10:02:00.000Z' }),
  item('theirs', { status: 'agent', assignee: 'usr_other', updatedAt: '2025-01-01T10:09:00.000Z' }),
  item('left', { status: 'bot', leftMessage: true, lastMessage: { role: 'bot', text: 'passed on', createdAt: '2025-01-01T10:03:00.000Z' } }),
];

describe('the queue', () => {
  test('filters: waiting (queued or a left message nobody has), mine, left messages; counted for the tabs', () => {
    expect(visibleQueue(queue, 'waiting', ME).map((i) => i.id)).toEqual(['queued-early', 'left', 'queued-late']);
    expect(visibleQueue(queue, 'mine', ME).map((i) => i.id)).toEqual(['mine']);
    expect(visibleQueue(queue, 'left', ME).map((i) => i.id)).toEqual(['left']);
    expect(countByFilter(queue, ME)).toEqual({ all: 5, waiting: 3, mine: 1, left: 1 });
    // A left message someone took is not waiting any more.
    expect(countByFilter([item('x', { status: 'agent', assignee: 'usr_other', leftMessage: true })], ME)).toMatchObject({ waiting: 0, left: 1 });
  });

  test('waiting ones first, longest wait first; then the others, latest first', () => {
    expect(visibleQueue(queue, 'all', ME).map((i) => i.id)).toEqual(['queued-early', 'left', 'queued-late', 'theirs', 'mine']);
  });

  test('what is new since the last list: nothing on the first list, then each conversation that starts waiting once', () => {
    expect(newlyWaiting(undefined, queue)).toEqual([]);
    const next = [...queue, item('new'), item('taken', { status: 'agent', assignee: ME })];
    expect(newlyWaiting(queue, next).map((i) => i.id)).toEqual(['new']);
    expect(newlyWaiting(next, next)).toEqual([]);
    // Taken, then waiting again (re-queued): news again.
    const requeued = next.map((i) => (i.id === 'mine' ? { ...i, status: 'queued' as const } : i));
    expect(newlyWaiting(next, requeued).map((i) => i.id)).toEqual(['mine']);
  });

  test('the title badge', () => {
    expect(titleWithCount('Baton', 2)).toBe('(2) Baton');
    expect(titleWithCount('(2) Baton', 3)).toBe('(3) Baton');
    expect(titleWithCount('(3) Baton', 0)).toBe('Baton');
    expect(titleWithCount('Baton', 250)).toBe('(99+) Baton');
    expect(titleWithCount('(99+) Baton', 1)).toBe('(1) Baton');
  });
});

describe('rows', () => {
  const people = new Map<string, PersonName>([['usr_other', { id: 'usr_other', name: 'Zoe', email: 'zoe@example.com' }], ['usr_noname', { id: 'usr_noname', name: '', email: 'max@example.com' }]]);
  test('status badges name the person, "you" for me', () => {
    expect(statusBadge({ status: 'queued' }, people, ME)).toEqual({ text: 'Waiting', tone: 'warning' });
    expect(statusBadge({ status: 'agent', assignee: 'usr_other' }, people, ME).text).toBe('With Zoe');
    expect(statusBadge({ status: 'agent', assignee: 'usr_noname' }, people, ME).text).toBe('With max@example.com');
    expect(statusBadge({ status: 'agent', assignee: ME }, people, ME).text).toBe('With you');
    expect(statusBadge({ status: 'queued', assignee: ME }, people, ME).text).toBe('Waiting for you');
    expect(statusBadge({ status: 'queued', assignee: 'usr_other' }, people, ME).text).toBe('Waiting for Zoe');
    expect(statusBadge({ status: 'bot', leftMessage: true }, people, ME)).toEqual({ text: 'Message left', tone: 'warning' });
    expect(statusBadge({ status: 'closed' }, people, ME).text).toBe('Closed');
    expect(statusBadge({ status: 'closed', leftMessage: true }, people, ME).text).toBe('Message left');
    expect(statusBadge({ status: 'queued', assignee: ME, leftMessage: true }, people, ME).text).toBe('Message left');
    expect(statusBadge({ status: 'bot' }, people, ME)).toEqual({ text: 'With the bot', tone: undefined });
  });

  test('the user and the last message', () => {
    expect(userLabel({ name: 'Ann', email: 'ann@example.com' })).toBe('Ann (ann@example.com)');
    expect(userLabel({ email: 'ann@example.com' })).toBe('ann@example.com');
    expect(userLabel({})).toBe('Anonymous visitor');
    expect(previewText(item('x', { lastMessage: { role: 'bot', text: 'Hello\n  there', createdAt: '' } }))).toBe('Bot: Hello there');
    expect(previewText(item('x', { lastMessage: { role: 'user', text: 'Where is my order?', createdAt: '' } }))).toBe('Where is my order?');
    expect(previewText(item('x'))).toBe('No messages yet');
  });

  test('durations', () => {
    const now = Date.parse('2025-01-01T12:00:00.000Z');
    expect(formatDuration('2025-01-01T11:59:30.000Z', now)).toBe('just now');
    expect(formatDuration('2025-01-01T11:56:00.000Z', now)).toBe('4 min');
    expect(formatDuration('2025-01-01T09:55:00.000Z', now)).toBe('2 h 5 min');
    expect(formatDuration('2025-01-01T10:00:00.000Z', now)).toBe('2 h');
    expect(formatDuration('2024-12-29T10:00:00.000Z', now)).toBe('3 d');
    expect(formatDuration('nonsense', now)).toBe('');
  });
});

describe('the conversation', () => {
  test('variables as sorted dotted rows', () => {
    expect(variableRows({ user: { email: 'a@b.c', plan: 'pro' }, order: 42, tags: ['x'], empty: {}, question: 'hi' })).toEqual([
      ['empty', '{}'],
      ['order', '42'],
      ['question', 'hi'],
      ['tags', '["x"]'],
      ['user.email', 'a@b.c'],
      ['user.plan', 'pro'],
    ]);
    expect(variableRows(undefined)).toEqual([]);
  });

  test('the left message: the last user messages before the bot thanked them', () => {
    const messages = [
      { id: 'u1', role: 'user' },
      { id: 'b1', role: 'bot' },
      { id: 'u2', role: 'user' },
      { id: 'u3', role: 'user' },
      { id: 'b2', role: 'bot' },
    ];
    expect([...leftMessageIds(messages, true)]).toEqual(['u3', 'u2']);
    expect([...leftMessageIds(messages, false)]).toEqual([]);
    expect([...leftMessageIds([...messages, { id: 'a1', role: 'agent' }], true)]).toEqual([]);
  });
});

describe('availableActions', () => {
  test('by status and by who has it', () => {
    expect(availableActions({ status: 'queued' }, ME)).toEqual({ actions: ['takeover', 'complete'], canReply: true });
    expect(availableActions({ status: 'agent', assignee: ME }, ME)).toEqual({ actions: ['complete'], canReply: true });
    expect(availableActions({ status: 'agent', assignee: 'usr_other' }, ME).actions).toEqual(['takeover', 'complete']);
    expect(availableActions({ status: 'bot' }, ME).actions).toEqual(['reactivate']);
    expect(availableActions({ status: 'closed' }, ME)).toMatchObject({ actions: ['reactivate'], canReply: false });
    expect(availableActions(undefined, ME)).toEqual({ actions: [], canReply: false });
  });
});
