// docs/webhook-desk.md is a contract for people building desk adapters: its worked example, its
// Node snippet and its numbers are checked against the code here, so that neither drifts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../../http/route.js';
import { DESK_TIMEOUT_MS } from '../sdk/index.js';
import { WEBHOOK_DESK_PATHS } from './webhook.client.js';
import { MAX_AGENT_TEXT } from './webhook.routes.js';
import { MAX_SKEW_SECONDS, REPLAY_TTL_MS, signedHeaders, signWebhook, verifyWebhook } from './webhook.signature.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../../docs/webhook-desk.md', import.meta.url)), 'utf8');

/** The first fenced block of `language` after `marker`. */
function blockAfter(marker: string, language: string): string {
  const start = DOC.indexOf(marker);
  if (start < 0) throw new Error(`${marker} is missing from the doc`);
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(DOC.slice(start));
  if (!match?.[1]) throw new Error(`no ${language} block after ${marker}`);
  return match[1];
}

function example() {
  const fields = new Map<string, string>();
  for (const line of blockAfter('<!-- example:signature', 'text').split('\n')) {
    const match = /^(secret|X-Baton-Timestamp|raw body|signed string|X-Baton-Signature)\s{2,}(.*)$/.exec(line);
    if (match) fields.set(match[1]!, match[2]!);
  }
  const get = (key: string) => {
    const value = fields.get(key);
    if (value === undefined) throw new Error(`the example has no "${key}" line`);
    return value;
  };
  return { secret: get('secret'), timestamp: get('X-Baton-Timestamp'), body: get('raw body'), signed: get('signed string'), signature: get('X-Baton-Signature') };
}

describe('docs/webhook-desk.md', () => {
  test("the worked example's signature is what the code computes and accepts", () => {
    const ex = example();
    expect(ex.signed).toBe(`${ex.timestamp}.${ex.body}`);
    expect(signWebhook(ex.secret, ex.timestamp, ex.body)).toBe(ex.signature);
    expect(signWebhook(ex.secret, ex.timestamp, Buffer.from(ex.body, 'utf8'))).toBe(ex.signature);
    expect(verifyWebhook({ secret: ex.secret, timestampHeader: ex.timestamp, signatureHeader: ex.signature, rawBody: Buffer.from(ex.body), nowMs: Number(ex.timestamp) * 1000 })).toMatchObject({ ok: true });
    const bytes = /The body is (\d+) bytes/.exec(DOC)?.[1];
    expect(Number(bytes)).toBe(Buffer.byteLength(ex.body, 'utf8'));
  });

  test('the openssl line signs the same example', () => {
    const ex = example();
    const line = DOC.split('\n').find((l) => l.startsWith("printf '%s.%s' '"));
    expect(line).toBe(`printf '%s.%s' '${ex.timestamp}' '${ex.body}' | openssl dgst -sha256 -hmac '${ex.secret}' | awk '{print "sha256=" $NF}'`);
    expect(DOC).toContain(`prints \`${ex.signature.slice(0, 'sha256='.length + 8)}…\``);
  });

  describe('the Node snippet', () => {
    let dir: string;
    let snippet: {
      signForBaton: (secret: string, rawBody: string | Buffer, nowSeconds?: number) => Record<string, string>;
      verifyFromBaton: (secret: string, headers: Record<string, string>, rawBody: Buffer, nowSeconds?: number) => boolean;
    };
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'baton-webhook-doc-'));
      const file = path.join(dir, 'snippet.mjs');
      writeFileSync(file, blockAfter('<!-- snippet:node', 'js'));
      snippet = await import(pathToFileURL(file).href);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('signs the example as documented', () => {
      const ex = example();
      expect(snippet.signForBaton(ex.secret, ex.body, Number(ex.timestamp))).toEqual({ 'X-Baton-Timestamp': ex.timestamp, 'X-Baton-Signature': ex.signature });
    });

    test('verifies what Baton sends, and refuses what Baton would refuse', () => {
      const ex = example();
      const now = Number(ex.timestamp);
      const headers = { 'x-baton-timestamp': ex.timestamp, 'x-baton-signature': ex.signature };
      const raw = Buffer.from(ex.body, 'utf8');
      expect(snippet.verifyFromBaton(ex.secret, headers, raw, now)).toBe(true);
      expect(snippet.verifyFromBaton(ex.secret, headers, raw, now + MAX_SKEW_SECONDS)).toBe(true);
      expect(snippet.verifyFromBaton(ex.secret, headers, raw, now + MAX_SKEW_SECONDS + 1)).toBe(false);
      expect(snippet.verifyFromBaton(ex.secret, headers, Buffer.from(ex.body.replace('María', 'Maria')), now)).toBe(false);
      expect(snippet.verifyFromBaton('another-secret', headers, raw, now)).toBe(false);
      expect(snippet.verifyFromBaton(ex.secret, { 'x-baton-timestamp': ex.timestamp }, raw, now)).toBe(false);

      // Round trips with the server's code, both ways.
      const ours = signedHeaders(ex.secret, raw, Date.now());
      expect(snippet.verifyFromBaton(ex.secret, { 'x-baton-timestamp': ours['X-Baton-Timestamp']!, 'x-baton-signature': ours['X-Baton-Signature']! }, raw)).toBe(true);
      const theirs = snippet.signForBaton(ex.secret, raw);
      expect(verifyWebhook({ secret: ex.secret, timestampHeader: theirs['X-Baton-Timestamp'], signatureHeader: theirs['X-Baton-Signature'], rawBody: raw, nowMs: Date.now() })).toMatchObject({ ok: true });
    });
  });

  test('states the numbers and paths the code uses', () => {
    expect(DOC).toContain(`more than **${MAX_SKEW_SECONDS} seconds**`);
    expect(DOC).toContain(`for ${REPLAY_TTL_MS / 60_000} minutes`);
    expect(DOC).toContain(`within **${DESK_TIMEOUT_MS / 1000} s**`);
    expect(DOC).toContain(`1–${MAX_AGENT_TEXT.toLocaleString('en-US')} characters`);
    expect(DOC).toContain(`Body over ${DEFAULT_BODY_LIMIT / 1024} KB`);
    for (const p of Object.values(WEBHOOK_DESK_PATHS)) expect(DOC).toContain(`POST {baseUrl}${p}`);
    expect(DOC).toContain('POST /hooks/webhook/:botId/message');
    expect(DOC).toContain('POST /hooks/webhook/:botId/close');
  });
});
