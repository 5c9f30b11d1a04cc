import {
  ActivityCancellationType,
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { builtinSteps, nodeKey, type NodeStep, type RuntimeFlow } from '@baton/nodes/runtime';
import type { ConversationActivities, NodeActivityEnvelope } from '../activities/contracts.js';
import {
  initialConversation,
  prepareProgram,
  reduce,
  snapshotOf,
  wakeAt,
  type ActivityCall,
  type Conversation,
  type ConversationCommand,
  type ConversationEvent,
  type TurnReply,
} from '../interpreter/index.js';
import {
  agentMessageSignal,
  botSwitchSignal,
  closeSignal,
  handBackSignal,
  inboundMessageProblem,
  leaveHumansSignal,
  requestHumanSignal,
  setUserSignal,
  snapshotQuery,
  takeoverSignal,
  userMessageSignal,
  userMessageUpdate,
} from './conversation.messages.js';
import type { ConversationInput, ConversationOutcome } from './conversation.types.js';
import { customNodes } from './custom-nodes.js';

/** The steps this bundle can run: the built-in nodes' and those of node packages bundled in (`custom-nodes.ts`). */
const steps: ReadonlyMap<string, NodeStep> = new Map([
  ...builtinSteps,
  ...customNodes.map((node): [string, NodeStep] => [nodeKey(node.type, node.version), node.step as NodeStep]),
]);

const { loadFlow } = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 8 },
});
// The transcript is the product: keep trying until the database answers again.
const { recordTurn } = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});
// Desks rate-limit and fail; these retry with backoff (honouring the desk's Retry-After) and give
// up after a few minutes: a desk failure never stops the conversation.
const humans = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/**
 * One conversation, from its first message to its end, durably. A thin shell around the pure
 * conversation reducer (`engine/src/interpreter/conversation.ts`): handlers turn what arrives into
 * events, the loop reduces them one at a time and carries out the commands (activities, the
 * projection, answers to waiting callers, one timer, continue-as-new). No rule lives here.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationOutcome> {
  const ref = input.conversation;
  const events: ConversationEvent[] = [];
  /** Answers for callers of `userMessageAndWait`, by message id. */
  const answers = new Map<string, TurnReply>();
  let state: Conversation =
    input.carried ??
    initialConversation({
      conversation: ref,
      ...(input.user ? { user: input.user } : {}),
      ...(input.vars ? { vars: input.vars } : {}),
      ...(input.options?.burstWindowMs === undefined ? {} : { burstWindowMs: input.options.burstWindowMs }),
      ...(input.reopenedBy?.messageSeq ? { messageSeq: input.reopenedBy.messageSeq } : {}),
    });

  setHandler(userMessageSignal, (message) => {
    if (inboundMessageProblem(message) === undefined) events.push({ type: 'user_messages', messages: [message] });
  });
  setHandler(
    userMessageUpdate,
    async (message): Promise<TurnReply> => {
      if (state.flow.ended) return { status: 'closed', replies: [], conversationStatus: 'closed' };
      events.push({ type: 'user_messages', messages: [message], awaited: true });
      await condition(() => answers.has(message.id));
      const reply = answers.get(message.id)!;
      answers.delete(message.id);
      return reply;
    },
    {
      validator: (message) => {
        const problem = inboundMessageProblem(message);
        if (problem) throw new Error(problem);
      },
    },
  );
  setHandler(takeoverSignal, ({ agentId }) => void events.push({ type: 'takeover', ...(agentId ? { agentId } : {}) }));
  setHandler(agentMessageSignal, ({ text, agentId }) => void events.push({ type: 'agent_message', text, ...(agentId ? { agentId } : {}) }));
  setHandler(handBackSignal, () => void events.push({ type: 'hand_back' }));
  setHandler(leaveHumansSignal, () => void events.push({ type: 'user_left' }));
  setHandler(requestHumanSignal, () => void events.push({ type: 'request_human' }));
  setHandler(setUserSignal, (user) => void events.push({ type: 'set_user', user }));
  setHandler(closeSignal, () => void events.push({ type: 'close' }));
  setHandler(botSwitchSignal, ({ on, notice }) => void events.push({ type: 'bot_switched', on, notice }));
  setHandler(snapshotQuery, () => snapshotOf(state));

  let flow: RuntimeFlow | undefined;
  try {
    flow = await loadFlow({ botId: ref.botId, version: ref.flowVersion });
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.error('flow could not be loaded', { botId: ref.botId, version: ref.flowVersion, error: String(error) });
  }
  const program = prepareProgram(flow ?? { settings: { fallbackMessage: '', onError: 'end', burstWindowMs: 0 }, nodes: [] }, steps);
  // Before anything that arrived while the flow loaded.
  if (!input.carried) events.unshift(flow ? { type: 'open', ...(input.reopenedBy ? { reopenedBy: input.reopenedBy } : {}) } : { type: 'flow_unavailable' });

  // Work whose order matters runs in chains: projection writes (and the answers that follow them),
  // and what the humans' side is told.
  let writes: Promise<void> = Promise.resolve();
  let humansTold: Promise<void> = Promise.resolve();
  const calls = new Map<number, CancellationScope>();
  let outcome: { ended: ConversationOutcome['ended'] } | { continueAsNew: Conversation } | undefined;

  const execute = (command: ConversationCommand): void => {
    switch (command.kind) {
      case 'call_node': {
        const scope = new CancellationScope();
        calls.set(command.seq, scope);
        const envelope: NodeActivityEnvelope = { conversation: ref, nodeId: command.nodeId, input: command.call.input };
        void scope
          .run(() => callNode(command.call, envelope))
          .then(
            (result) => events.push(result.ok ? { type: 'node_result', seq: command.seq, result: result.value } : { type: 'node_failed', seq: command.seq, ...result.failure }),
            // Cancelled: the conversation moved on (a person took over, it closed); nobody waits for it.
            () => undefined,
          )
          .finally(() => calls.delete(command.seq));
        return;
      }
      case 'cancel_node':
        calls.get(command.seq)?.cancel();
        return;
      case 'request_handoff': {
        const { seq, kind: _kind, ...request } = command;
        // A desk that cannot be reached after the retries is unavailable: the node's exit says so.
        void humans.requestHandoff({ conversation: ref, ...request }).then(
          (answer) => void events.push({ type: 'handoff_answer', seq, answer }),
          (error: unknown) => void (isCancellation(error) || events.push({ type: 'handoff_answer', seq, answer: { outcome: 'unavailable' } })),
        );
        return;
      }
      case 'tell_humans': {
        const { kind, target, session, ...rest } = command.command;
        const context = { conversation: ref, target, session };
        humansTold = humansTold.then(async () => {
          try {
            if (kind === 'relay' && 'messages' in rest) await humans.relayToHumans({ ...context, messages: rest.messages });
            else if (kind === 'close' && 'reason' in rest) await humans.closeHandoff({ ...context, reason: rest.reason });
            else await humans.rerouteHandoff(context);
          } catch (error) {
            if (isCancellation(error)) throw error;
            // The desk did not take it even after retries: the conversation goes on regardless.
            log.warn('the humans could not be told', { command: kind, error: String(error) });
          }
        });
        return;
      }
      case 'publish':
        for (const failure of command.record.failures) log.warn('node failed', { ...failure });
        writes = writes.then(() => recordTurn({ conversation: ref, ...command.record }));
        return;
      case 'answer':
        writes = writes.then(() => {
          for (const id of command.ids) answers.set(id, command.reply);
        });
        return;
      case 'continue_as_new':
        outcome = { continueAsNew: command.state };
        return;
      case 'finish':
        outcome = { ended: command.ended };
        return;
    }
  };

  /**
   * One durable timer. It is moved only when the conversation must wake up sooner than it is set
   * for; a timer set for later than needed, or no longer needed, is left to fire (the reducer finds
   * nothing due and the timer is set again). A wait pushed back by every message thus costs no
   * timer commands per message, only an occasional early wake-up.
   */
  let timer: { at: number; scope: CancellationScope; fired: boolean } | undefined;
  const arm = (at: number | undefined): void => {
    if (timer && !timer.fired && (at === undefined || at >= timer.at)) return;
    if (at === undefined) return;
    timer?.scope.cancel();
    const armed = { at, scope: new CancellationScope(), fired: false };
    void armed.scope.run(() => sleep(Math.max(1, at - Date.now()))).then(
      () => void (armed.fired = true),
      () => undefined,
    );
    timer = armed;
  };

  let historyLongSent = false;
  for (;;) {
    while (events.length > 0) {
      const reduction = reduce(program, state, events.shift()!, Date.now());
      state = reduction.state;
      for (const command of reduction.commands) execute(command);
    }
    if (outcome && 'continueAsNew' in outcome) {
      // Every handler must have finished, and nothing arrived meanwhile, before the state moves on.
      await writes;
      await humansTold;
      await condition(allHandlersFinished);
      if (events.length === 0) {
        timer?.scope.cancel();
        return continueAsNew<typeof conversationWorkflow>({ ...input, carried: outcome.continueAsNew });
      }
      outcome = undefined;
      continue;
    }
    if (outcome) break;
    if (!historyLongSent && historyIsLong(input)) {
      historyLongSent = true;
      events.push({ type: 'history_long' });
      continue;
    }
    arm(wakeAt(state));
    await condition(() => events.length > 0 || timer?.fired === true);
    if (timer?.fired) {
      timer = undefined;
      events.push({ type: 'timer' });
    }
  }

  timer?.scope.cancel();
  for (const scope of calls.values()) scope.cancel();
  await writes;
  await humansTold;
  // Every caller waiting for an answer got one ("closed" at the latest); later ones are answered by the handler itself.
  await condition(allHandlersFinished);
  return { ended: outcome.ended, runs: state.runs };
}

