// The built-in nodes' `step` functions by `type@version`, without their declarations: what the
// workflow sandbox needs to run them (see nodes/src/runtime.ts). A test checks that this table
// and `builtinNodes` agree.
import type { NodeStep } from '../sdk/step.js';
import { assignToUserStep } from './assign-to-user/assign-to-user.step.js';
import { checkServiceHoursStep } from './check-service-hours/check-service-hours.step.js';
import { collectEmailStep } from './collect-email/collect-email.step.js';
import { conditionStep } from './condition/condition.step.js';
import { endStep } from './end/end.step.js';
import { escalateStep } from './escalate/escalate.step.js';
import { httpRequestStep } from './http-request/http-request.step.js';
import { llmReplyStep } from './llm-reply/llm-reply.step.js';
import { sendMessageStep } from './send-message/send-message.step.js';
import { setVariableStep } from './set-variable/set-variable.step.js';
import { startStep } from './start/start.step.js';
import { waitForReplyStep } from './wait-for-reply/wait-for-reply.step.js';

// Each step is typed by its own config; the table holds them side by side (the engine passes
// each the config its node was compiled with).
const step = (fn: (ctx: never) => unknown): NodeStep => fn as NodeStep;

export const builtinSteps: ReadonlyMap<string, NodeStep> = new Map([
  ['start@1', step(startStep)],
  ['send_message@1', step(sendMessageStep)],
  ['wait_for_reply@1', step(waitForReplyStep)],
  ['collect_email@1', step(collectEmailStep)],
  ['llm_reply@1', step(llmReplyStep)],
  ['condition@1', step(conditionStep)],
  ['set_variable@1', step(setVariableStep)],
  ['check_service_hours@1', step(checkServiceHoursStep)],
  ['http_request@1', step(httpRequestStep)],
  ['assign_to_user@1', step(assignToUserStep)],
  ['escalate@1', step(escalateStep)],
  ['end@1', step(endStep)],
]);
