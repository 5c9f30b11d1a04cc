// HTTP between Baton and a desk's API, the same for every desk: a timeout that covers reading
// the answer, transport failures and statuses turned into DeskErrors that say whether a retry
// may help (and after how long, from Retry-After), and the answer parsed with the desk's schema.
import type { z } from 'zod';
import { DeskError } from './desk.js';

export const DESK_TIMEOUT_MS = 10_000;
/** A desk asking for a longer pause still gets tried again after this: a handoff must not sit for hours. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface DeskHttpOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per request, reading the answer included (default 10 s). */
  timeoutMs?: number;
  /** Milliseconds since the epoch; Retry-After dates are counted from it. */
  now?: () => number;
}

/** An answer of the desk, whatever its status. */
export interface DeskAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
}

/** What a failed answer's status means, before the desk's own error says more. */
export function failureOfStatus(status: number): { code: string; retryable: boolean } {
  if (status === 408) return { code: 'timeout', retryable: true };
  if (status === 429) return { code: 'rate_limited', retryable: true };
  if (status >= 500) return { code: 'unavailable', retryable: true };
  if (status === 401) return { code: 'unauthorized', retryable: false };
  if (status === 403) return { code: 'forbidden', retryable: false };
  if (status === 404) return { code: 'not_found', retryable: false };
  if (status === 409) return { code: 'conflict', retryable: false };
  if (status === 400 || status === 422) return { code: 'bad_request', retryable: false };
  if (status >= 300 && status < 400) return { code: 'redirected', retryable: false };
  return { code: 'rejected', retryable: false };
}

/** `Retry-After` in seconds or as an HTTP date (RFC 9110), at most MAX_RETRY_AFTER_MS; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number | undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) ms = Math.round(Number(text) * 1000);
  // Date.parse reads "-3" as a year: only weekday-led HTTP dates count.
  else if (/^[A-Za-z]+,? /.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) ms = Math.max(0, at - nowMs);
  }
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isTimeout = (error: unknown, signal: AbortSignal): boolean => {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError' || signal.aborted;
};

export interface DeskFailureDetail {
  /** The desk's own error code, when it names one (it replaces the status's). */
  code?: string | undefined;
  retryable?: boolean | undefined;
  /** The desk's explanation, added to the message (after `redact`). */
  detail?: string | undefined;
  /** When the desk says when to retry other than with Retry-After. */
  retryAfterMs?: number | undefined;
}

export type DeskHttp = ReturnType<typeof createDeskHttp>;

/**
 * The HTTP of one desk. `desk` names it in messages ("Intercom", "the webhook desk"); `redact`
 * removes credentials from anything the desk or the network said before it reaches a message
 * (messages end up in logs and on the settings screen).
 *
 * @example
 * const http = createDeskHttp('Intercom', { timeoutMs: 10_000 });
 * const answer = await http.send('identify the admin', `${base}/me`, { method: 'GET', headers });
 * const admin = http.read(answer, adminSchema, 'identify the admin');
 */
export function createDeskHttp(desk: string, options: DeskHttpOptions & { redact?: (text: string) => string } = {}) {
  const fetchImpl = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DESK_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const redact = options.redact ?? ((text: string) => text);

  function transportFailure(error: unknown, signal: AbortSignal, what: string, url: string | URL, reading: boolean): DeskError {
    if (isTimeout(error, signal)) {
      return new DeskError('timeout', capitalized(`${desk} did not ${reading ? 'finish its answer to' : 'answer'} ${what} within ${timeoutMs} ms`), true);
    }
    if (reading) return new DeskError('network_error', capitalized(`the connection to ${desk} broke while reading its answer to ${what}`), true);
    const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? clip(redact(cause.message), 80) : undefined;
    let where: string;
    try {
      where = new URL(url).origin;
    } catch {
      where = 'its address';
    }
    return new DeskError('network_error', `Could not reach ${desk} at ${where} (${what}${reason ? `: ${reason}` : ''})`, true);
  }

  const http = {
    timeoutMs,
    now,

    /** One exchange; a transport failure or a timeout is a retryable DeskError, any status is answered. */
    async send(what: string, url: string | URL, init: RequestInit): Promise<DeskAnswer> {
      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await fetchImpl(url, { ...init, signal });
      } catch (error) {
        throw transportFailure(error, signal, what, url, false);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (error) {
        throw transportFailure(error, signal, what, url, true);
      }
      return { status: res.status, headers: res.headers, text, json: parseJson(text) };
    },

    /** The DeskError of an answer that is not a success. */
    failure(answer: DeskAnswer, what: string, more: DeskFailureDetail = {}): DeskError {
      const byStatus = failureOfStatus(answer.status);
      const retryable = more.retryable ?? byStatus.retryable;
      const retryAfterMs = retryable ? (more.retryAfterMs ?? parseRetryAfter(answer.headers.get('retry-after'), now())) : undefined;
      const message = capitalized(`${desk} answered ${answer.status} to ${what}${more.detail ? `: ${redact(more.detail)}` : ''}`);
      return new DeskError(more.code ?? byStatus.code, clip(message, 400), retryable, retryAfterMs, answer.status);
    },

    /**
     * The answer's body when it is a success and has the shape the desk's API describes;
     * `explain` reads the desk's own error out of a failed answer.
     */
    read<T>(answer: DeskAnswer, schema: z.ZodType<T>, what: string, explain?: (answer: DeskAnswer) => DeskFailureDetail): T {
      if (answer.status < 200 || answer.status >= 300) throw http.failure(answer, what, explain?.(answer));
      const parsed = schema.safeParse(answer.json);
      if (!parsed.success) throw new DeskError('invalid_response', capitalized(`${desk}'s answer to ${what} was not what its API describes`), false, undefined, answer.status);
      return parsed.data;
    },
  };
  return http;
}
