import type { AnyNodeDefinition } from '../sdk/define-node.js';
import { assignToUserNode } from './assign-to-user/assign-to-user.node.js';
import { checkServiceHoursNode } from './check-service-hours/check-service-hours.node.js';
import { collectEmailNode } from './collect-email/collect-email.node.js';
import { conditionNode } from './condition/condition.node.js';
import { endNode } from './end/end.node.js';
import { escalateNode } from './escalate/escalate.node.js';
import { httpRequestNode } from './http-request/http-request.node.js';
import { llmReplyNode } from './llm-reply/llm-reply.node.js';
import { sendMessageNode } from './send-message/send-message.node.js';
import { setVariableNode } from './set-variable/set-variable.node.js';
import { startNode } from './start/start.node.js';
import { waitForReplyNode } from './wait-for-reply/wait-for-reply.node.js';

export {
  assignToUserNode,
  checkServiceHoursNode,
  collectEmailNode,
  conditionNode,
  endNode,
  escalateNode,
  httpRequestNode,
  llmReplyNode,
  sendMessageNode,
  setVariableNode,
  startNode,
  waitForReplyNode,
};
export { lastRounds } from './llm-reply/llm-reply.step.js';

/** Every built-in node definition, in palette order. */
export const builtinNodes: readonly AnyNodeDefinition[] = [
  startNode,
  sendMessageNode,
  waitForReplyNode,
  collectEmailNode,
  llmReplyNode,
  conditionNode,
  setVariableNode,
  checkServiceHoursNode,
  httpRequestNode,
  assignToUserNode,
  escalateNode,
  endNode,
];
