import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  test('a hash verifies against its password and no other', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  test('the format is scrypt$N$r$p$salt$hash, self-describing, with a fresh salt each time', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  test('the parameters stored with a hash are the ones used to check it, so they can change later', async () => {
    const salt = randomBytes(16);
    const older = ['scrypt', 16384, 8, 1, salt.toString('base64url'), scryptSync('tuned', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64url')].join('$');
    expect(await verifyPassword('tuned', older)).toBe(true);
    // The same key claimed under other parameters is not accepted.
    expect(await verifyPassword('tuned', older.replace('scrypt$16384$', 'scrypt$32768$'))).toBe(false);
  });

  test('passwords are compared after Unicode normalisation', async () => {
    const composed = 'caf\u00e9-password';
    const decomposed = 'cafe\u0301-password';
    const hash = await hashPassword(composed);
    expect(await verifyPassword(decomposed, hash)).toBe(true);
  });

  test('a stored value that is not a known format never verifies', async () => {
    for (const stored of ['', 'plaintext', 'bcrypt$2b$10$abc', 'scrypt$32768$8$1$', 'scrypt$32768$8$1$c2FsdA$']) {
      expect(await verifyPassword('plaintext', stored), stored).toBe(false);
    }
  });

  test('generated passwords are long and random', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[\w-]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
