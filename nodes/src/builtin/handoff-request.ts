import type { HandoffRequest } from '../sdk/step.js';
import type { JsonObject } from '../json.js';

/** The handoff fields both handoff nodes share (see `handoff-fields.ts`), as parsed. */
export interface HandoffFieldValues {
  waitTimeoutSeconds: number;
  sessionTimeoutSeconds: number;
  historyRounds: number;
  requireEmail: boolean;
  texts: HandoffRequest['texts'];
}

/** The request a handoff node makes: where the humans are, plus the shared timing and wording. */
export function handoffRequest(target: JsonObject, fields: HandoffFieldValues): HandoffRequest {
  return {
    target,
    waitTimeoutSeconds: fields.waitTimeoutSeconds,
    sessionTimeoutSeconds: fields.sessionTimeoutSeconds,
    historyRounds: fields.historyRounds,
    requireEmail: fields.requireEmail,
    ...(fields.texts === undefined ? {} : { texts: fields.texts }),
  };
}
