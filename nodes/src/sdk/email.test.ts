import { describe, expect, it } from 'vitest';
import { findEmail, isEmail } from './email.js';

describe('findEmail', () => {
  it('finds an address in a sentence and lower-cases it', () => {
    expect(findEmail('mail me at Jane@Example.com.')).toBe('jane@example.com');
    expect(findEmail("sure, it's jane.doe+tag@mail.example.co.uk!")).toBe('jane.doe+tag@mail.example.co.uk');
    expect(findEmail('<ann@example.org>')).toBe('ann@example.org');
  });

  it('takes the first address', () => {
    expect(findEmail('a@example.com or b@example.com')).toBe('a@example.com');
  });

  it('skips something that only looks like an address', () => {
    expect(findEmail('not x@-typo.com but ann@example.com')).toBe('ann@example.com');
  });

  it('drops trailing dots and dashes', () => {
    expect(findEmail('it is ann@example.com...')).toBe('ann@example.com');
    expect(findEmail('ann@example.com- thanks')).toBe('ann@example.com');
  });

  it('finds nothing when there is no address with a domain', () => {
    expect(findEmail('no idea')).toBeUndefined();
    expect(findEmail('ann@localhost')).toBeUndefined();
    expect(findEmail('ann@')).toBeUndefined();
    expect(findEmail('@example.com')).toBeUndefined();
    expect(findEmail('')).toBeUndefined();
  });
});

describe('isEmail', () => {
  it('accepts plain addresses and refuses the rest', () => {
    expect(isEmail('ann@example.com')).toBe(true);
    expect(isEmail('ann@sub-domain.example.com')).toBe(true);
    expect(isEmail('ann at example.com')).toBe(false);
    expect(isEmail('ann@-example.com')).toBe(false);
    expect(isEmail(' ann@example.com')).toBe(false);
    expect(isEmail(42)).toBe(false);
    expect(isEmail(undefined)).toBe(false);
  });

  it('refuses addresses longer than 254 characters', () => {
    const address = (labels: number) => `${'a'.repeat(64)}@${Array.from({ length: labels }, () => 'b'.repeat(60)).join('.')}.com`;
    expect(address(3).length).toBeLessThanOrEqual(254);
    expect(isEmail(address(3))).toBe(true);
    const long = address(4);
    expect(long.length).toBeGreaterThan(254);
    expect(isEmail(long)).toBe(false);
  });
});
