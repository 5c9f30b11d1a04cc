import type { ConversationActivities, HandoffActivityInput, HandoffStart, TurnRecord } from './contracts.js';
import type { EngineDeps } from './deps.js';
import { nodeActivityName, wrapNodeActivity } from './node-activity.js';

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
  const own: ConversationActivities = {
    loadFlow: ({ botId, version }) => deps.flows.load(botId, version),
    recordTurn: (record: TurnRecord) => deps.conversations.recordTurn(record),
    requestHandoff: (input) => (deps.handoff ? deps.handoff.request(input) : defaultHandoff(input)),
  };
  return Object.assign(activities, own);
}
