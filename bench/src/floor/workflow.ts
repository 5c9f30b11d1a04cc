// The floors: the least a Temporal workflow can do to answer a chat message.
// - `floorConversation`: one update handler that returns a fixed reply at once; no activities, no
//   timers, no persistence of its own. The floor.
// - `floorConversationWithActivity`: the same, but the reply comes from one activity that asks the
//   same fake LLM (openai SDK, as Baton's llm_reply does). The least any design that calls a model
//   from a durable workflow can do: an update, an activity, a second workflow task.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities.js';

export interface FloorMessage {
  id: string;
  text: string;
}

export interface FloorReply {
  status: 'answered';
  replies: { id: string; text: string }[];
}

export const FLOOR_REPLY = 'Thanks, noted.';

export const floorMessageUpdate = defineUpdate<FloorReply, [FloorMessage]>('floorMessage');

const { askModel } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export async function floorConversation(): Promise<void> {
  setHandler(floorMessageUpdate, (message) => ({ status: 'answered', replies: [{ id: `${message.id}-r`, text: FLOOR_REPLY }] }));
  // Idle for ever, like a conversation waiting for its user (the dev server is thrown away).
  await condition(() => false);
}

export async function floorConversationWithActivity(): Promise<void> {
  setHandler(floorMessageUpdate, async (message) => ({ status: 'answered', replies: [{ id: `${message.id}-r`, text: await askModel(message.text) }] }));
  await condition(() => false);
}
