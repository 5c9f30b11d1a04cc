// The editor's only way to the server: its public HTTP API, over fetch, with the session cookie.
// Paths, parameters, bodies and answers are typed by the server's own route declarations
// (generated.ts, from the OpenAPI document; `pnpm api:generate`).
import { flowIssueSchema, type FlowIssue } from '@baton/nodes';
import createClient from 'openapi-fetch';
import type { ApiIssue } from './types.js';
import type { paths } from './generated.js';

export type { ApiIssue };

/** An error answer of the API: `{ error: { code, message, issues? } }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }

  /** The issues that are a flow's (publishing or testing a draft with errors answers 422 with them). */
  get flowIssues(): FlowIssue[] {
    return this.issues.flatMap((issue) => {
      const parsed = flowIssueSchema.safeParse(issue);
      return parsed.success ? [parsed.data] : [];
    });
  }
}

/**
 * The typed client: `api.GET('/api/bots/{botId}', { params: { path: { botId } } })`. Wrap a call
 * in `ok()` to get its data or an ApiError.
 */
export const api = createClient<paths>({
  // Absolute (a Request needs one outside a page, as in unit tests); the page's own origin in the browser.
  baseUrl: globalThis.location?.origin ?? 'http://localhost',
  credentials: 'same-origin',
  // Answers are live state (a conversation read while its stream is down): never from a cache.
  cache: 'no-store',
  // Looked up at each call, not once: whatever fetch the page has then.
  fetch: (request) => globalThis.fetch(request),
});

/** `Authorization` for a call made as the end user of a conversation (the test chat, the widget). */
export const asEndUser = (token: string) => ({ authorization: `Bearer ${token}` });

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function errorOf(response: Response, body: unknown): ApiError {
  const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
  const field = (name: string) => (typeof error === 'object' && error !== null && name in error ? (error as Record<string, unknown>)[name] : undefined);
  const code = field('code');
  const message = field('message');
  const issues = field('issues');
  return new ApiError(
    response.status,
    typeof code === 'string' ? code : 'http_error',
    typeof message === 'string' ? message : `HTTP ${response.status}`,
    Array.isArray(issues) ? (issues as ApiIssue[]) : [],
  );
}

/** The data of a successful answer (undefined for 204); an ApiError for any other answer. */
export async function ok<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw errorOf(response, error);
  return data as T;
}
