import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeBrowser, type FakeBrowser } from '../../testing/fake-browser.js';
import { ApiError } from './client.js';
import { openLiveStream, type LiveConnection, type LiveStreamOptions } from './live-stream.js';

let browser: FakeBrowser;

const advance = (ms: number) => browser.advance(ms);

function open(options: Partial<LiveStreamOptions> = {}) {
  const events: string[] = [];
  const connections: LiveConnection[] = [];
  let polls = 0;
  let gone = false;
  const stream = openLiveStream({
    url: () => `/api/inbox/events?n=${browser.sources.length}`,
    on: { inbox: (data) => events.push(data) },
    poll: async () => {
      polls++;
      return false;
    },
    onConnection: (c) => connections.push(c),
    onGone: () => (gone = true),
    ...options,
  });
  return { stream, events, connections, polls: () => polls, gone: () => gone };
}

beforeEach(() => {
  browser = installFakeBrowser();
});
afterEach(() => browser.uninstall());

describe('openLiveStream', () => {
  it('hands named events to their handlers; the first one shows the stream works', () => {
    const h = open();
    expect(h.connections).toEqual(['connecting']);
    browser.source.emit('inbox', '{"conversations":[]}');
    browser.source.emit('other', 'ignored');
    expect(h.events).toEqual(['{"conversations":[]}']);
    expect(h.connections).toEqual(['connecting', 'live']);
  });

  it('asks for the address again at each reconnect', async () => {
    open();
    browser.source.fail();
    await advance(500);
    expect(browser.sources.map((s) => s.url)).toEqual(['/api/inbox/events?n=0', '/api/inbox/events?n=1']);
  });

  it('streams again at once when the browser says the network is back', async () => {
    open();
    browser.source.fail();
    await advance(100);
    browser.online();
    await advance(0);
    expect(browser.sources).toHaveLength(2);
  });

  it('reads by HTTP while streaming fails; reads on at once while more is waiting', async () => {
    let waiting = 2;
    const h = open({ poll: async () => waiting-- > 0 });
    for (const wait of [500, 1000, 10]) {
      browser.source.fail();
      await advance(wait);
    }
    // Three reads in a row: two said more was waiting.
    expect(waiting).toBe(-1);
    expect(h.connections.at(-1)).toBe('polling');
    await advance(2900);
    expect(waiting).toBe(-1);
    await advance(100);
    expect(waiting).toBe(-2);
  });

  it('refresh reads only while the stream is not delivering', async () => {
    const h = open();
    await h.stream.refresh();
    expect(h.polls()).toBe(1);
    browser.source.emit('inbox', '{}');
    await h.stream.refresh();
    expect(h.polls()).toBe(1);
  });

  it('stops when a read is refused for good', async () => {
    const h = open({
      poll: async () => {
        throw new ApiError(401, 'unauthorized', 'Log in');
      },
    });
    for (const wait of [500, 1000, 0]) {
      browser.source.fail();
      await advance(wait);
    }
    expect(h.gone()).toBe(true);
    browser.online();
    await advance(60_000);
    expect(browser.sources).toHaveLength(3);
  });
});