function historyIsLong(input: ConversationInput): boolean {
  const info = workflowInfo();
  const limit = input.options?.maxHistoryEvents;
  return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
}

type CallResult = { ok: true; value: unknown } | { ok: false; failure: { code: string; message: string } };

async function callNode(call: ActivityCall, envelope: NodeActivityEnvelope): Promise<CallResult> {
  type NodeActivities = Record<string, (envelope: NodeActivityEnvelope) => Promise<unknown>>;
  const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: call.maxAttempts };
  const activities = call.local
    ? proxyLocalActivities<NodeActivities>({ startToCloseTimeout: call.timeoutSeconds * 1000, retry, cancellationType: ActivityCancellationType.TRY_CANCEL })
    : proxyActivities<NodeActivities>({
        startToCloseTimeout: call.timeoutSeconds * 1000,
        ...(call.heartbeatSeconds === undefined ? {} : { heartbeatTimeout: call.heartbeatSeconds * 1000 }),
        retry,
        cancellationType: ActivityCancellationType.TRY_CANCEL,
      });
  try {
    return { ok: true, value: await activities[call.activity]!(envelope) };
  } catch (error) {
    if (isCancellation(error)) throw error;
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const code = cause instanceof ApplicationFailure ? (cause.type ?? 'activity_failed') : 'activity_failed';
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, failure: { code, message } };
  }
}
