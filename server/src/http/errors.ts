import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { issueMessage, issuePath } from '@baton/nodes';

export interface ErrorIssue {
  path: (string | number)[];
  message: string;
  [key: string]: unknown;
}

/** An error meant for the client: its code, status and message are what the response says. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: readonly unknown[],
  ) {
    super(message);
  }
}

export const notFound = (what: string): AppError => new AppError(404, 'not_found', `${what} was not found`);

/**
 * The one mapping of a zod error to the API's 400: each issue's path starts with where in the
 * request it is (`params`, `query`, `body`, or deeper, e.g. `body.payload`), and the message names
 * the first one.
 */
export function invalidRequest(error: z.ZodError, where: readonly (string | number)[]): AppError {
  const issues = error.issues.map((issue) => ({ path: [...where, ...issuePath(issue)], message: issueMessage(issue) }));
  return invalidFields(issues);
}

/** A 400 for issues found by hand (rules that are not in a zod schema), worded like zod's. */
export function invalidFields(issues: readonly ErrorIssue[]): AppError {
  const first = issues[0]!;
  return new AppError(400, 'invalid_request', `${first.path.join('.')}: ${first.message}`, issues);
}

export const malformedJson = (): AppError => new AppError(400, 'malformed_json', 'The request body is not valid JSON');

/** A conversation that has ended: an end user starts a new one, a person can reactivate it. */
export const conversationClosed = (id: string): AppError =>
  new AppError(409, 'conversation_closed', `Conversation ${id} is closed: start a new one, or reactivate it from the inbox`);

export function errorBody(code: string, message: string, issues?: readonly unknown[]) {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

/**
 * The one place errors become responses: `{ error: { code, message, issues? } }`. Unexpected
 * errors are logged with their stack and answered with a plain 500.
 */
export function handleError(error: Error, c: Context, log: (message: string, error: unknown) => void): Response {
  if (error instanceof AppError) return c.json(errorBody(error.code, error.message, error.issues), error.status);
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return c.json(errorBody('payload_too_large', 'The request body is too large'), 413);
    if (status === 400 && /json/i.test(error.message)) return handleError(malformedJson(), c, log);
    return c.json(errorBody(status === 401 ? 'unauthorized' : 'bad_request', error.message || 'Bad request'), status);
  }
  log(`${c.req.method} ${c.req.path} failed`, error);
  return c.json(errorBody('internal_error', 'Something went wrong on our side'), 500);
}
