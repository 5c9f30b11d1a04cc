import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing of the webhook desk contract (docs/webhook-desk.md), the same in both
 * directions: `X-Baton-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with
 * `X-Baton-Timestamp` in Unix seconds.
 */
export const TIMESTAMP_HEADER = 'X-Baton-Timestamp';
export const SIGNATURE_HEADER = 'X-Baton-Signature';
export const EVENT_ID_HEADER = 'X-Baton-Event-Id';

/** A timestamp further than this from the receiver's clock is refused. */
export const MAX_SKEW_SECONDS = 300;

/**
 * How long a receiver must remember a signature it accepted: a timestamp is accepted while it is
 * within ±MAX_SKEW_SECONDS of the clock, so one signed at the far future edge stays valid for
 * twice the window.
 */
export const REPLAY_TTL_MS = 2 * MAX_SKEW_SECONDS * 1000;

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP_FORMAT = /^\d{1,12}$/;

function digest(secret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest();
}

/** The value of `X-Baton-Signature` for these exact bytes (strings are taken as UTF-8). */
export function signWebhook(secret: string, timestampSeconds: number | string, rawBody: string | Uint8Array): string {
  return `sha256=${digest(secret, String(timestampSeconds), rawBody).toString('hex')}`;
}

/** The three headers of a signed call. */
export function signedHeaders(secret: string, rawBody: string | Uint8Array, nowMs: number, eventId?: string): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, rawBody),
    ...(eventId === undefined ? {} : { [EVENT_ID_HEADER]: eventId }),
  };
}

export type VerifyFailure = 'missing_headers' | 'malformed_timestamp' | 'stale_timestamp' | 'malformed_signature' | 'signature_mismatch';

export type VerifyResult =
  | { ok: true; timestamp: number; /** Lowercase hex, for replay detection. */ signature: string }
  | { ok: false; reason: VerifyFailure };

/** Checks a signed request over its exact bytes; constant time in the signature. */
export function verifyWebhook(input: {
  secret: string;
  timestampHeader: string | null | undefined;
  signatureHeader: string | null | undefined;
  rawBody: string | Uint8Array;
  nowMs: number;
}): VerifyResult {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing_headers' };
  const timestampText = timestampHeader.trim();
  if (!TIMESTAMP_FORMAT.test(timestampText)) return { ok: false, reason: 'malformed_timestamp' };
  const timestamp = Number(timestampText);
  if (Math.abs(Math.floor(input.nowMs / 1000) - timestamp) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  const hex = SIGNATURE_FORMAT.exec(signatureHeader.trim())?.[1];
  if (!hex) return { ok: false, reason: 'malformed_signature' };
  const given = Buffer.from(hex, 'hex');
  const expected = digest(input.secret, timestampText, input.rawBody);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature_mismatch' };
  return { ok: true, timestamp, signature: hex.toLowerCase() };
}
