import { z } from 'zod';
import { nodeTypeManifestSchema, registryManifest, type NodeRegistry } from '@baton/nodes';
import { BUILDERS } from '../../http/principal.js';
import { Router } from '../../http/route.js';

export function nodeTypesRoutes(registry: NodeRegistry): Router {
  // The registry is fixed for the life of the process: build the palette once.
  const latest = registryManifest(registry);
  const all = registryManifest(registry, { allVersions: true });
  return new Router().add(
    {
      method: 'get',
      path: '/api/node-types',
      summary: 'The palette: every node type with its ports and config JSON Schema',
      tags: ['flows'],
      access: { roles: BUILDERS },
      query: z.object({ allVersions: z.enum(['true', 'false']).optional().describe('`true`: every installed version, not only the latest') }),
      responses: { 200: { description: 'Node types', schema: z.object({ nodeTypes: z.array(nodeTypeManifestSchema) }) } },
    },
    (c, { query }) => c.json({ nodeTypes: query.allVersions === 'true' ? all : latest }, 200),
  );
}
