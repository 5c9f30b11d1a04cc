import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/fake-openai.js';
import { apiClient, startBaton, type BatonProcess } from '../support/baton-process.js';
import { temporalAddress, uniqueName } from '../support/temporal.js';
import { supportFlow } from './flows.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };

/** Reads server-sent events until `until` holds or the time is up. */
async function readEvents(url: string, until: (events: { event: string; id?: string; data: string }[]) => boolean, timeoutMs = 10_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { event: string; id?: string; data: string }[] = [];
  try {
    const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
        if (fields['event']) events.push({ event: fields['event'], ...(fields['id'] ? { id: fields['id'] } : {}), data: fields['data'] ?? '' });
      }
    }
    await reader.cancel();
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return events;
}

describe('the server end to end, on the real engine', () => {
  let baton: BatonProcess;
  let llm: FakeOpenAI;
  const api = () => apiClient(baton.url);

  beforeAll(async () => {
    llm = await startFakeOpenAI({ defaultReply: (request) => ({ text: `You asked: ${String(request.messages.at(-1)?.content)}` }) });
    baton = await startBaton({
      BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-e2e-')),
      TEMPORAL_ADDRESS: temporalAddress(),
      BATON_TASK_QUEUE: uniqueName('e2e'),
      BATON_OWNER_EMAIL: OWNER.email,
      BATON_OWNER_PASSWORD: OWNER.password,
      OPENAI_API_KEY: llm.apiKey,
      OPENAI_BASE_URL: llm.baseURL,
    });
  });
  afterAll(async () => {
    expect(await baton?.stop()).toBe(0);
    await llm?.close();
  });

  it('builds, publishes and chats: by polling, by SSE and with ?wait=true', async () => {
    const builder = api();
    expect((await builder.login(OWNER.email, OWNER.password)).status).toBe(200);
    const { body: bot } = await builder.call('POST', '/api/bots', { name: 'Support' });
    expect(bot.id).toMatch(/^bot_/);

    const saved = await builder.call('PUT', `/api/bots/${bot.id}/flow`, supportFlow());
    expect(saved.status).toBe(200);
    expect(saved.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    const published = await builder.call('POST', `/api/bots/${bot.id}/publish`);
    expect(published).toMatchObject({ status: 201, body: { version: 1 } });

    // Published but not switched on: live channels are refused.
    expect((await api().call('POST', `/api/bots/${bot.id}/conversations`, {})).body.error.code).toBe('bot_disabled');
    const settings = (await builder.call('GET', `/api/bots/${bot.id}/settings`)).body;
    expect((await builder.call('PUT', `/api/bots/${bot.id}/settings`, { ...settings, enabled: true })).status).toBe(200);

    const visitor = api();
    const opened = await visitor.call('POST', `/api/bots/${bot.id}/conversations`, { user: { name: 'Ada' } });
    expect(opened.status).toBe(201);
    const { conversationId, token } = opened.body as { conversationId: string; token: string };
    const auth = { authorization: `Bearer ${token}` };

    // Polling: the greeting arrives without the user saying anything.
    let page = { messages: [] as { role: string; text: string }[], cursor: '0' };
    for (let i = 0; i < 50 && page.messages.length === 0; i++) {
      page = (await visitor.call('GET', `/api/conversations/${conversationId}/messages?after=0`, undefined, auth)).body as typeof page;
      if (page.messages.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(page.messages).toMatchObject([{ role: 'bot', text: 'Hi! What can I do for you?' }]);

    // ?wait=true: the answer of this turn comes back in the same response.
    const waited = await visitor.call('POST', `/api/conversations/${conversationId}/messages?wait=true`, { text: 'Where is my order?', clientMessageId: 'm1' }, auth);
    expect(waited).toMatchObject({ status: 200, body: { status: 'answered', pending: false, replies: [{ text: 'You asked: Where is my order?' }] } });

    // Fire-and-forget send, answer read from the event stream.
    const sent = await visitor.call('POST', `/api/conversations/${conversationId}/messages`, { text: 'And my refund?', clientMessageId: 'm2' }, auth);
    expect(sent.status).toBe(202);
    const streamed = await readEvents(
      `${baton.url}/api/conversations/${conversationId}/events?token=${token}`,
      (events) => events.some((e) => e.event === 'message' && JSON.parse(e.data).text === 'You asked: And my refund?'),
    );
    const texts = streamed.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text);
    expect(texts).toEqual(['Hi! What can I do for you?', 'Where is my order?', 'You asked: Where is my order?', 'And my refund?', 'You asked: And my refund?']);
    expect(streamed.find((e) => e.event === 'status')?.data).toBe(JSON.stringify({ status: 'bot' }));
    const ids = streamed.filter((e) => e.event === 'message').map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // Resuming with Last-Event-ID gives only what came after.
    const resumed = await readEvents(`${baton.url}/api/conversations/${conversationId}/events?token=${token}&after=${ids[2]}`, (events) => events.some((e) => e.event === 'status'), 3000);
    expect(resumed.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text)).toEqual(['And my refund?', 'You asked: And my refund?']);

    // Sending the same clientMessageId again changes nothing.
    await visitor.call('POST', `/api/conversations/${conversationId}/messages?wait=true`, { text: 'Where is my order?', clientMessageId: 'm1' }, auth);
    const goodbye = await visitor.call('POST', `/api/conversations/${conversationId}/messages?wait=true`, { text: 'ok bye', clientMessageId: 'm3' }, auth);
    expect(goodbye.body).toMatchObject({ replies: [{ text: 'Goodbye!' }], conversationStatus: 'closed' });

    const all = (await visitor.call('GET', `/api/conversations/${conversationId}/messages`, undefined, auth)).body.messages as { role: string; text: string }[];
    expect(all.map((m) => `${m.role}: ${m.text}`)).toEqual([
      'bot: Hi! What can I do for you?',
      'user: Where is my order?',
      'bot: You asked: Where is my order?',
      'user: And my refund?',
      'bot: You asked: And my refund?',
      'user: ok bye',
      'bot: Goodbye!',
    ]);
    expect((await visitor.call('GET', `/api/conversations/${conversationId}`, undefined, auth)).body).toMatchObject({ status: 'closed', flowVersion: 1, botId: bot.id });
    expect((await visitor.call('POST', `/api/conversations/${conversationId}/messages`, { text: 'hello?' }, auth)).status).toBe(409);
    // The LLM saw the conversation so far.
    expect(llm.requests.at(-1)!.body.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user']);
  });
});
