import type { z } from 'zod';
import type { PortSpec } from './ports.js';
import type { StepContext, StepResult } from './step.js';

export type NodeCategory = 'flow' | 'message' | 'input' | 'logic' | 'ai' | 'integration' | 'handoff';

/** The Node-side half of a node, declared as data; the code lives in an `*.activity.ts` file. */
export interface ActivitySpec<Input extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  /** Shape of what `step` passes to `call`; checked before the activity runs. */
  input: Input;
  /** Shape of what the activity returns; checked before `step` sees it. */
  result: Result;
  /** Time limit of one attempt. */
  timeoutSeconds: number;
  /** Long calls should heartbeat so a crashed worker is noticed within this time. */
  heartbeatSeconds?: number;
  /** Attempts before the node fails for good (then its `error` port, or the flow's fallback). Default 3. */
  maxAttempts?: number;
}

export interface NodeDefinition<
  Config extends z.ZodObject = z.ZodObject,
  CallInput extends z.ZodType = z.ZodType,
  Result extends z.ZodType = z.ZodType,
> {
  /** snake_case id stored in flow documents; never renamed (add a version instead). */
  type: string;
  /** Bump it for any change that could alter a running conversation; keep the old version registered. */
  version: number;
  title: string;
  description: string;
  category: NodeCategory;
  /** An icon name the editor knows (lucide-style), purely cosmetic. */
  icon?: string;
  /** The one description of the config: validation, types and the editor form all come from it. */
  config: Config;
  ports: PortSpec;
  /** The flow starts at this node; a flow has exactly one. */
  entry?: boolean;
  activity?: ActivitySpec<CallInput, Result>;
  /**
   * Set by `defineActivityNode`: all logic is in the activity, and the engine can run the node
   * from its published descriptor without the definition in the workflow bundle.
   */
  activityOnly?: true;
  /** Pure and deterministic: runs inside the durable workflow and in unit tests. */
  step(ctx: StepContext<z.output<Config>, z.output<Result>>): StepResult<z.input<CallInput>>;
  /** Variables this node writes, for the editor's autocomplete. */
  setsVariables?(config: z.output<Config>): string[];
  /** Turns the config of the previous version into this version's config, when an old flow is opened. */
  upgrade?(previousConfig: unknown): z.input<Config>;
}

// Definitions are stored side by side in registries; their generic parameters are erased there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any, any, any>;

/**
 * Declares a node type: its config schema (with UI hints), its ports, its pure `step`, and
 * optionally the activity it calls. The same declaration feeds the editor's palette and form,
 * the server's validation and the engine's execution.
 *
 * @example
 * import { z } from 'zod';
 * import { defineNode, ui, renderTemplate } from '@baton/nodes';
 *
 * export const sayHello = defineNode({
 *   type: 'say_hello',
 *   version: 1,
 *   title: 'Say hello',
 *   description: 'Greets the user by name.',
 *   category: 'message',
 *   config: z.object({
 *     greeting: z.string().default('Hello {{user.name | there}}!').meta(ui({ label: 'Greeting', widget: 'template' })),
 *   }),
 *   ports: ['next'],
 *   step: ({ config, vars }) => ({ say: [renderTemplate(config.greeting, vars)], then: { go: 'next' } }),
 * });
 */
export function defineNode<
  Config extends z.ZodObject,
  CallInput extends z.ZodType = z.ZodNever,
  Result extends z.ZodType = z.ZodNever,
>(definition: NodeDefinition<Config, CallInput, Result>): NodeDefinition<Config, CallInput, Result> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.type)) {
    throw new Error(`node type "${definition.type}" must be snake_case`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`node ${definition.type}: version must be a positive integer`);
  }
  return Object.freeze(definition);
}

/** `type@version`, the key of a node definition in a registry and of its activity in a worker. */
export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
}
