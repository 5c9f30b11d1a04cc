import { z } from 'zod';
import { Router } from '../../http/route.js';

const health = z.object({ ok: z.boolean(), temporal: z.boolean() }).meta({ id: 'Health' });

export function healthRoutes(checkTemporal: () => Promise<boolean>): Router {
  return new Router().add(
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness, and whether Temporal answers',
      tags: ['health'],
      access: { public: true },
      responses: { 200: { description: 'Healthy', schema: health }, 503: { description: 'Temporal does not answer', schema: health } },
    },
    async (c) => {
      const temporal = await checkTemporal().catch(() => false);
      return temporal ? c.json({ ok: true, temporal }, 200) : c.json({ ok: false, temporal }, 503);
    },
  );
}
