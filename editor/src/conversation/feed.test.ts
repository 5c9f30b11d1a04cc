import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiError, installFakeBrowser, json, type FakeBrowser } from '../../testing/fake-browser.js';
import type { LiveConnection } from '../api/live-stream.js';
import { CHAT_SENDING, openConversationFeed, type ConversationFeedOptions } from './feed.js';
import { userMessageId, type ServerMessage } from './messages.js';

const at = '2026-01-05T10:00:00.000Z';
const bot = (seq: number, text = `bot ${seq}`): ServerMessage => ({ id: `c-b${seq}`, role: 'bot', text, createdAt: at });
const MESSAGES = 'GET /api/conversations/c/messages';
const CONVERSATION = 'GET /api/conversations/c';
const SEND = 'POST /api/conversations/c/messages';

let browser: FakeBrowser;
const flush = () => browser.flush();
const advance = (ms: number) => browser.advance(ms);

function follow(options: Partial<ConversationFeedOptions> = {}) {
  const news: { ids: string[]; history: boolean }[] = [];
  const statuses: string[] = [];
  const feed = openConversationFeed({
    conversationId: 'c',
    token: 'tok',
    onMessages: (messages, { history }) => news.push({ ids: messages.map((m) => m.id), history }),
    onStatus: (next) => statuses.push(next.status),
    ...options,
  });
  const connections: LiveConnection[] = [feed.state.connection];
  feed.subscribe(() => {
    if (connections.at(-1) !== feed.state.connection) connections.push(feed.state.connection);
  });
  const messages = () => feed.state.transcript.messages;
  return { feed, news, statuses, connections, messages, ids: () => messages().map((m) => m.id), last: () => messages().at(-1)! };
}

const sends = () => browser.requests.filter((r) => r.method === 'POST' && r.path === '/api/conversations/c/messages');
const accept = () => browser.route(SEND, (r) => json(202, { messageId: userMessageId('c', (r.body as { clientMessageId: string }).clientMessageId) }));

beforeEach(() => {
  browser = installFakeBrowser();
});
afterEach(() => browser.uninstall());

