// The isomorphic half of the order-status node: its declarations. The editor, the server and the
// workflow may all import this file, so it imports nothing but zod and @baton/nodes.
import { z } from 'zod';
import { defineActivityNode, secretRef, ui } from '@baton/nodes';

/** What both versions ask for. */
const baseConfig = {
  apiBaseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .meta(ui({ label: 'Order API', placeholder: 'https://shop.example.com/api', help: 'The node calls GET <Order API>/orders/<order number>.' })),
  orderId: z
    .string()
    .min(1)
    .max(500)
    .default('{{order_id}}')
    .meta(ui({ label: 'Order number', widget: 'template', help: 'Usually a variable saved by an earlier node.' })),
  // Only the secret's NAME is stored in the flow; the activity reads the value at run time.
  apiKey: secretRef({ label: 'API key', help: 'A secret of this bot (Settings → Secrets), sent as a bearer token.' }).optional(),
};

const ports = [
  { id: 'found', label: 'Found' },
  { id: 'not_found', label: 'Not found' },
  { id: 'error', label: 'Error' },
] as const;

/** Version 1: tells the user the order's status. */
export const orderStatusV1 = defineActivityNode({
  type: 'order_status',
  version: 1,
  title: 'Order status',
  description: 'Looks up an order in your shop and tells the user its status. Goes to "not found" for an unknown order, "error" when the shop does not answer.',
  category: 'integration',
  icon: 'package',
  config: z.object(baseConfig),
  ports,
  // A GET is safe to repeat: three tries, ten seconds each.
  activity: { timeoutSeconds: 10, maxAttempts: 3 },
  setsVariables: () => ['order.status'],
});

/** Version 2: also tells the user when the order should arrive (`includeEta`, on by default). */
export const orderStatusV2 = defineActivityNode({
  type: 'order_status',
  version: 2,
  title: 'Order status',
  description:
    'Looks up an order in your shop and tells the user its status and delivery estimate. Goes to "not found" for an unknown order, "error" when the shop does not answer.',
  category: 'integration',
  icon: 'package',
  config: z.object({
    ...baseConfig,
    includeEta: z.boolean().default(true).meta(ui({ label: 'Say the delivery estimate', widget: 'switch' })),
  }),
  ports,
  activity: { timeoutSeconds: 10, maxAttempts: 3 },
  setsVariables: (config) => (config.includeEta ? ['order.status', 'order.eta'] : ['order.status']),
  // A version 1 node keeps its settings and gains the new option, switched on.
  upgrade: (previous) => ({ ...orderStatusV1.config.parse(previous), includeEta: true }),
});
