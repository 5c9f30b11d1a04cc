import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createMemorySeenSignatures } from '../sdk/index.js';
import { signedHeaders, signWebhook, verifyWebhook } from './webhook.signature.js';

const SECRET = 'unit-secret';
const NOW = Date.parse('2026-02-02T12:00:00.900Z');
const SECONDS = Math.floor(NOW / 1000);

const verify = (timestampHeader: string | undefined, signatureHeader: string | undefined, rawBody: string | Uint8Array = '{}', nowMs = NOW) =>
  verifyWebhook({ secret: SECRET, timestampHeader, signatureHeader, rawBody, nowMs });

describe('webhook signatures', () => {
  test('sign is HMAC-SHA256 over "<timestamp>.<bytes>", hex, with the sha256= prefix', () => {
    const expected = createHmac('sha256', SECRET).update(`${SECONDS}.{"a":"é"}`).digest('hex');
    expect(signWebhook(SECRET, SECONDS, '{"a":"é"}')).toBe(`sha256=${expected}`);
    expect(signedHeaders(SECRET, '{"a":"é"}', NOW, 'evt_1')).toEqual({
      'X-Baton-Timestamp': String(SECONDS),
      'X-Baton-Signature': `sha256=${expected}`,
      'X-Baton-Event-Id': 'evt_1',
    });
    expect(signedHeaders(SECRET, '{}', NOW)).not.toHaveProperty('X-Baton-Event-Id');
  });

  test('verifies over bytes: the same text in other bytes does not match', () => {
    const latin1 = Buffer.from('{"a":"é"}', 'latin1');
    const signature = signWebhook(SECRET, SECONDS, '{"a":"é"}');
    expect(verify(String(SECONDS), signature, Buffer.from('{"a":"é"}', 'utf8'))).toEqual({ ok: true, timestamp: SECONDS, signature: signature.slice(7) });
    expect(verify(String(SECONDS), signature, latin1)).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verify(String(SECONDS), signature, '{"a": "é"}')).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  test('the timestamp is signed exactly as sent, and uppercase hex is accepted', () => {
    const padded = `0${SECONDS}`;
    expect(verify(padded, signWebhook(SECRET, padded, '{}'))).toMatchObject({ ok: true });
    expect(verify(padded, signWebhook(SECRET, SECONDS, '{}'))).toEqual({ ok: false, reason: 'signature_mismatch' });
    const upper = `sha256=${signWebhook(SECRET, SECONDS, '{}').slice(7).toUpperCase()}`;
    expect(verify(String(SECONDS), upper)).toMatchObject({ ok: true, signature: signWebhook(SECRET, SECONDS, '{}').slice(7) });
  });

  test('the window is ±300 s of the clock, in whole seconds', () => {
    for (const offset of [-300, 0, 300]) expect(verify(String(SECONDS + offset), signWebhook(SECRET, SECONDS + offset, '{}'))).toMatchObject({ ok: true });
    for (const offset of [-301, 301]) expect(verify(String(SECONDS + offset), signWebhook(SECRET, SECONDS + offset, '{}'))).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  test('names what is wrong with malformed headers', () => {
    const good = signWebhook(SECRET, SECONDS, '{}');
    expect(verify(undefined, good)).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verify(String(SECONDS), '')).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verify('12.5', good)).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(verify('-5', good)).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(verify(String(NOW), good)).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(verify(String(SECONDS), good.slice(7))).toEqual({ ok: false, reason: 'malformed_signature' });
    expect(verify(String(SECONDS), `sha1=${good.slice(7)}`)).toEqual({ ok: false, reason: 'malformed_signature' });
    expect(verify(String(SECONDS), `${good}00`)).toEqual({ ok: false, reason: 'malformed_signature' });
  });
});

describe('in-memory seen signatures', () => {
  test('remembers a key for its time to live, then forgets it', () => {
    let now = 1_000_000;
    const seen = createMemorySeenSignatures(() => now);
    expect(seen.remember('a', 600_000)).toBe(true);
    expect(seen.remember('a', 600_000)).toBe(false);
    expect(seen.remember('b', 600_000)).toBe(true);
    now += 599_999;
    expect(seen.remember('a', 600_000)).toBe(false);
    now += 1;
    expect(seen.remember('a', 600_000)).toBe(true);
  });

  test('expired keys are swept, so the memory stays bounded', () => {
    let now = 0;
    const seen = createMemorySeenSignatures(() => now);
    for (let i = 0; i < 100; i++) seen.remember(`k${i}`, 1000);
    expect(seen.size).toBe(100);
    now += 5000;
    seen.remember('fresh', 1000);
    expect(seen.size).toBe(1);
  });
});
