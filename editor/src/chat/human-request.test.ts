import { describe, expect, test } from 'vitest';
import { HUMAN_REQUEST_TIMEOUT_MS, nextHumanRequest, noHumanRequest, type HumanRequest, type HumanRequestEvent } from './human-request.js';

const run = (...events: HumanRequestEvent[]): HumanRequest => events.reduce(nextHumanRequest, noHumanRequest);
const asked: HumanRequestEvent = { type: 'asked', nowMs: 1000 };

describe('nextHumanRequest', () => {
  test('queued with the bot saying "connecting you": answered, nothing more to say', () => {
    expect(run(asked, { type: 'status', status: 'queued' }, { type: 'answered' })).toEqual(noHumanRequest);
    expect(run(asked, { type: 'status', status: 'agent' })).toEqual(noHumanRequest);
  });

  test('the status flickers to queued and back to the bot without a word (nobody online, hosted mode): declined', () => {
    expect(run(asked, { type: 'status', status: 'queued' }, { type: 'status', status: 'bot' })).toEqual({ phase: 'declined' });
  });

  test('the status repeated as "bot" before anything happened (polling) changes nothing', () => {
    expect(run(asked, { type: 'status', status: 'bot' })).toMatchObject({ phase: 'asking', queued: false });
  });

  test('nothing at all within the time limit: declined; still queued by then: the queue speaks for itself', () => {
    const late = { type: 'tick', nowMs: 1000 + HUMAN_REQUEST_TIMEOUT_MS } as const;
    expect(run(asked, { type: 'tick', nowMs: 1000 + HUMAN_REQUEST_TIMEOUT_MS - 1 })).toMatchObject({ phase: 'asking' });
    expect(run(asked, late)).toEqual({ phase: 'declined' });
    expect(run(asked, { type: 'status', status: 'queued' }, late)).toEqual(noHumanRequest);
  });

  test('the bot answering the request its own way (leave a message, off-hours reply) ends it', () => {
    expect(run(asked, { type: 'answered' }, { type: 'status', status: 'bot' })).toEqual(noHumanRequest);
  });

  test('a request that did not reach the server is forgotten; the declined notice goes once the user writes', () => {
    expect(run(asked, { type: 'failed' })).toEqual(noHumanRequest);
    const declined = run(asked, { type: 'status', status: 'queued' }, { type: 'status', status: 'bot' });
    expect(nextHumanRequest(declined, { type: 'user_wrote' })).toEqual(noHumanRequest);
    expect(nextHumanRequest(declined, { type: 'answered' })).toBe(declined);
  });
});
