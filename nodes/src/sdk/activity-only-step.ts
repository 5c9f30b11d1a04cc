import type { Json, JsonObject } from '../json.js';
import type { StepContext, StepResult } from './step.js';

/** What an activity-only node's activity returns: the exit to take, and optionally messages and variables. */
export interface ActivityOnlyResult {
  port: string;
  say?: string[];
  set?: Record<string, Json>;
}

/** What an activity-only node's activity is called with: its parsed config and the conversation's variables. */
export interface ActivityOnlyInput {
  config: unknown;
  vars: JsonObject;
}

/**
 * The whole workflow-side logic of an activity-only node: call the activity, then follow its
 * answer. Free of schemas: the activity's wrapper checks its input and result.
 */
export function activityOnlyStep(ctx: StepContext<unknown, ActivityOnlyResult>): StepResult<ActivityOnlyInput> {
  if (ctx.phase === 'result') {
    return { say: ctx.result.say ?? [], set: ctx.result.set ?? {}, then: { go: ctx.result.port } };
  }
  return { then: { call: { config: ctx.config, vars: { ...ctx.vars } } } };
}
