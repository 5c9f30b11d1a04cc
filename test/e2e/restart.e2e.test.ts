import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, startBaton, type BatonProcess } from '../support/baton-process.js';
import { uniqueName } from '../support/temporal.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };

/** A survey whose second question waits `planTimeoutSeconds` for its answer. */
const survey = (planTimeoutSeconds: number) => ({
  schemaVersion: 1,
  name: 'Survey',
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'ask', type: 'send_message', config: { text: 'What is your name?' } },
    { id: 'wait-name', type: 'wait_for_reply', config: { timeoutSeconds: 3600, saveAs: 'name' } },
    { id: 'ask2', type: 'send_message', config: { text: 'Thanks {{name}}. Which plan are you on?' } },
    { id: 'wait-plan', type: 'wait_for_reply', config: { timeoutSeconds: planTimeoutSeconds, saveAs: 'plan' } },
    { id: 'done', type: 'end', config: { message: 'Noted: {{name}} is on {{plan}}.' } },
    { id: 'late', type: 'end', config: { message: 'No answer; we will follow up by email.' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourcePort: 'next', target: 'wait-name' },
    { id: 'e3', source: 'wait-name', sourcePort: 'replied', target: 'ask2' },
    { id: 'e4', source: 'ask2', sourcePort: 'next', target: 'wait-plan' },
    { id: 'e5', source: 'wait-plan', sourcePort: 'replied', target: 'done' },
    { id: 'e6', source: 'wait-plan', sourcePort: 'timeout', target: 'late' },
    { id: 'e7', source: 'wait-name', sourcePort: 'timeout', target: 'late' },
  ],
  settings: { burstWindowMs: 0 },
});

describe('the embedded stack survives a restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-restart-'));
  const env = {
    BATON_DATA_DIR: dataDir,
    BATON_OWNER_EMAIL: OWNER.email,
    BATON_OWNER_PASSWORD: OWNER.password,
    // The embedded default: no TEMPORAL_ADDRESS, so Baton runs its own dev server on the data folder.
    TEMPORAL_ADDRESS: '',
    BATON_TASK_QUEUE: uniqueName('restart'),
  };
  let baton: BatonProcess | undefined;
  afterAll(async () => {
    await baton?.stop();
  });

  it('keeps bots, conversations and pending waits; nothing lost or repeated', async () => {
    baton = await startBaton(env);
    let owner = apiClient(baton.url);
    await owner.login(OWNER.email, OWNER.password);
    // Two bots: one whose conversation must still be waiting after the restart, however slow the
    // restart is (an hour-long wait), and one whose 8-second wait must fire after it.
    const publishLive = async (name: string, planTimeoutSeconds: number): Promise<{ id: string }> => {
      const created = (await owner.call('POST', '/api/bots', { name })).body as { id: string };
      await owner.call('PUT', `/api/bots/${created.id}/flow`, survey(planTimeoutSeconds));
      expect((await owner.call('POST', `/api/bots/${created.id}/publish`)).status).toBe(201);
      const settings = (await owner.call('GET', `/api/bots/${created.id}/settings`)).body;
      await owner.call('PUT', `/api/bots/${created.id}/settings`, { ...settings, enabled: true });
      return created;
    };
    const patient = await publishLive('Survey', 3600);
    const quick = await publishLive('Quick survey', 8);

    const transcript = async (c: { id: string; auth: Record<string, string> }) =>
      ((await apiClient(baton!.url).call('GET', `/api/conversations/${c.id}/messages`, undefined, c.auth)).body.messages as { role: string; text: string }[]).map(
        (m) => `${m.role}: ${m.text}`,
      );
    const waitForLines = async (c: { id: string; auth: Record<string, string> }, count: number, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      let lines = await transcript(c);
      while (lines.length < count && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        lines = await transcript(c);
      }
      return lines;
    };
    // A user answers once the greeting is there, as a person in the widget would.
    const open = async (bot: { id: string }) => {
      const { conversationId, token } = (await apiClient(baton!.url).call('POST', `/api/bots/${bot.id}/conversations`, {})).body;
      const conversation = { id: conversationId as string, auth: { authorization: `Bearer ${token as string}` } };
      expect(await waitForLines(conversation, 1)).toEqual(['bot: What is your name?']);
      return conversation;
    };
    const say = (c: { id: string; auth: Record<string, string> }, text: string, clientMessageId: string) =>
      apiClient(baton!.url).call('POST', `/api/conversations/${c.id}/messages?wait=true`, { text, clientMessageId }, c.auth);

    // One conversation waits for a reply with a long timeout, another sits in an 8-second wait.
    const waiting = await open(patient);
    expect((await say(waiting, 'Grace', 'w1')).body.replies).toEqual([expect.objectContaining({ text: 'Thanks Grace. Which plan are you on?' })]);
    const timing = await open(quick);
    expect((await say(timing, 'Alan', 't1')).body.replies).toEqual([expect.objectContaining({ text: 'Thanks Alan. Which plan are you on?' })]);
    const stoppedAt = Date.now();

    expect(await baton.stop()).toBe(0);
    baton = undefined;

    baton = await startBaton(env);
    owner = apiClient(baton.url);
    expect((await owner.login(OWNER.email, OWNER.password)).status).toBe(200);
    expect((await owner.call('GET', '/api/bots')).body.bots).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: patient.id, name: 'Survey', publishedVersion: 1, enabled: true }),
        expect.objectContaining({ id: quick.id, name: 'Quick survey', publishedVersion: 1, enabled: true }),
      ]),
    );

    // The user answers after the restart: the flow goes on from where it waited.
    const answered = await say(waiting, 'Pro', 'w2');
    expect(answered.body).toMatchObject({ replies: [{ text: 'Noted: Grace is on Pro.' }], conversationStatus: 'closed' });
    expect(await transcript(waiting)).toEqual([
      'bot: What is your name?',
      'user: Grace',
      'bot: Thanks Grace. Which plan are you on?',
      'user: Pro',
      'bot: Noted: Grace is on Pro.',
    ]);

    // The timer armed before the stop fires after it, once.
    const lines = await waitForLines(timing, 4, 60_000);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(8000);
    expect(lines).toEqual(['bot: What is your name?', 'user: Alan', 'bot: Thanks Alan. Which plan are you on?', 'bot: No answer; we will follow up by email.']);
    // Nothing more comes: the conversation ended with that line.
    expect((await apiClient(baton.url).call('GET', `/api/conversations/${timing.id}`, undefined, timing.auth)).body).toMatchObject({ status: 'closed' });
    expect(await transcript(timing)).toHaveLength(4);
  });
});
