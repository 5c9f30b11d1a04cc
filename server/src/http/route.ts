import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { AppError } from './errors.js';
import type { Access, AuthUser, Principal } from './principal.js';

export type AppEnv = { Variables: { principal: Principal } };
export type AppContext = Context<AppEnv>;

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
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
  /** Bytes; 413 beyond. */
  bodyLimit?: number;
  responses: Record<number, ResponseSpec>;
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

function toIssues(error: z.ZodError, prefix: string) {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')],
    message: issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? 'is required' : issue.message,
  }));
}

function invalid(where: string, error: z.ZodError): AppError {
  const issues = toIssues(error, where);
  const first = issues[0]!;
  return new AppError(400, 'invalid_request', `${first.path.join('.')}: ${first.message}`, issues);
}

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

/**
 * A feature's routes: each is declared once (method, path, access, zod schemas of params,
 * query and body, responses) and that declaration both validates requests and produces the
 * OpenAPI document.
 */
export class Router {
  readonly app = new Hono<AppEnv>();
  readonly specs: RouteSpec[] = [];

  add<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    spec: RouteSpec & { params?: P; query?: Q; body?: B },
    handler: (c: AppContext, input: RouteInput<Out<P>, Out<Q>, Out<B>>) => Response | Promise<Response>,
  ): this {
    this.specs.push(spec);
    const limit = bodyLimit({
      maxSize: spec.bodyLimit ?? DEFAULT_BODY_LIMIT,
      onError: () => {
        throw new AppError(413, 'payload_too_large', `The request body is larger than ${spec.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes`);
      },
    });
    this.app.on(spec.method.toUpperCase(), spec.path, limit, async (c) => {
      const principal = c.get('principal');
      const rawParams = c.req.param() as Record<string, string>;
      const user = authorize(spec.access, principal, rawParams['id']);
      const params = spec.params ? spec.params.safeParse(rawParams) : undefined;
      if (params && !params.success) throw invalid('params', params.error);
      const query = spec.query ? spec.query.safeParse(c.req.query()) : undefined;
      if (query && !query.success) throw invalid('query', query.error);
      let body: unknown;
      if (spec.body && !spec.rawBody) {
        const contentType = c.req.header('content-type') ?? '';
        const text = await c.req.text();
        // A bare request (no body, no type) is left to the schema: optional bodies have defaults.
        const bare = text === '' && contentType === '';
        if (!bare && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
          throw new AppError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
        }
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          throw new AppError(400, 'malformed_json', 'The request body is not valid JSON');
        }
        const parsed = spec.body.safeParse(json);
        if (!parsed.success) throw invalid('body', parsed.error);
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
