// Deliberately simple: a local part, an @, and a domain with a dot. Full RFC 5322 accepts
// addresses no desk or mailbox provider does.
export const EMAIL_PATTERN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const EMAIL_IN_TEXT = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && EMAIL_PATTERN.test(value);
}

/**
 * The first email address in a sentence such as "sure, it's jane@example.com!", lower-cased.
 *
 * @example
 * findEmail('mail me at Jane@Example.com.') // 'jane@example.com'
 */
export function findEmail(text: string): string | undefined {
  // A candidate the strict check refuses (say "x@-typo.com") must not hide a good one after it.
  for (const [candidate] of text.matchAll(EMAIL_IN_TEXT)) {
    const email = candidate.replace(/[.-]+$/, '').toLowerCase();
    if (isEmail(email)) return email;
  }
  return undefined;
}