describe('the stream', () => {
  it('delivers messages and statuses from the cursor; what came before the first status is history', () => {
    const h = follow();
    expect(browser.source.url).toBe('/api/conversations/c/events?after=0&token=tok');
    browser.source.emit('message', bot(1, 'Hi'), '1');
    browser.source.emit('status', { status: 'bot' });
    browser.source.emit('message', bot(2), '2');
    expect(h.ids()).toEqual(['c-b1', 'c-b2']);
    expect(h.feed.state.conversation).toEqual({ status: 'bot' });
    expect(h.feed.state.transcript.cursor).toBe(2);
    expect(h.connections).toEqual(['connecting', 'live']);
    expect(h.news).toEqual([
      { ids: ['c-b1'], history: true },
      { ids: ['c-b2'], history: false },
    ]);
  });

  it('reconnects after a drop from the last cursor, with growing delays, and keeps one copy of what comes twice', async () => {
    const h = follow();
    const first = browser.source;
    first.emit('message', bot(1), '1');
    first.emit('message', bot(2), '2');
    first.fail();
    expect(first.closed).toBe(true);
    expect(h.feed.state.connection).toBe('reconnecting');
    await advance(499);
    expect(browser.sources).toHaveLength(1);
    await advance(1);
    expect(browser.source.query.get('after')).toBe('2');
    browser.source.fail();
    await advance(999);
    expect(browser.sources).toHaveLength(2);
    await advance(1);
    expect(browser.sources).toHaveLength(3);
    // The server sends again what the page may have missed.
    browser.source.emit('message', bot(2), '2');
    browser.source.emit('message', bot(3), '3');
    expect(h.ids()).toEqual(['c-b1', 'c-b2', 'c-b3']);
    expect(h.news.map((n) => n.ids)).toEqual([['c-b1'], ['c-b2'], ['c-b3']]);
    expect(h.feed.state.connection).toBe('live');
    // A stream that delivered resets the backoff.
    browser.source.fail();
    await advance(500);
    expect(browser.sources).toHaveLength(4);
  });

  it('counts a stream that says nothing for 10 s as failed', async () => {
    follow();
    await advance(9_999);
    expect(browser.source.closed).toBe(false);
    await advance(1);
    expect(browser.source.closed).toBe(true);
    await advance(500);
    expect(browser.sources).toHaveLength(2);
  });

  it('ignores events of a stream it has replaced', async () => {
    const h = follow();
    const first = browser.source;
    first.fail();
    await advance(500);
    first.emit('message', bot(9, 'late'), '9');
    expect(h.ids()).toEqual([]);
    expect(h.feed.state.transcript.cursor).toBe(0);
  });

  it('skips what it cannot read, but moves past its cursor', () => {
    const h = follow();
    browser.source.emit('message', '{"id":"x","role":"robot"}', '1');
    browser.source.emit('message', 'not json', '2');
    browser.source.emit('status', { status: 'lost' });
    expect(h.ids()).toEqual([]);
    expect(h.feed.state.transcript.cursor).toBe(2);
    expect(h.feed.state.conversation).toBeUndefined();
  });

  it('tells a status once, however often a reconnect repeats it', async () => {
    const h = follow();
    browser.source.emit('status', { status: 'agent', assignee: 'usr_1', assigneeName: 'Ana' });
    browser.source.fail();
    await advance(500);
    browser.source.emit('status', { status: 'agent', assignee: 'usr_1', assigneeName: 'Ana' });
    browser.source.emit('status', { status: 'bot' });
    expect(h.statuses).toEqual(['agent', 'bot']);
  });

  it('stops for good when closed, also with a reconnect pending', async () => {
    const h = follow();
    browser.source.fail();
    h.feed.close();
    await advance(60_000);
    expect(browser.sources).toHaveLength(1);
    const other = follow();
    other.feed.close();
    expect(browser.source.closed).toBe(true);
  });
});

describe('when streaming keeps failing', () => {
  it('reads the transcript from the cursor instead, and tries the stream again after a while', async () => {
    browser.route(MESSAGES, (r) => json(200, r.query.get('after') === '0' ? { messages: [bot(1), bot(2)], cursor: '2' } : { messages: [], cursor: r.query.get('after') }));
    browser.route(CONVERSATION, () => json(200, { id: 'c', status: 'queued' }));
    const h = follow();
    browser.source.fail();
    await advance(500);
    browser.source.fail();
    await advance(1000);
    browser.source.fail();
    await advance(0);
    expect(h.feed.state.connection).toBe('polling');
    expect(h.ids()).toEqual(['c-b1', 'c-b2']);
    expect(h.feed.state.conversation).toEqual({ status: 'queued' });
    const reads = () => browser.requests.filter((r) => r.path === '/api/conversations/c/messages');
    expect(reads()[0]!.headers.get('authorization')).toBe('Bearer tok');
    await advance(3000);
    expect(reads().map((r) => r.query.get('after'))).toEqual(['0', '2']);
    // Three more reads: after the fifth, the stream again (at once, that is on the next tick), from the cursor.
    await advance(3 * 3000);
    expect(browser.sources).toHaveLength(3);
    await advance(1);
    expect(browser.sources).toHaveLength(4);
    expect(browser.source.query.get('after')).toBe('2');
  });

  it('stops, and says so, when the conversation is gone', async () => {
    browser.route(MESSAGES, () => apiError(404, 'not_found'));
    const h = follow();
    for (const wait of [500, 1000, 0]) {
      browser.source.fail();
      await advance(wait);
    }
    expect(h.feed.state.gone).toBe(true);
    await advance(60_000);
    expect(browser.sources).toHaveLength(3);
  });
});

