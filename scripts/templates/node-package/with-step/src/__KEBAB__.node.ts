import { z } from 'zod';
import { defineNode, renderTemplate, secretRef, ui } from '@baton/nodes';

// The declaration and its pure `step`: the server validates flows with it, the editor draws it,
// and the worker bundles it into the conversation workflow at start. I/O goes in
// __KEBAB__.activity.ts.
export const __CAMEL__Node = defineNode({
  // `type@version` is stored in every flow that uses the node: never rename the type. A change
  // that could alter a running conversation (config, ports, what `step` answers) is a new
  // definition with `version: 2` (and `upgrade(previousConfig)` if the config changed), listed
  // beside this one.
  type: '__TYPE__',
  version: 1,
  title: '__TITLE__',
  description: 'Sends a query to your API and saves its answer as {{__TYPE__}}.',
  category: 'integration',
  // One zod schema is the whole config contract: the server validates flows with it, `step`
  // gets it parsed (defaults applied) and the editor builds its form from its JSON Schema. UI
  // hints are plain data in `.meta(ui(…))`: there is no editor code to write.
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
  // Ports are data: an edge's `sourcePort` holds one of these ids. `step` goes to `ok`; the
  // engine takes `error` when the activity fails for good.
  ports: [
    { id: 'ok', label: 'OK' },
    { id: 'error', label: 'Error', warnIfUnconnected: 'When the call fails, the flow falls back.' },
  ],
  activity: {
    // What `step` passes to `call` and what the activity answers: both are recorded in the
    // conversation's history, so never put a secret's value here.
    input: z.object({ url: z.string(), query: z.string(), apiKey: z.string(), sentAt: z.string() }),
    result: z.object({ answer: z.json() }),
    // Per attempt; after `maxAttempts` retryable failures the node fails for good.
    timeoutSeconds: 10,
    maxAttempts: 3,
  },
  // `step` runs inside the durable workflow and again on every replay: the same context must
  // give the same answer. Use `ctx.now`, never `Date.now()`; no `Math.random()`, network,
  // environment or module state.
  step: (ctx) => {
    if (ctx.phase === 'result') {
      return { set: { __TYPE__: ctx.result.answer }, then: { go: 'ok' } };
    }
    const query = renderTemplate(ctx.config.query, ctx.vars);
    return { then: { call: { url: ctx.config.url, query, apiKey: ctx.config.apiKey, sentAt: ctx.now } } };
  },
  setsVariables: () => ['__TYPE__'],
});
