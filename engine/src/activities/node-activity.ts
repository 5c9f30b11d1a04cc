import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { nodeKey, NodeError, type ActivityContext } from '@baton/nodes';
import type { NodeActivity } from '@baton/nodes/activities';
import type { NodeActivityEnvelope } from './contracts.js';
import type { EngineDeps } from './deps.js';

export function nodeActivityName(activity: NodeActivity): string {
  return `node:${nodeKey(activity.definition.type, activity.definition.version)}`;
}

/**
 * Turns a node's activity half into a Temporal activity: input and result checked against the
 * declaration, heartbeats for long calls, and errors mapped to retryable or final failures.
 */
export function wrapNodeActivity(activity: NodeActivity, deps: EngineDeps) {
  const definition = activity.definition;
  const spec = definition.activity!;
  const key = nodeKey(definition.type, definition.version);

  return async function runNodeActivity(envelope: NodeActivityEnvelope): Promise<unknown> {
    const context = Context.current();
    const input = spec.input.safeParse(envelope.input);
    if (!input.success) {
      throw ApplicationFailure.nonRetryable(`${key}: invalid input: ${input.error.message}`, 'invalid_activity_input');
    }
    // A local activity (a short call, run inside its workflow task) has no heartbeat: a crashed
    // worker is noticed by the workflow task's own timeout.
    const heartbeat =
      spec.heartbeatSeconds && !context.info.isLocal ? setInterval(() => context.heartbeat(), Math.max(1000, (spec.heartbeatSeconds * 1000) / 3)) : undefined;
    const activityContext: ActivityContext = {
      conversation: envelope.conversation,
      nodeId: envelope.nodeId,
      attempt: context.info.attempt,
      signal: context.cancellationSignal,
      llm: deps.llm,
      http: deps.http,
      bot: { serviceHours: () => deps.bots.serviceHours(envelope.conversation.botId) },
      secrets: { get: async (name) => deps.secrets?.get(envelope.conversation.botId, name) },
      log: {
        info: (message, fields) => context.log.info(message, { node: key, ...fields }),
        warn: (message, fields) => context.log.warn(message, { node: key, ...fields }),
      },
    };
    let result: unknown;
    try {
      result = await activity.run(input.data, activityContext);
    } catch (error) {
      throw toFailure(error, key);
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
    const parsed = spec.result.safeParse(result);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`${key}: the activity returned an invalid result: ${parsed.error.message}`, 'invalid_activity_result');
    }
    return parsed.data;
  };
}

function isNodeError(error: unknown): error is NodeError {
  // Duck-typed: a custom node package may bring its own copy of @baton/nodes.
  return error instanceof NodeError || (error instanceof Error && error.name === 'NodeError' && 'code' in error && 'retryable' in error);
}

/** Maps what an activity threw to what Temporal understands: `NodeError`s keep their retryability and wait. */
export function toFailure(error: unknown, key: string): Error {
  if (error instanceof ApplicationFailure) return error;
  if (isNodeError(error)) {
    return ApplicationFailure.create({
      type: error.code,
      message: error.message,
      nonRetryable: !error.retryable,
      ...(error.retryAfterMs ? { nextRetryDelay: error.retryAfterMs } : {}),
    });
  }
  if (error instanceof Error) return error;
  // Whatever a node throws, the conversation gets a readable, retryable failure.
  return ApplicationFailure.retryable(`${key} threw a non-error value: ${String(error).slice(0, 200)}`, 'node_threw');
}
