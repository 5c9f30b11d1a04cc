import { afterEach, describe, expect, test } from 'vitest';
import { createTestServer, type TestServer } from '../../../testing/test-server.js';

describe('GET /healthz', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('answers { ok, temporal } with 200 when Temporal answers, without credentials', async () => {
    server = await createTestServer({ checkTemporal: async () => true });
    const res = await server.json('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, temporal: true });
  });

  test('answers 503 with temporal: false when Temporal does not answer', async () => {
    server = await createTestServer({ checkTemporal: async () => false });
    const res = await server.json('GET', '/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, temporal: false });
  });

  test('a failing Temporal check counts as down, not as a server error', async () => {
    server = await createTestServer({
      checkTemporal: async () => {
        throw new Error('connection refused');
      },
    });
    const res = await server.json('GET', '/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, temporal: false });
  });
});
