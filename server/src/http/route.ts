import { Hono, type Context, type TypedResponse } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { StatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { z } from 'zod';
import { AppError, errorBody, invalidRequest, malformedJson } from './errors.js';
import type { Access, AuthUser, Principal } from './principal.js';

export type AppEnv = { Variables: { principal: Principal } };
export type AppContext = Context<AppEnv>;

export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** An answer with a JSON body of this schema. */
export interface JsonResponseSpec<S extends z.ZodType = z.ZodType> {
  description: string;
  schema: S;
}

/** A server-sent events stream: each event's name, and the schema of its JSON `data`. */
export interface EventStreamSpec {
  description: string;
  events: Record<string, { description: string; schema: z.ZodType; /** The event carries an `id` (a cursor to resume from). */ id?: boolean }>;
}

/** An answer without a body, or an error (`{ error: { code, message, issues? } }` for 4xx and 5xx). */
export interface PlainResponseSpec {
  description: string;
}

export type ResponseSpec = JsonResponseSpec | EventStreamSpec | PlainResponseSpec;
export type ResponseSpecs = Record<number, ResponseSpec>;

export interface RouteSpec<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends ResponseSpecs = ResponseSpecs,
> {
  // HEAD is answered by the GET route of the same path (Hono does that); declare GET.
  method: 'get' | 'post' | 'put' | 'delete';
  /** Hono syntax: `/api/bots/:botId`. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The handler reads the raw body itself (`c.req.text()`), e.g. to verify a webhook signature
   * over the exact bytes; `body` then only documents it.
   */
  rawBody?: boolean;
  /**
   * The error for a JSON body that does not match `body`, when this route says more than the
   * router's 400 (PUT …/flow answers 422 with the flow's issues).
   */
  onInvalidBody?: (error: z.ZodError, json: unknown) => AppError;
  /** Bytes; 413 beyond. */
  bodyLimit?: number;
  /**
   * What the route answers. Errors the router itself gives (400 for input that does not match
   * the schemas, 401/403 from `access`, 404 for an unknown path parameter, 413, 415) are added to
   * the document; declare the others the handler throws (409, 422, …) with a description.
   */
  responses: R;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  /** Set when the caller is a logged-in person or an API token. */
  user: AuthUser | undefined;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * What a handler may return: for each declared status, `c.json(…)` of the declared schema's
 * output, `c.body(null, …)` where there is no schema, and any Response for an event stream.
 */
export type DeclaredResponse<R extends ResponseSpecs> = {
  [S in keyof R & StatusCode]: R[S] extends EventStreamSpec
    ? Response
    : R[S] extends JsonResponseSpec<infer Schema>
      ? Response & TypedResponse<JSONParsed<z.output<Schema>>, S, 'json'>
      : Response & TypedResponse<null, S, 'body'>;
}[keyof R & StatusCode];

export function authorize(access: Access, principal: Principal, conversationParam: string | undefined): AuthUser | undefined {
  if ('public' in access) return principal.kind === 'user' ? principal.user : undefined;
  if (principal.kind === 'invalid') throw new AppError(401, 'invalid_credentials', principal.reason);
  if (principal.kind === 'anonymous') throw new AppError(401, 'unauthorized', 'Log in, or pass a token in the Authorization header');
  if (principal.kind === 'user') {
    if (access.roles.includes(principal.user.role)) return principal.user;
    throw new AppError(403, 'forbidden', `The ${principal.user.role} role may not do this`);
  }
  if (access.conversationToken && conversationParam !== undefined && principal.conversationId === conversationParam) return undefined;
  throw new AppError(403, 'forbidden', 'This conversation token does not give access to this');
}

/** A JSON body from its exact bytes: UTF-8, then JSON, else 400 `malformed_json`. */
export function parseJsonBytes(raw: Uint8Array | string): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw malformedJson();
  }
}

/**
 * A feature's routes: each is declared once (method, path, access, zod schemas of params,
 * query and body, responses) and that declaration validates requests, types the handler's input
 * and answers, and produces the OpenAPI document (openapi.ts).
 */
export class Router {
  readonly app = new Hono<AppEnv>();
  readonly specs: RouteSpec[] = [];

  add<
    P extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    const R extends ResponseSpecs = ResponseSpecs,
  >(
    spec: RouteSpec<P, Q, B, R>,
    handler: (c: AppContext, input: RouteInput<Out<P>, Out<Q>, Out<B>>) => DeclaredResponse<R> | Promise<DeclaredResponse<R>>,
  ): this {
    this.specs.push(spec);
    const maxSize = spec.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const limit = bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError(413, 'payload_too_large', `The request body is larger than ${maxSize} bytes`);
      },
    });
    this.app.on(spec.method.toUpperCase(), spec.path, limit, async (c) => {
      const principal = c.get('principal');
      const rawParams = c.req.param() as Record<string, string>;
      const user = authorize(spec.access, principal, rawParams['id']);
      const params = spec.params?.safeParse(rawParams);
      if (params && !params.success) throw invalidRequest(params.error, ['params']);
      const query = spec.query?.safeParse(c.req.query());
      if (query && !query.success) throw invalidRequest(query.error, ['query']);
      let body: unknown;
      if (spec.body && !spec.rawBody) {
        const contentType = c.req.header('content-type') ?? '';
        const text = await c.req.text();
        // A bare request (no body, no type) is left to the schema: optional bodies have defaults.
        const bare = text === '' && contentType === '';
        if (!bare && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
          throw new AppError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
        }
        const json = text === '' ? undefined : parseJsonBytes(text);
        const parsed = spec.body.safeParse(json);
        if (!parsed.success) throw spec.onInvalidBody?.(parsed.error, json) ?? invalidRequest(parsed.error, ['body']);
        body = parsed.data;
      }
      return handler(c, {
        params: params?.data as Out<P>,
        query: query?.data as Out<Q>,
        body: body as Out<B>,
        principal,
        user,
      });
    });
    return this;
  }
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'] as const;

/**
 * For every declared path, the methods it does not declare: `OPTIONS` answers 204 and the others
 * 405, both with `Allow` listing the declared ones (HEAD wherever GET is). Mount it after the
 * routes (a method a route declares is answered by that route first).
 */
export function methodsNotAllowed(specs: readonly RouteSpec[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const byPath = new Map<string, Set<string>>();
  for (const spec of specs) {
    const methods = byPath.get(spec.path) ?? new Set<string>();
    methods.add(spec.method.toUpperCase());
    if (spec.method === 'get') methods.add('HEAD');
    byPath.set(spec.path, methods);
  }
  for (const [path, declared] of byPath) {
    const allow = METHODS.filter((method) => declared.has(method)).join(', ');
    app.all(path, (c) => {
      c.header('Allow', allow);
      if (c.req.method === 'OPTIONS') return c.body(null, 204);
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed here; allowed: ${allow}`), 405);
    });
  }
  return app;
}
