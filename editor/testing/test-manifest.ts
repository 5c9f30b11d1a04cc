// Test kit of the editor (`@baton/editor/testing`): the real built-in node types, as
// GET /api/node-types?allVersions=true sends them, and a sample flow, for unit tests.
import { builtinNodes, createRegistry, registryManifest, type FlowDocument, type NodeTypeManifest } from '@baton/nodes';
import { indexManifest } from '../src/flow/manifest-index.js';

export const builtinManifests: NodeTypeManifest[] = JSON.parse(JSON.stringify(registryManifest(createRegistry(builtinNodes), { allVersions: true })));
export const builtinIndex = indexManifest(builtinManifests);

export function manifestOf(type: string): NodeTypeManifest {
  const manifest = builtinIndex.get(type);
  if (!manifest) throw new Error(`no node type ${type}`);
  return manifest;
}

/** start → ask (condition with two rules) → vip / else branches. */
export function sampleFlow(): FlowDocument {
  return {
    schemaVersion: 1,
    name: 'Support',
    nodes: [
      { id: 'start', type: 'start', typeVersion: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'hello', type: 'send_message', typeVersion: 1, label: 'Greeting', config: { text: 'Hi {{user.name | there}}' }, position: { x: 240, y: 10.5 } },
      {
        id: 'route',
        type: 'condition',
        config: { rules: [{ port: 'vip', variable: 'user.email', op: 'contains', value: '@vip' }, { port: 'sales', variable: 'lastMessage', op: 'contains', value: 'price' }], ignoreCase: true },
        position: { x: 480, y: -20 },
      },
      { id: 'bye', type: 'end', typeVersion: 1, config: { message: 'Bye' }, position: { x: 720, y: 0 }, runtime: { activityOnly: { ports: [], timeoutSeconds: 5 } } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
      { id: 'e2', source: 'hello', sourcePort: 'next', target: 'route' },
      { id: 'e3', source: 'route', sourcePort: 'vip', target: 'bye' },
    ],
    settings: { fallbackMessage: 'Oops', onError: 'end', burstWindowMs: 500 },
  };
}
