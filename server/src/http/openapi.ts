import { z } from 'zod';
import type { EventStreamSpec, JsonResponseSpec, ResponseSpec, RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

/** `{ error: { code, message, issues? } }`: every 4xx and 5xx answer of the API. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable and machine-readable, e.g. `invalid_request`, `not_found`, `conversation_closed`'),
      message: z.string().describe('For people: what is wrong, naming the field'),
      issues: z
        .array(z.looseObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }))
        .optional()
        .describe('Each problem found, located by its path in the request (`body.widget.color`) or in the flow'),
    }),
  })
  .meta({ id: 'Error' });

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;

/** A definition zod extracted, with its references to itself written `#self`: two renderings of one schema compare equal. */
function shapeKey(definition: unknown, localName: string): string {
  return JSON.stringify(definition).replaceAll(`"#/$defs/${localName}"`, '"#self"');
}

const JSON_VALUE_SHAPE = (() => {
  // Inside an object, as the routes' schemas hold it (at the root zod writes it with `#` references).
  const { $defs } = toJsonSchema(z.object({ value: z.json() }), 'output') as { $defs: Record<string, unknown> };
  const [local, definition] = Object.entries($defs)[0]!;
  return shapeKey(definition, local);
})();

/**
 * The document's `components.schemas`. zod renders each schema on its own, with the schemas it
 * names (`.meta({ id })`) and the recursive ones it extracts (`z.json()`) under a local `$defs`
 * that a `$ref` inside an OpenAPI document cannot reach; they move here, each once, and the
 * references follow. Input renderings (request bodies: defaults optional) get an `Input` suffix.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly anonymous = new Map<string, string>();

  render(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $schema: _dialect, $defs = {}, ...root } = toJsonSchema(schema, io) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names = new Map<string, string>();
    for (const [local, definition] of Object.entries($defs)) {
      if (!/^__schema\d+$/.test(local)) {
        names.set(local, io === 'input' ? `${local}Input` : local);
        continue;
      }
      const shape = shapeKey(definition, local);
      let name = this.anonymous.get(shape);
      if (!name) {
        name = shape === JSON_VALUE_SHAPE ? 'JsonValue' : `Schema${this.anonymous.size + 1}`;
        this.anonymous.set(shape, name);
      }
      names.set(local, name);
    }
    const relink = <T>(value: T): T =>
      JSON.parse(
        JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_match, local: string) => JSON.stringify(`#/components/schemas/${names.get(local) ?? local}`)),
      ) as T;
    for (const [local, definition] of Object.entries($defs)) this.add(names.get(local)!, relink(definition));
    return relink(root);
  }

  add(name: string, definition: JsonSchema): void {
    const existing = this.schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(`Two different schemas are named "${name}" in the OpenAPI document: give one another id`);
    }
    this.schemas[name] = definition;
  }
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

const isJson = (response: ResponseSpec): response is JsonResponseSpec => 'schema' in response;
const isEventStream = (response: ResponseSpec): response is EventStreamSpec => 'events' in response;

/** The errors the router itself answers (route.ts), each declared once under components.responses. */
const ROUTER_ERRORS = {
  400: { name: 'InvalidRequest', description: 'The request does not match this operation (`invalid_request`, each field in `error.issues`; `malformed_json`)' },
  401: { name: 'Unauthorized', description: 'No credentials, or credentials that are not valid (`unauthorized`, `invalid_credentials`)' },
  403: { name: 'Forbidden', description: 'These credentials may not do this (`forbidden`)' },
  404: { name: 'NotFound', description: 'Nothing has this id (`not_found`)' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than this operation takes (`payload_too_large`)' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not sent as JSON (`unsupported_media_type`)' },
} as const;
type RouterError = keyof typeof ROUTER_ERRORS;

/** Which of them this declaration can get. */
function routerErrors(spec: RouteSpec): RouterError[] {
  return [
    ...(spec.params || spec.query || spec.body ? [400 as const] : []),
    ...('public' in spec.access ? [] : [401 as const, 403 as const]),
    ...(/:\w+/.test(spec.path) ? [404 as const] : []),
    ...(spec.body ? [413 as const] : []),
    ...(spec.body && !spec.rawBody ? [415 as const] : []),
  ];
}

function eventStreamSchema(spec: EventStreamSpec, components: SchemaComponents): JsonSchema {
  return {
    description: 'One event of the stream, as `event`, `id` and `data` lines; `data` is JSON',
    oneOf: Object.entries(spec.events).map(([event, declared]) => ({
      type: 'object',
      description: declared.description,
      properties: {
        event: { const: event },
        ...(declared.id ? { id: { type: 'string' } } : {}),
        data: { type: 'string', contentMediaType: 'application/json', contentSchema: components.render(declared.schema, 'output') },
      },
      required: ['event', 'data', ...(declared.id ? ['id'] : [])],
    })),
  };
}

function responseObject(status: number, response: ResponseSpec, components: SchemaComponents): JsonSchema {
  if (isJson(response)) {
    return { description: response.description, content: { 'application/json': { schema: components.render(response.schema, 'output') } } };
  }
  if (isEventStream(response)) {
    return { description: response.description, content: { 'text/event-stream': { schema: eventStreamSchema(response, components) } } };
  }
  if (status >= 400) return { description: response.description, content: { 'application/json': { schema: ERROR_REF } } };
  return { description: response.description };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: SchemaComponents) {
  if (!schema) return [];
  const object = components.render(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
    schema: property,
  }));
}

