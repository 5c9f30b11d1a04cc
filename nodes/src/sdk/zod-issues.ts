import type { z } from 'zod';

/**
 * A zod issue's path without symbol keys (they never occur in JSON), ready to be joined or sent.
 *
 * @example
 * issuePath({ path: ['rules', 0, 'port'], ... }) // ['rules', 0, 'port']
 */
export function issuePath(issue: z.core.$ZodIssue): (string | number)[] {
  return issue.path.filter((p): p is string | number => typeof p !== 'symbol');
}

/**
 * A zod issue's message as people read it in a form or an API error: a missing field "is
 * required" rather than zod's "expected string, received undefined".
 *
 * @example
 * issueMessage(z.object({ text: z.string() }).safeParse({}).error!.issues[0]!) // 'is required'
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? 'is required' : issue.message;
}
