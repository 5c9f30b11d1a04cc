import { describe, expect, it } from 'vitest';
import { coalesce, openConversationStream, type EventSourceLike } from './conversation-stream.js';
import type { ChatMessage, Connection } from './transcript.js';

/** Stands in for the browser's EventSource, which Node does not have. */
class FakeSource implements EventSourceLike {
  readonly listeners = new Map<string, ((event: { data?: string; lastEventId?: string }) => void)[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data?: string; lastEventId?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, event: { data?: string; lastEventId?: string } = {}) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  message(seq: number, text: string) {
    this.emit('message', { data: JSON.stringify({ id: `c-b${seq}`, role: 'bot', text, createdAt: '2026-01-05T10:00:00.000Z' }), lastEventId: String(seq) });
  }
}

function harness() {
  const sources: FakeSource[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const messages: ChatMessage[] = [];
  const statuses: string[] = [];
  const connections: Connection[] = [];
  const stream = openConversationStream({
    conversationId: 'c',
    token: 'tok',
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s.status),
    onConnection: (c) => connections.push(c),
    createEventSource: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  });
  return { stream, sources, timers, messages, statuses, connections };
}

describe('openConversationStream', () => {
  it('delivers messages and statuses and tracks the cursor', () => {
    const h = harness();
    expect(h.sources[0]!.url).toBe('/api/conversations/c/events?token=tok');
    h.sources[0]!.emit('open');
    h.sources[0]!.message(1, 'Hi');
    h.sources[0]!.emit('status', { data: '{"status":"bot"}' });
    expect(h.messages.map((m) => m.text)).toEqual(['Hi']);
    expect(h.statuses).toEqual(['bot']);
    expect(h.stream.cursor).toBe(1);
    expect(h.connections).toEqual(['connecting', 'live']);
  });

  it('reconnects after an error from the last cursor, with growing delays', () => {
    const h = harness();
    const first = h.sources[0]!;
    first.emit('open');
    first.message(1, 'a');
    first.message(2, 'b');
    first.emit('error');
    expect(first.closed).toBe(true);
    expect(h.connections.at(-1)).toBe('reconnecting');
    expect(h.timers[0]!.ms).toBe(500);
    h.timers[0]!.callback();
    expect(h.sources[1]!.url).toBe('/api/conversations/c/events?token=tok&after=2');
    h.sources[1]!.emit('error');
    expect(h.timers[1]!.ms).toBe(1000);
    h.timers[1]!.callback();
    h.sources[2]!.emit('open');
    h.sources[2]!.emit('error');
    expect(h.timers[2]!.ms).toBe(500); // a connection that opened resets the back-off
  });

  it('ignores events of a source it has replaced', () => {
    const h = harness();
    const first = h.sources[0]!;
    first.emit('error');
    h.timers[0]!.callback();
    first.message(9, 'late');
    expect(h.messages).toEqual([]);
    expect(h.stream.cursor).toBe(0);
  });

  it('stops for good when closed, also with a reconnect pending', () => {
    const h = harness();
    h.sources[0]!.emit('error');
    h.stream.close();
    expect(h.timers[0]!.cleared).toBe(true);
    const second = harness();
    second.stream.close();
    expect(second.sources[0]!.closed).toBe(true);
  });
});

describe('coalesce', () => {
  it('runs once more after the running task for any number of triggers meanwhile', async () => {
    let runs = 0;
    const releases: (() => void)[] = [];
    const task = coalesce(
      () =>
        new Promise<void>((resolve) => {
          runs++;
          releases.push(resolve);
        }),
    );
    task.trigger();
    task.trigger();
    task.trigger();
    expect(runs).toBe(1);
    releases[0]!();
    await expect.poll(() => runs).toBe(2);
    releases[1]!();
    await expect.poll(() => task.running).toBe(false);
    expect(runs).toBe(2);
  });

  it('keeps going after a failed run', async () => {
    let runs = 0;
    const task = coalesce(async () => {
      runs++;
      throw new Error('offline');
    });
    task.trigger();
    await expect.poll(() => task.running).toBe(false);
    task.trigger();
    await expect.poll(() => runs).toBe(2);
  });
});
