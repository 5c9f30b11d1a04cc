import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createTestServer, type TestServer } from '../../testing/test-server.js';
import { openApiDocument } from './openapi.js';
import { BUILDERS } from './principal.js';
import { Router } from './route.js';

interface Operation {
  summary: string;
  tags: string[];
  'x-access': unknown;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: Record<string, string[]>[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, Operation['responses'][string]>; securitySchemes: Record<string, { type: string }> };
}

let server: TestServer;
let document: Document;
beforeAll(async () => {
  server = await createTestServer();
  const res = await server.json('GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  document = res.body as Document;
});
afterAll(async () => {
  await server.close();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A schema with its `$ref` (to `#/components/schemas/…`) followed, once. */
const resolve = (schema: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
  const ref = schema?.['$ref'];
  if (typeof ref !== 'string') return schema;
  return document.components.schemas[ref.replace('#/components/schemas/', '')] as Record<string, unknown>;
};

/** Every `$ref` anywhere in a value. */
const refsIn = (value: unknown): string[] => [...JSON.stringify(value).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);

describe('GET /api/openapi.json', () => {
  test('is an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({ title: expect.any(String), version: expect.any(String), description: expect.any(String) });
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    expect(document.components.securitySchemes).toMatchObject({ session: { type: 'apiKey' }, bearer: { type: 'http' } });
    for (const { path, method, operation } of operations()) {
      const where = `${method} ${path}`;
      expect(path, where).toMatch(/^\//);
      expect(METHODS, where).toContain(method);
      expect(operation.summary, where).toEqual(expect.any(String));
      expect(Object.keys(operation.responses).length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(status, where).toMatch(/^[1-5]\d\d$/);
        const ref = (response as { $ref?: string }).$ref;
        expect((ref ? document.components.responses[ref.replace('#/components/responses/', '')] : response)?.description, where).toEqual(expect.any(String));
      }
      // JSON Schema 2020-12 is OpenAPI 3.1's dialect: no `$schema` inside the document.
      expect(JSON.stringify(operation), where).not.toContain('"$schema"');
    }
  });

  test('lists every route the app serves, with its method', () => {
    const served = new Set(
      server.app.routes
        .filter((route) => route.method !== 'ALL' && route.path !== '/api/openapi.json')
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(operations().map(({ path, method }) => `${method} ${path}`));
    expect(served.size).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  test('writes path parameters in {} form, each declared as a required path parameter', () => {
    for (const { path, method, operation } of operations()) {
      expect(path, `${method} ${path}`).not.toContain(':');
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = operation.parameters.filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual(names.sort());
      for (const parameter of declared) expect(parameter.required, `${method} ${path} ${parameter.name}`).toBe(true);
    }
    expect(document.paths['/api/bots/{botId}/versions/{version}/restore']?.['post']).toBeDefined();
  });

  test('gives the JSON schema of request bodies', () => {
    const createBot = document.paths['/api/bots']!['post']!;
    expect(createBot.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
      required: ['name'],
    });
    const sendMessage = document.paths['/api/conversations/{id}/messages']!['post']!;
    expect(sendMessage.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string', maxLength: 4000 }, clientMessageId: { type: 'string' } },
      required: ['text'],
    });
    const settings = document.paths['/api/bots/{botId}/settings']!['put']!;
    expect(resolve(settings.requestBody?.content['application/json']?.schema)).toMatchObject({
      type: 'object',
      properties: { enabled: { type: 'boolean' }, aiMode: { enum: ['hosted', 'assist'] }, desks: { type: 'object' }, widget: { type: 'object' } },
    });
    // Routes without a body declare none.
    expect(document.paths['/api/bots/{botId}/publish']!['post']!.requestBody).toBeUndefined();
  });

  test('gives query parameters, and response schemas and content types', () => {
    const transcript = document.paths['/api/conversations/{id}/messages']!['get']!;
    const query = transcript.parameters.filter((p) => p.in === 'query');
    expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(['after', 'limit']));
    for (const parameter of query) expect(parameter.required).toBe(false);
    expect(transcript.responses['200']!.content!['application/json']!.schema).toMatchObject({
      type: 'object',
      properties: { messages: { type: 'array' }, cursor: { type: 'string' } },
    });
    const events = document.paths['/api/conversations/{id}/events']!['get']!;
    expect(Object.keys(events.responses['200']!.content!)).toEqual(['text/event-stream']);
  });

  test('every reference resolves inside the document (zod\'s local $defs become components)', () => {
    const refs = new Set(refsIn(document));
    expect(refs.size).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/components\/(schemas|responses)\/[A-Za-z]\w*$/);
      const [, kind, name] = /^#\/components\/(\w+)\/(\w+)$/.exec(ref)!;
      expect((document.components as unknown as Record<string, Record<string, unknown>>)[kind!]![name!], ref).toBeDefined();
    }
    expect(JSON.stringify(document)).not.toContain('$defs');
    expect(document.components.schemas).toHaveProperty('JsonValue');
    expect(document.components.schemas).toHaveProperty('FlowDocument');
  });

  test('declares the errors the router answers: 400 for input, 401/403 for protected routes, 404 for ids, 413/415 for bodies', () => {
    const statuses = (path: string, method: string) => Object.keys(document.paths[path]![method]!.responses);
    expect(statuses('/healthz', 'get')).toEqual(['200', '503']);
    expect(statuses('/api/bots', 'post')).toEqual(['201', '400', '401', '403', '413', '415']);
    expect(statuses('/api/bots/{botId}/flow', 'put')).toEqual(['200', '400', '401', '403', '404', '413', '415', '422']);
    expect(statuses('/hooks/webhook/{botId}/message', 'post')).toEqual(['200', '400', '401', '404', '413']);
    for (const { path, method, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        // Declared once under components.responses (or worded by the route), always the Error shape.
        const ref = (response as { $ref?: string }).$ref;
        const resolved = ref ? document.components.responses[ref.replace('#/components/responses/', '')] : response;
        expect(resolved, `${method} ${path} ${status}`).toBeDefined();
        if (Number(status) >= 400 && !(method === 'get' && path === '/healthz')) {
          expect(resolved!.content?.['application/json']?.schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        }
      }
    }
    expect(document.paths['/api/bots']!['post']!.responses['400']).toEqual({ $ref: '#/components/responses/InvalidRequest' });
    // A route's own words for one of them stay its own.
    expect(document.paths['/api/bots/{botId}/desks/{desk}/test']!['post']!.responses['409']!.description).toContain('not_configured');
  });

  test('describes each event of an event stream, its data as JSON of a schema', () => {
    const events = document.paths['/api/conversations/{id}/events']!['get']!.responses['200']!.content!['text/event-stream']!.schema as { oneOf: Record<string, any>[] };
    expect(events.oneOf.map((event) => event['properties'].event)).toEqual([{ const: 'message' }, { const: 'status' }]);
    expect(events.oneOf[0]).toMatchObject({
      required: ['event', 'data', 'id'],
      properties: { data: { type: 'string', contentMediaType: 'application/json', contentSchema: { $ref: '#/components/schemas/Message' } } },
    });
  });

  test('says which routes need credentials', () => {
    expect(document.paths['/healthz']!['get']!.security).toEqual([]);
    expect(document.paths['/api/auth/login']!['post']!.security).toEqual([]);
    expect(document.paths['/api/bots']!['get']!.security).toEqual([{ session: [] }, { bearer: [] }]);
  });
});

describe('openApiDocument', () => {
  const info = { title: 'T', version: '1' };
  const widgets = () =>
    new Router().add(
      {
        method: 'post',
        path: '/api/widgets/:widgetId/parts',
        summary: 'Add a part',
        tags: ['widgets'],
        access: { roles: BUILDERS },
        params: z.object({ widgetId: z.string() }),
        query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
        body: z.object({ size: z.number().int().min(1), colour: z.string().optional() }),
        responses: { 201: { description: 'Added', schema: z.object({ id: z.string() }) } },
      },
      (c) => c.json({ id: 'p1' }, 201),
    );

  test('is generated from route declarations: adding a route adds it to the document', () => {
    const base = new Router().add(
      { method: 'get', path: '/api/things', summary: 'List things', tags: ['things'], access: { public: true }, responses: { 200: { description: 'Things', schema: z.object({ things: z.array(z.string()) }) } } },
      (c) => c.json({ things: [] }, 200),
    );
    const before = openApiDocument(base.specs, info);
    const after = openApiDocument([...base.specs, ...widgets().specs], info);
    expect(before.paths['/api/widgets/{widgetId}/parts']).toBeUndefined();
    expect(after.paths['/api/things']).toEqual(before.paths['/api/things']);
    const operation = after.paths['/api/widgets/{widgetId}/parts']!['post'] as unknown as Operation;
    expect(operation).toMatchObject({
      summary: 'Add a part',
      tags: ['widgets'],
      'x-access': { roles: ['owner', 'builder'], conversationToken: false },
      parameters: [
        { name: 'widgetId', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'dryRun', in: 'query', required: false, schema: { enum: ['true', 'false'] } },
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', properties: { size: { type: 'integer', minimum: 1 }, colour: { type: 'string' } }, required: ['size'] } } },
      },
      responses: { '201': { description: 'Added', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } } },
    });
  });
});
