import { z } from 'zod';
import { defineActivityNode, secretRef, ui } from '@baton/nodes';

// The declaration: the server validates flows with it, the editor draws it, the engine runs it.
// All the logic is in __KEBAB__.activity.ts, so installing the node needs no workflow rebuild.
export const __CAMEL__Node = defineActivityNode({
  // `type@version` is stored in every flow that uses the node: never rename the type. A change
  // that could alter a running conversation (config, ports, what the activity does) is a new
  // definition with `version: 2` (and `upgrade(previousConfig)` if the config changed), listed
  // beside this one.
  type: '__TYPE__',
  version: 1,
  title: '__TITLE__',
  description: 'Sends a query to your API and saves its answer as {{__TYPE__}}.',
  category: 'integration',
  // One zod schema is the whole config contract: the server validates flows with it, the
  // activity gets it parsed (defaults applied) and the editor builds its form from its JSON
  // Schema. UI hints are plain data in `.meta(ui(…))`: there is no editor code to write.
  config: z.object({
    url: z.url().meta(ui({ label: 'API URL', placeholder: 'https://api.example.com/lookup' })),
    query: z
      .string()
      .min(1)
      .max(2000)
      .default('{{lastMessage}}')
      .meta(ui({ label: 'Query', widget: 'template', help: 'Text with {{variables}}.' })),
    // The flow stores the secret's name only; the activity reads its value.
    apiKey: secretRef({ label: 'API key', placeholder: 'example_api_key' }),
  }),
  // Ports are data: an edge's `sourcePort` holds one of these ids. The activity answers `ok`;
  // the engine takes `error` when the activity fails for good.
  ports: [
    { id: 'ok', label: 'OK' },
    { id: 'error', label: 'Error', warnIfUnconnected: 'When the call fails, the flow falls back.' },
  ],
  // Per attempt; after `maxAttempts` retryable failures the node fails for good.
  activity: { timeoutSeconds: 10, maxAttempts: 3 },
  setsVariables: () => ['__TYPE__'],
});
