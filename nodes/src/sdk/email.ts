// Deliberately simple: a local part, an @, and a domain with a dot. Full RFC 5322 accepts
// addresses no desk or mailbox provider does.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_IN_TEXT = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && EMAIL.test(value);
}

/**
 * The first email address in a sentence such as "sure, it's jane@example.com!", lower-cased.
 *
 * @example
 * findEmail('mail me at Jane@Example.com.') // 'jane@example.com'
 */
export function findEmail(text: string): string | undefined {
  const match = EMAIL_IN_TEXT.exec(text)?.[0]?.replace(/[.-]+$/, '').toLowerCase();
  return match && isEmail(match) ? match : undefined;
}
