import { z } from 'zod';
import { Router } from '../../http/route.js';

export function healthRoutes(checkTemporal: () => Promise<boolean>): Router {
  return new Router().add(
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness, and whether Temporal answers',
      tags: ['health'],
      access: { public: true },
      responses: { 200: { description: 'Healthy', schema: z.object({ ok: z.boolean(), temporal: z.boolean() }) }, 503: { description: 'Temporal is down' } },
    },
    async (c) => {
      const temporal = await checkTemporal().catch(() => false);
      return c.json({ ok: temporal, temporal }, temporal ? 200 : 503);
    },
  );
}
