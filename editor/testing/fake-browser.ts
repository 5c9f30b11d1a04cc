// Stand-ins for the browser APIs the editor's live code uses (EventSource, fetch, the window's
// `online` event, the clock), installed as globals for unit tests in Node: the code under test
// runs as it does in the browser, and the test plays the server, the network and the time.
import { vi } from 'vitest';

type Listener = (event: { data?: string; lastEventId?: string }) => void;

/** One EventSource the code opened: the test emits its events and sees whether it was closed. */
export class FakeEventSource {
  readonly listeners = new Map<string, Listener[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  /** An event named `type`; `data` other than a string is sent as JSON. */
  emit(type: string, data?: unknown, id?: string) {
    const event = { ...(data === undefined ? {} : { data: typeof data === 'string' ? data : JSON.stringify(data) }), ...(id === undefined ? {} : { lastEventId: id }) };
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  /** The connection failed or dropped. */
  fail() {
    this.emit('error');
  }
  /** The query of the address it was opened at. */
  get query(): URLSearchParams {
    return new URL(this.url, 'http://baton.test').searchParams;
  }
}

export interface FakeRequest {
  method: string;
  /** Path and query, as the code asked for them. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export type FakeRoute = (request: FakeRequest) => Response | Promise<Response>;

/**
 * A JSON answer, the way the API sends one. Not a real Response: its body is read in microtasks
 * only, so a test's fake clock alone decides when the code under test goes on.
 */
export function json(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  const answer: Pick<Response, 'status' | 'ok' | 'headers' | 'text' | 'json'> = {
    status,
    ok: status >= 200 && status < 300,
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => text,
    json: async () => JSON.parse(text),
  };
  return answer as Response;
}

/** An error answer of the API: `{ error: { code, message } }`. */
export const apiError = (status: number, code: string, message = code): Response => json(status, { error: { code, message } });

/** Lets the fake network answer (in microtasks: one turn of the event loop is enough). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Installs the stand-ins; `uninstall()` puts the real ones back. Requests without a route fail as
 * a network error does; `route` answers `METHOD /path` (the latest route given for it wins). Only
 * the timers the code waits on are faked (the event loop stays real for the fake network), and
 * Math.random, which jitters backoffs, says 0.5.
 */
export function installFakeBrowser() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  const sources: FakeEventSource[] = [];
  const requests: FakeRequest[] = [];
  const routes = new Map<string, FakeRoute>();
  const win = new EventTarget();
  vi.stubGlobal('window', win);
  vi.stubGlobal(
    'EventSource',
    class extends FakeEventSource {
      constructor(url: string) {
        super(url);
        sources.push(this);
      }
    },
  );
  vi.stubGlobal('fetch', async (input: string | Request, init: RequestInit = {}) => {
    // The API client sends Request objects (openapi-fetch); other code may pass a URL and init.
    const url = new URL(typeof input === 'string' ? input : input.url, 'http://baton.test');
    // Read a body only when there is one: a GET reaches its route in the same tick, as in a browser.
    const text = typeof input === 'string' ? init.body : input.body ? await input.text() : undefined;
    const request: FakeRequest = {
      method: typeof input === 'string' ? (init.method ?? 'GET') : input.method,
      url: `${url.pathname}${url.search}`,
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(typeof input === 'string' ? init.headers : input.headers),
      body: typeof text === 'string' && text !== '' ? JSON.parse(text) : undefined,
    };
    requests.push(request);
    const route = routes.get(`${request.method} ${request.path}`);
    if (!route) throw new TypeError(`Failed to fetch (no route for ${request.method} ${request.path})`);
    return route(request);
  });
  return {
    sources,
    requests,
    /** The EventSource opened last. */
    get source(): FakeEventSource {
      const source = sources.at(-1);
      if (!source) throw new Error('no EventSource was opened');
      return source;
    },
    route(key: `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`, answer: FakeRoute) {
      routes.set(key, answer);
    },
    unroute(key: string) {
      routes.delete(key);
    },
    /** The browser says the network is back. */
    online() {
      win.dispatchEvent(new Event('online'));
    },
    flush,
    /**
     * Moves the clock on in small steps, letting the network answer at each, then runs what is
     * due now. (A timer set for 0 ms while the clock moves runs 1 ms later.)
     */
    async advance(ms: number) {
      for (let left = ms; left > 0; left -= 100) {
        await vi.advanceTimersByTimeAsync(Math.min(left, 100));
        await flush();
      }
      await vi.advanceTimersByTimeAsync(0);
      await flush();
    },
    uninstall() {
      vi.useRealTimers();
      vi.unstubAllGlobals();
      vi.restoreAllMocks();
    },
  };
}

export type FakeBrowser = ReturnType<typeof installFakeBrowser>;