describe('sending', () => {
  it("shows the user's message at once, then the stored copy in its place", async () => {
    accept();
    const h = follow();
    browser.source.emit('message', bot(1), '1');
    h.feed.send('  hello  ');
    const mine = h.last();
    expect(mine).toMatchObject({ role: 'user', text: 'hello', delivery: 'sending' });
    expect(mine.id).toBe(userMessageId('c', mine.clientMessageId!));
    await flush();
    expect(sends().map((r) => r.body)).toEqual([{ text: 'hello', clientMessageId: mine.clientMessageId }]);
    expect(sends()[0]!.headers.get('authorization')).toBe('Bearer tok');
    expect(h.last().delivery).toBe('sent');
    // What the server stored before it stays before it.
    browser.source.emit('message', bot(2), '2');
    expect(h.ids()).toEqual(['c-b1', 'c-b2', mine.id]);
    browser.source.emit('message', { id: mine.id, role: 'user', text: 'hello', createdAt: at }, '3');
    browser.source.emit('message', bot(4), '4');
    expect(h.messages().map((m) => [m.id, m.delivery])).toEqual([
      ['c-b1', undefined],
      ['c-b2', undefined],
      [mine.id, undefined],
      ['c-b4', undefined],
    ]);
    expect(h.news.at(-2)!.ids).toEqual([mine.id]);
  });

  it('tries again, then holds the message until the network is back, and sends what was held in order under the same ids', async () => {
    let up = false;
    browser.route(SEND, (r) => (up ? json(202, { messageId: userMessageId('c', (r.body as { clientMessageId: string }).clientMessageId) }) : apiError(503, 'unavailable')));
    const h = follow();
    browser.source.emit('status', { status: 'bot' });
    h.feed.send('first');
    const first = h.last();
    await flush();
    await advance(1000);
    expect(sends()).toHaveLength(2);
    await advance(2000);
    expect(sends()).toHaveLength(3);
    expect(h.last().delivery).toBe('offline');
    // Written while the first is held: it waits behind it, to keep the order.
    h.feed.send('second');
    const second = h.last();
    expect(second.delivery).toBe('offline');
    await advance(10_000);
    expect(sends()).toHaveLength(3);
    up = true;
    browser.online();
    await flush();
    expect(sends().map((r) => (r.body as { clientMessageId: string }).clientMessageId)).toEqual([...Array(4).fill(first.clientMessageId), second.clientMessageId]);
    expect(h.messages().map((m) => m.delivery)).toEqual(['sent', 'sent']);
  });

  it('sends what was held when the stream is back', async () => {
    browser.route(SEND, () => apiError(502, 'bad_gateway'));
    const h = follow();
    h.feed.send('hi');
    await advance(3000);
    expect(h.last().delivery).toBe('offline');
    accept();
    browser.source.emit('status', { status: 'bot' });
    await flush();
    expect(sends()).toHaveLength(4);
    expect(h.last().delivery).toBe('sent');
  });

  it('shows why a message was refused, and Retry sends it again under the same id', async () => {
    browser.route(SEND, () => apiError(422, 'bad_input', 'text: must be at most 4000 characters'));
    const h = follow();
    h.feed.send('hi');
    await advance(10_000);
    expect(sends()).toHaveLength(1);
    expect(h.last()).toMatchObject({ delivery: 'failed', error: 'text: must be at most 4000 characters' });
    accept();
    h.feed.retry(h.last().id);
    expect(h.last().delivery).toBe('sending');
    expect(h.last().error).toBeUndefined();
    await flush();
    expect(h.last().delivery).toBe('sent');
    expect(new Set(sends().map((r) => (r.body as { clientMessageId: string }).clientMessageId)).size).toBe(1);
  });

  it('a closed conversation: the message fails with the words given, and the conversation shows closed', async () => {
    browser.route(SEND, () => apiError(409, 'conversation_closed', 'Conversation c is closed'));
    const h = follow({ sending: { ...CHAT_SENDING, closedText: 'This chat has ended.' } });
    browser.source.emit('status', { status: 'bot' });
    h.feed.send('hi');
    await flush();
    expect(h.last()).toMatchObject({ delivery: 'failed', error: 'This chat has ended.' });
    expect(h.feed.state.conversation).toEqual({ status: 'closed' });
    expect(h.statuses).toEqual(['bot', 'closed']);
  });

  it('with one try and no holding, a message that cannot go out fails at once with the reason', async () => {
    const h = follow({ sending: { attempts: 1, holdWhenOffline: false } });
    h.feed.send('hi');
    await advance(10_000);
    expect(sends()).toHaveLength(1);
    expect(h.last()).toMatchObject({ delivery: 'failed', error: expect.stringMatching(/^Failed to fetch/) });
  });

  it("a person's reply sent another way shows at once, and takes the stored copy's place", () => {
    const h = follow();
    browser.source.emit('message', bot(1), '1');
    h.feed.addSent({ id: 'c-a1', role: 'agent', text: 'Hi, I am Ana' });
    expect(h.last()).toMatchObject({ id: 'c-a1', role: 'agent', delivery: 'sent' });
    browser.source.emit('message', { id: 'c-u2', role: 'user', text: 'hello?', createdAt: at }, '2');
    browser.source.emit('message', { id: 'c-a1', role: 'agent', text: 'Hi, I am Ana', createdAt: at }, '3');
    expect(h.messages().map((m) => [m.id, m.delivery])).toEqual([
      ['c-b1', undefined],
      ['c-u2', undefined],
      ['c-a1', undefined],
    ]);
  });
});

