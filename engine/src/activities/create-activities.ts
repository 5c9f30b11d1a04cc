import { Context } from '@temporalio/activity';
import { compileFlow } from '@baton/nodes';
import type { ConversationActivities, HandoffActivityInput, HandoffStart, TurnRecord } from './contracts.js';
import type { EngineDeps } from './deps.js';
import { nodeActivityName, toFailure, wrapNodeActivity } from './node-activity.js';

/** Without desks configured, the built-in inbox queues the conversation and external desks are unavailable. */
async function defaultHandoff(input: HandoffActivityInput): Promise<HandoffStart> {
  return input.request.target['kind'] === 'inbox' ? { outcome: 'queued' } : { outcome: 'unavailable' };
}

/**
 * The activities a conversation worker registers: the workflow's own, and one per node
 * activity half, named `node:<type>@<version>`.
 */
export function createActivities(deps: EngineDeps): ConversationActivities & Record<string, (arg: never) => Promise<unknown>> {
  const activities: Record<string, (arg: never) => Promise<unknown>> = {};
  for (const nodeActivity of deps.nodeActivities) {
    const name = nodeActivityName(nodeActivity);
    if (activities[name]) throw new Error(`two activity implementations for ${name}`);
    activities[name] = wrapNodeActivity(nodeActivity, deps);
  }
  // Desk errors keep their meaning: a refused request is final, a busy desk is retried later.
  const mapped =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw toFailure(error, name);
      }
    };
  const own: ConversationActivities = {
    loadFlow: async ({ botId, version }) => compileFlow(await deps.flows.load(botId, version), deps.registry),
    recordTurn: (record: TurnRecord) => deps.conversations.recordTurn(record),
    requestHandoff: mapped('requestHandoff', async (input) => {
      if (!deps.handoff) return defaultHandoff(input);
      // Stable across retries of this activity, distinct for every other request.
      const { workflowExecution, activityId } = Context.current().info;
      const key = `${workflowExecution?.workflowId ?? input.conversation.id}/${workflowExecution?.runId ?? ''}/${activityId}`;
      return deps.handoff.request({ ...input, idempotencyKey: key });
    }),
    relayToHumans: mapped('relayToHumans', async (input) => deps.handoff?.relay(input)),
    closeHandoff: mapped('closeHandoff', async (input) => deps.handoff?.close(input)),
    rerouteHandoff: mapped('rerouteHandoff', async (input) => deps.handoff?.reroute(input)),
  };
  return Object.assign(activities, own);
}