/** Who may call: nobody needs to, or a session, a bearer token, and (GET routes an end user may call) `?token=`. */
function security(spec: RouteSpec): Record<string, string[]>[] {
  if ('public' in spec.access) return [];
  const schemes: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
  return spec.access.conversationToken && spec.method === 'get' ? [...schemes, { queryToken: [] }] : schemes;
}

/** The OpenAPI 3.1 document, generated from the same route declarations that validate requests. */
export function openApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string; description?: string }) {
  const components = new SchemaComponents();
  components.render(errorSchema, 'output');
  const usedErrors = new Set<RouterError>();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    const declared = new Map<number, JsonSchema>(Object.entries(spec.responses).map(([status, response]) => [Number(status), responseObject(Number(status), response, components)]));
    // A route that words one of the router's errors itself keeps its words.
    for (const status of routerErrors(spec)) {
      if (declared.has(status)) continue;
      declared.set(status, { $ref: `#/components/responses/${ROUTER_ERRORS[status].name}` });
      usedErrors.add(status);
    }
    const responses = Object.fromEntries([...declared.entries()].sort(([a], [b]) => a - b).map(([status, response]) => [String(status), response]));
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: spec.tags,
      'x-access': 'public' in spec.access ? 'public' : { roles: spec.access.roles, conversationToken: spec.access.conversationToken ?? false },
      parameters: [...parameters(spec.params, 'path', components), ...parameters(spec.query, 'query', components)],
      ...(spec.body
        ? {
            requestBody: {
              required: !spec.body.safeParse(undefined).success,
              content: { 'application/json': { schema: components.render(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
      security: security(spec),
    };
    (paths[path] ??= {})[spec.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses: Object.fromEntries(
        [...usedErrors].sort((a, b) => a - b).map((status) => [ROUTER_ERRORS[status].name, { description: ROUTER_ERRORS[status].description, content: { 'application/json': { schema: ERROR_REF } } }]),
      ),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'baton_session', description: 'The session cookie that `POST /api/auth/login` sets' },
        bearer: { type: 'http', scheme: 'bearer', description: "An API token, BATON_API_TOKEN, or an end user's conversation token" },
        queryToken: { type: 'apiKey', in: 'query', name: 'token', description: "An end user's conversation token, for EventSource, which cannot send headers" },
      },
    },
  };
}
