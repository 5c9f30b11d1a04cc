import type { z } from 'zod';
import type { ActivityContext } from './activity.js';
import type { AnyNodeDefinition, NodeDefinition } from './define-node.js';

/** A node's activity half: the Node-side code, bound to the declaration it implements. */
export interface NodeActivity<Definition extends AnyNodeDefinition = AnyNodeDefinition> {
  definition: Definition;
  run(input: unknown, context: ActivityContext): Promise<unknown>;
}

/**
 * Binds the Node-side code of a node to its declaration. Input and result are checked
 * against the declaration's schemas by the engine, around `run`. Keep these in `*.activity.ts`
 * files exported from your package's Node-only entry, never from the entry the editor or the
 * workflow imports.
 *
 * @example
 * export const orderStatusActivity = implementActivity(orderStatus, async (input, ctx) => {
 *   const res = await ctx.http.request({ method: 'GET', url: `${input.apiBase}/orders/${input.orderId}` });
 *   if (res.status === 404) return { found: false };
 *   return { found: true, status: JSON.parse(res.body).status };
 * });
 */
export function implementActivity<Config extends z.ZodObject, Input extends z.ZodType, Result extends z.ZodType>(
  definition: NodeDefinition<Config, Input, Result>,
  run: (input: z.output<Input>, context: ActivityContext) => Promise<z.input<Result>>,
): NodeActivity<NodeDefinition<Config, Input, Result>> {
  if (!definition.activity) {
    throw new Error(`node ${definition.type}@${definition.version} declares no activity`);
  }
  return { definition, run: run as (input: unknown, context: ActivityContext) => Promise<unknown> };
}
