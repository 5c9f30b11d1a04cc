import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createSecretBox, loadSecretKey } from './secret-box.js';

const box = createSecretBox(randomBytes(32));

describe('createSecretBox', () => {
  test('what is sealed opens again with the same context', () => {
    for (const plaintext of ['s3cret', '', 'ünïcødé 🔑', 'x'.repeat(10_000)]) {
      const sealed = box.seal(plaintext, 'bot_1:desks.webhook.secret');
      expect(box.open(sealed, 'bot_1:desks.webhook.secret')).toBe(plaintext);
    }
  });

  test('the sealed form hides the plaintext and differs every time', () => {
    const a = box.seal('the-plaintext', 'ctx');
    const b = box.seal('the-plaintext', 'ctx');
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/);
    expect(a).not.toContain('the-plaintext');
    expect(a).not.toBe(b);
  });

  test('a tampered ciphertext does not open', () => {
    const sealed = box.seal('do not touch', 'ctx');
    const [version, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = flipped[0]! ^ 0x01;
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'ctx')).toThrow();
    const badTag = Buffer.from(tag, 'base64url');
    badTag[0] = badTag[0]! ^ 0x01;
    expect(() => box.open([version, iv, badTag.toString('base64url'), body].join('.'), 'ctx')).toThrow();
    expect(() => box.open(`v2.${iv}.${tag}.${body}`, 'ctx')).toThrow(/format/);
    expect(() => box.open('garbage', 'ctx')).toThrow(/format/);
  });

  test('a ciphertext moved to another context (bot or field) does not open', () => {
    const sealed = box.seal('bot one only', 'bot_1:desks.intercom.accessToken');
    expect(() => box.open(sealed, 'bot_2:desks.intercom.accessToken')).toThrow();
    expect(() => box.open(sealed, 'bot_1:desks.intercom.clientSecret')).toThrow();
  });

  test('another key does not open it', () => {
    const sealed = box.seal('mine', 'ctx');
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'ctx')).toThrow();
  });

  test('the key must be 32 bytes', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('loadSecretKey', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-key-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test('takes BATON_SECRET_KEY as 64 hex characters', () => {
    const key = randomBytes(32);
    expect(loadSecretKey(tempDir(), key.toString('hex'))).toEqual(key);
    expect(loadSecretKey(tempDir(), key.toString('hex').toUpperCase())).toEqual(key);
  });

  test('takes BATON_SECRET_KEY as base64', () => {
    const key = randomBytes(32);
    expect(loadSecretKey(tempDir(), key.toString('base64'))).toEqual(key);
  });

  test('refuses a BATON_SECRET_KEY that is not 32 bytes', () => {
    expect(() => loadSecretKey(tempDir(), randomBytes(16).toString('hex'))).toThrow(/32 bytes/);
    expect(() => loadSecretKey(tempDir(), randomBytes(31).toString('base64'))).toThrow(/32 bytes/);
  });

  test('without one, generates a key file readable only by its owner, and reuses it', () => {
    const dir = tempDir();
    const first = loadSecretKey(dir, undefined);
    expect(first).toHaveLength(32);
    const file = path.join(dir, 'secret.key');
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64')).toEqual(first);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(dir, undefined)).toEqual(first);
    // A secret sealed before a restart opens after it.
    const sealed = createSecretBox(first).seal('survives restarts', 'ctx');
    expect(createSecretBox(loadSecretKey(dir, undefined)).open(sealed, 'ctx')).toBe('survives restarts');
  });

  test('the environment wins over the key file', () => {
    const dir = tempDir();
    const fromFile = loadSecretKey(dir, undefined);
    const fromEnv = randomBytes(32);
    expect(loadSecretKey(dir, fromEnv.toString('hex'))).toEqual(fromEnv);
    expect(loadSecretKey(dir, undefined)).toEqual(fromFile);
  });
});