describe('details (for people)', () => {
  it('are read at the start, after each change, and on refresh; changes during a read fold into one more read', async () => {
    const pending: ((response: Response) => void)[] = [];
    browser.route(CONVERSATION, () => new Promise<Response>((resolve) => pending.push(resolve)));
    const h = follow({ details: { settleMs: 0 } });
    const answer = async (vars: Record<string, unknown>) => {
      pending.shift()!(json(200, { id: 'c', status: 'bot', nodeId: 'ask', vars }));
      await flush();
    };
    expect(pending).toHaveLength(1);
    browser.source.emit('message', bot(1), '1');
    browser.source.emit('status', { status: 'bot' });
    browser.source.emit('message', bot(2), '2');
    expect(pending).toHaveLength(1);
    await answer({ n: 1 });
    expect(h.feed.state.details).toMatchObject({ nodeId: 'ask', vars: { n: 1 } });
    expect(pending).toHaveLength(1);
    await answer({ n: 2 });
    expect(pending).toHaveLength(0);
    expect(h.feed.state.details?.vars).toEqual({ n: 2 });
    // As a person: the session cookie, not the conversation's token.
    expect(browser.requests.filter((r) => r.path === '/api/conversations/c').every((r) => !r.headers.has('authorization'))).toBe(true);
    void h.feed.refresh();
    expect(pending).toHaveLength(1);
    await answer({ n: 3 });
    expect(h.feed.state.details?.vars).toEqual({ n: 3 });
  });

  it('wait for the flow to settle after a change when asked to, and keep a failed read as an error', async () => {
    let reads = 0;
    browser.route(CONVERSATION, () => (++reads === 1 ? json(200, { id: 'c', status: 'bot' }) : apiError(500, 'internal')));
    const h = follow({ details: { settleMs: 400 } });
    await flush();
    browser.source.emit('message', bot(1), '1');
    await advance(200);
    browser.source.emit('message', bot(2), '2');
    await advance(399);
    expect(reads).toBe(1);
    await advance(1);
    expect(reads).toBe(2);
    expect(h.feed.state.detailsError).toMatchObject({ status: 500 });
    expect(h.feed.state.details).toMatchObject({ status: 'bot' });
  });

  it('are not read without the option', async () => {
    follow();
    browser.source.emit('message', bot(1), '1');
    await advance(1000);
    expect(browser.requests).toEqual([]);
  });
});
