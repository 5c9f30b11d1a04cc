import type { NodeActivity } from '../sdk/implement-activity.js';
import { checkServiceHoursActivity } from './check-service-hours/check-service-hours.activity.js';
import { endActivity } from './end/end.activity.js';
import { httpRequestActivity } from './http-request/http-request.activity.js';
import { llmReplyActivity } from './llm-reply/llm-reply.activity.js';

export { checkServiceHoursActivity, endActivity, httpRequestActivity, llmReplyActivity };
export { HANDOFF_TOOL } from './llm-reply/llm-reply.activity.js';

/** The Node-side halves of the built-in nodes. */
export const builtinActivities: readonly NodeActivity[] = [
  llmReplyActivity,
  httpRequestActivity,
  checkServiceHoursActivity,
  endActivity,
];
