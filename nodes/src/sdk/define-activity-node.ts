import { z } from 'zod';
import { activityOnlyStep, type ActivityOnlyResult } from './activity-only-step.js';
import { defineNode, type NodeCategory, type NodeDefinition } from './define-node.js';
import type { PortDeclaration } from './ports.js';
import type { StepResult } from './step.js';
import { isVariablePath } from './variables.js';

export { activityOnlyStep } from './activity-only-step.js';
export type { ActivityOnlyInput, ActivityOnlyResult } from './activity-only-step.js';

/** What an activity-only node's activity returns: the exit to take, and optionally messages and variables. */
export const activityOnlyResultSchema = z.object({
  port: z.string().min(1),
  say: z.array(z.string().max(4000)).max(10).optional(),
  set: z
    .record(z.string().refine(isVariablePath, 'must be a variable name'), z.json())
    .optional(),
}) satisfies z.ZodType<ActivityOnlyResult>;

export interface ActivityNodeDeclaration<Config extends z.ZodObject> {
  type: string;
  version: number;
  title: string;
  description: string;
  category: NodeCategory;
  icon?: string;
  config: Config;
  /** Static exits; the activity answers which one to take. */
  ports: readonly (string | PortDeclaration)[];
  activity: { timeoutSeconds: number; heartbeatSeconds?: number; maxAttempts?: number };
  setsVariables?(config: z.output<Config>): string[];
  upgrade?(previousConfig: unknown): z.input<Config>;
}

/**
 * Declares a node whose logic is all in its activity — the common kind of custom node (look up
 * an order, create a ticket, score a lead). The activity gets the parsed config and the
 * conversation's variables and answers the exit to take, plus messages to say and variables to
 * set. Installing such a node needs no change to the workflow and no rebuild of its bundle: a
 * published flow carries what the engine needs to run it.
 *
 * @example
 * export const leadScore = defineActivityNode({
 *   type: 'lead_score',
 *   version: 1,
 *   title: 'Score the lead',
 *   description: 'Asks the CRM how hot this lead is.',
 *   category: 'integration',
 *   config: z.object({ threshold: z.number().int().min(0).max(100).default(70) }),
 *   ports: ['hot', 'cold', 'error'],
 *   activity: { timeoutSeconds: 10, maxAttempts: 3 },
 * });
 *
 * // lead-score.activity.ts (Node only)
 * export const leadScoreActivity = implementActivity(leadScore, async ({ config, vars }, ctx) => {
 *   const score = await crm.score(String(vars.user?.email), ctx.signal);
 *   return { port: score >= config.threshold ? 'hot' : 'cold', set: { 'lead.score': score } };
 * });
 */
export function defineActivityNode<Config extends z.ZodObject>(declaration: ActivityNodeDeclaration<Config>) {
  const input = z.object({ config: declaration.config, vars: z.record(z.string(), z.json()) });
  const definition: NodeDefinition<Config, typeof input, typeof activityOnlyResultSchema> = {
    ...declaration,
    activityOnly: true,
    activity: { ...declaration.activity, input, result: activityOnlyResultSchema },
    step: (ctx) => activityOnlyStep(ctx) as StepResult<z.input<typeof input>>,
  };
  return defineNode(definition);
}
