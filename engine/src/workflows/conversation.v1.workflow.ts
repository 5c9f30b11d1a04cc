import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  builtinNodes,
  createRegistry,
  DEFAULT_FALLBACK_MESSAGE,
  emptyFlow,
  isJsonObject,
  lastRounds,
  type HandoffRequest,
  type UserTurn,
} from '@baton/nodes';
import {
  advance,
  compileFlow,
  initialState,
  type ActivityCall,
  type CompiledFlow,
  type ConversationState,
  type EngineEvent,
  type NodeFailure,
  type OutboundMessage,
} from '../interpreter/index.js';
import type { ConversationActivities, HandoffStart, NodeActivityEnvelope } from '../activities/contracts.js';
import {
  agentMessageSignal,
  closeSignal,
  handBackSignal,
  inboundMessageSchema,
  MAX_USER_TEXT,
  snapshotQuery,
  takeoverSignal,
  userMessageSignal,
  userMessageUpdate,
  type InboundMessage,
} from './conversation.messages.js';
import type {
  ConversationInput,
  ConversationOutcome,
  ConversationStatus,
  Ownership,
  TurnReply,
} from './conversation.types.js';

const registry = createRegistry(builtinNodes);

/** Message ids remembered to ignore redeliveries, also across continue-as-new. */
const SEEN_IDS_LIMIT = 500;

const { loadFlow } = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 8 },
});
// The transcript is the product: keep trying until the database answers again.
const { recordTurn } = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds' },
});
const { requestHandoff } = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});

/** A burst may keep growing for at most this many windows before the bot answers it. */
const MAX_BURST_WINDOWS = 4;

/**
 * FROZEN: the workflow of conversations started before the handoff state machine (type
 * `conversationWorkflow`). Running conversations of this type replay this code; do not change
 * what it does (test/replay/histories/v1 guards it). New conversations run
 * `conversationWorkflowV2` (./conversation.workflow.ts). Delete this file once no run of this type
 * is left.
 *
 * One conversation, from its first message to its end, durably. A thin shell: the pure
 * interpreter decides; this function waits, runs activities, and talks to the outside.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationOutcome> {
  const carried = input.carried;
  const ref = input.conversation;
  let state: ConversationState = carried?.state ?? initialState(ref, input.user, input.vars);
  let ownership: Ownership = carried?.ownership ?? { kind: 'bot' };
  let pendingOutcome = carried?.pendingOutcome;
  let closeRequested = false;
  let resumeRequested = false;
  /** User messages for the bot, not yet answered. */
  const inbox: InboundMessage[] = [...(carried?.inbox ?? [])];
  /** What the user and the humans said while humans have the conversation, in arrival order: history only. */
  const notes: EngineEvent[] = [];
  const seenIds: string[] = [...(carried?.seenIds ?? [])];
  const seen = new Set(seenIds);
  /** Update callers waiting for the answer to their message: message id → the answer, once known. */
  const waiters = new Map<string, TurnReply | undefined>();
  let turn: { ids: string[]; replies: OutboundMessage[] } | undefined;
  let published: { status?: ConversationStatus; nodeId?: string | undefined } = {};
  let flow: CompiledFlow;

  const status = (): ConversationStatus => {
    if (state.ended) return 'closed';
    if (ownership.kind === 'human') return 'agent';
    if (ownership.kind === 'queued') return 'queued';
    return 'bot';
  };
  const humansHaveIt = (): boolean => ownership.kind !== 'bot' || state.cursor?.waiting.for === 'handoff';

  const answerWaiters = (ids: readonly string[], reply: TurnReply): void => {
    for (const id of ids) if (waiters.has(id) && waiters.get(id) === undefined) waiters.set(id, reply);
  };
  const relayed = (): TurnReply => ({ status: 'relayed', replies: [], conversationStatus: status() });
  const noteForHumans = (messages: InboundMessage[]): void => {
    if (messages.length === 0) return;
    notes.push({ type: 'user_note', turn: userTurn(messages) });
    answerWaiters(messages.map((m) => m.id), relayed());
  };

  const accept = (message: InboundMessage): boolean => {
    if (seen.has(message.id)) return false;
    seen.add(message.id);
    seenIds.push(message.id);
    if (seenIds.length > SEEN_IDS_LIMIT) seen.delete(seenIds.shift()!);
    const accepted = { ...message, text: message.text.slice(0, MAX_USER_TEXT) };
    if (humansHaveIt() && !state.ended) noteForHumans([accepted]);
    else inbox.push(accepted);
    return true;
  };

  // Handlers only record what arrived; the main loop below does the work, one turn at a time.
  setHandler(userMessageSignal, (message) => {
    if (inboundMessageSchema.safeParse(message).success) accept(message);
  });
  setHandler(
    userMessageUpdate,
    async (message): Promise<TurnReply> => {
      if (state.ended) return { status: 'closed', replies: [], conversationStatus: 'closed' };
      if (!accept(message)) return { status: 'duplicate', replies: [], conversationStatus: status() };
      if (humansHaveIt()) return relayed();
      waiters.set(message.id, undefined);
      await condition(() => waiters.get(message.id) !== undefined);
      const reply = waiters.get(message.id)!;
      waiters.delete(message.id);
      return reply;
    },
    { validator: (message) => void inboundMessageSchema.parse(message) },
  );
  setHandler(takeoverSignal, ({ agentId }) => {
    if (state.ended) return;
    // Taking a queued conversation, or one whose handoff is being requested, answers that handoff.
    const viaHandoff =
      ownership.kind === 'queued' || state.cursor?.waiting.for === 'handoff' || (ownership.kind === 'human' && ownership.viaHandoff);
    ownership = { kind: 'human', ...(agentId ? { agentId } : {}), viaHandoff };
    // Messages the bot has not started answering are now for the humans.
    noteForHumans(inbox.splice(0));
  });
  setHandler(agentMessageSignal, ({ text }) => {
    notes.push({ type: 'agent_message', text });
  });
  setHandler(handBackSignal, () => {
    if (ownership.kind !== 'human') return;
    if (ownership.viaHandoff) pendingOutcome = 'resolved';
    else resumeRequested = true;
    ownership = { kind: 'bot' };
  });
  setHandler(closeSignal, () => {
    closeRequested = true;
  });
  setHandler(snapshotQuery, () => ({
    status: status(),
    ...(state.cursor ? { nodeId: state.cursor.nodeId, waitingFor: state.cursor.waiting.for } : {}),
    vars: state.vars,
    ownership,
    ...(state.ended ? { ended: state.ended } : {}),
    flowVersion: ref.flowVersion,
  }));

  /** Records messages and the new status or position; nothing when nothing changed. */
  const publish = async (messages: OutboundMessage[], failures: NodeFailure[] = []): Promise<void> => {
    const next = { status: status(), nodeId: state.cursor?.nodeId };
    if (messages.length === 0 && failures.length === 0 && next.status === published.status && next.nodeId === published.nodeId) return;
    await recordTurn({
      conversation: ref,
      messages,
      messageSeq: state.messageSeq,
      status: next.status,
      ...(next.nodeId === undefined ? {} : { nodeId: next.nodeId }),
      vars: state.vars,
      failures,
    });
    published = next;
  };

  const apply = async (event: EngineEvent): Promise<void> => {
    const result = advance(flow, state, event, Date.now());
    state = result.state;
    turn?.replies.push(...result.messages);
    for (const failure of result.failures) log.warn('node failed', { ...failure });
    await publish(result.messages, result.failures);
  };

  /** History-only events (what was said while humans have the conversation), in arrival order. */
  const absorbNotes = (): void => {
    for (const event of notes.splice(0)) state = advance(flow, state, event, Date.now()).state;
  };

  /** The answer to a turn is complete once the bot waits for the user or for humans. */
  const finishTurn = (): void => {
    if (!turn) return;
    answerWaiters(turn.ids, {
      status: state.ended && turn.replies.length === 0 ? 'closed' : 'answered',
      replies: turn.replies.map(({ id, text }) => ({ id, text })),
      conversationStatus: status(),
    });
    turn = undefined;
  };

  /** At an idle point, when Temporal suggests it: a fresh run carrying everything that matters. */
  const continueAsNewIfDue = async (): Promise<void> => {
    if (!shouldContinueAsNew(input)) return;
    await condition(allHandlersFinished);
    const idle = inbox.length === 0 && notes.length === 0 && !closeRequested && !resumeRequested && turn === undefined;
    if (!idle) return;
    await continueAsNew<typeof conversationWorkflow>({
      ...input,
      carried: { state, inbox, seenIds, ownership, ...(pendingOutcome ? { pendingOutcome } : {}), runs: (carried?.runs ?? 1) + 1 },
    });
  };

  const runNodeActivity = async (call: ActivityCall, nodeId: string): Promise<void> => {
    const envelope: NodeActivityEnvelope = { conversation: ref, nodeId, input: call.input };
    const activityScope = new CancellationScope();
    const watchScope = new CancellationScope();
    const result = activityScope.run(() => callNode(call, envelope));
    const interrupted = watchScope
      .run(() => condition(() => ownership.kind !== 'bot' || closeRequested))
      .then(() => 'interrupted' as const);
    const winner = await Promise.race([result, interrupted.catch(() => 'watch_cancelled' as const)]);
    if (winner === 'interrupted' || winner === 'watch_cancelled') {
      // A human took over or the conversation closed mid-call: the bot must not answer. The node
      // runs again if the bot gets the conversation back.
      activityScope.cancel();
      await result.catch(() => undefined);
      return;
    }
    watchScope.cancel();
    await apply(winner);
  };

  const runHandoff = async (request: HandoffRequest, nodeId: string): Promise<void> => {
    let started: HandoffStart;
    try {
      started = await requestHandoff({
        conversation: ref,
        nodeId,
        request,
        history: lastRounds(state.history, request.historyRounds),
        user: isJsonObject(state.vars['user']) ? state.vars['user'] : {},
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      started = { outcome: 'unavailable' };
    }
    // A human may have taken the conversation while the request was on its way: it is theirs.
    if (ownership.kind !== 'bot') return;
    // Gateways that know the handoff machine may answer `live`: for this workflow it is `queued`.
    if (started.outcome !== 'queued' && started.outcome !== 'live') return apply({ type: 'handoff_ended', outcome: started.outcome });
    ownership = { kind: 'queued', deadline: Date.now() + request.waitTimeoutSeconds * 1000 };
    await publish([]);
  };

  /** The bot waits for the user: their next turn, or the wait's deadline. */
  const awaitUser = async (waiting: { deadline?: number }): Promise<void> => {
    const interrupted = (): boolean => ownership.kind !== 'bot' || closeRequested || resumeRequested || notes.length > 0;
    if (inbox.length === 0) {
      await continueAsNewIfDue();
      const unblocked = (): boolean => inbox.length > 0 || interrupted();
      if (waiting.deadline === undefined) return void (await condition(unblocked));
      const remaining = waiting.deadline - Date.now();
      if (remaining <= 0 || !(await condition(unblocked, remaining))) await apply({ type: 'timeout' });
      return;
    }
    if (burstWindowMs > 0) {
      // Messages sent within the window of each other ("hi" / "I have a question" / "about my
      // order") are one turn, however the burst grows, up to a few windows in all.
      const burstStarted = Date.now();
      let count = inbox.length;
      while ((await condition(() => inbox.length > count || interrupted(), burstWindowMs)) && !interrupted()) {
        count = inbox.length;
        if (Date.now() - burstStarted >= MAX_BURST_WINDOWS * burstWindowMs) break;
      }
      if (interrupted()) return;
    }
    const batch = inbox.splice(0);
    turn = { ids: batch.map((m) => m.id), replies: [] };
    await apply({ type: 'user_turn', turn: userTurn(batch) });
  };

  // ---- start -------------------------------------------------------------------------------
  try {
    flow = compileFlow(await loadFlow({ botId: ref.botId, version: ref.flowVersion }), registry);
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.error('flow could not be loaded', { botId: ref.botId, version: ref.flowVersion, error: String(error) });
    flow = compileFlow(emptyFlow(), registry);
    state = { ...state, cursor: null, ended: 'failed' };
    await publish([{ id: `${ref.id}-b${state.messageSeq + 1}`, role: 'bot', text: DEFAULT_FALLBACK_MESSAGE, nodeId: '' }]);
  }
  const burstWindowMs = input.options?.burstWindowMs ?? flow.settings.burstWindowMs;
  if (!carried && !state.ended) await apply({ type: 'start' });

  // ---- main loop: one turn at a time ----------------------------------------------------------
  for (;;) {
    absorbNotes();
    if (resumeRequested) {
      resumeRequested = false;
      state = advance(flow, state, { type: 'resume' }, Date.now()).state;
      await publish([]);
    }
    if (closeRequested && !state.ended) {
      ownership = { kind: 'bot' };
      await apply({ type: 'close' });
    }
    const waiting = state.cursor?.waiting;
    // An activity or a handoff request still to make belongs to the current turn's answer (the
    // off-hours message, the status `queued`).
    const botStillWorking = ownership.kind === 'bot' && turn !== undefined && (waiting?.for === 'activity' || waiting?.for === 'handoff');
    if (!botStillWorking) finishTurn();
    if (state.ended || !waiting) break;

    if (ownership.kind === 'human') {
      await publish([]);
      await continueAsNewIfDue();
      await condition(() => notes.length > 0 || ownership.kind !== 'human' || closeRequested);
    } else if (ownership.kind === 'queued') {
      await continueAsNewIfDue();
      const remaining = ownership.deadline - Date.now();
      const moved = remaining > 0 && (await condition(() => notes.length > 0 || ownership.kind !== 'queued' || closeRequested, remaining));
      if (!moved && ownership.kind === 'queued') {
        ownership = { kind: 'bot' };
        pendingOutcome = 'no_agent';
      }
    } else if (pendingOutcome) {
      const outcome = pendingOutcome;
      pendingOutcome = undefined;
      await apply({ type: 'handoff_ended', outcome });
    } else if (waiting.for === 'activity') {
      await runNodeActivity(waiting.call, state.cursor!.nodeId);
    } else if (waiting.for === 'handoff') {
      await runHandoff(waiting.request, state.cursor!.nodeId);
    } else {
      await awaitUser(waiting);
    }
  }

  finishTurn();
  for (const id of waiters.keys()) answerWaiters([id], { status: 'closed', replies: [], conversationStatus: 'closed' });
  await publish([]);
  await condition(allHandlersFinished);
  return { ended: state.ended ?? 'completed', runs: carried?.runs ?? 1 };
}

function userTurn(batch: readonly InboundMessage[]): UserTurn {
  return {
    messageIds: batch.map((m) => m.id),
    text: batch.map((m) => m.text).join('\n'),
    receivedAt: batch.at(-1)?.sentAt ?? new Date(Date.now()).toISOString(),
  };
}

function shouldContinueAsNew(input: ConversationInput): boolean {
  const info = workflowInfo();
  const limit = input.options?.maxHistoryEvents;
  return info.continueAsNewSuggested || (limit !== undefined && info.historyLength >= limit);
}

async function callNode(call: ActivityCall, envelope: NodeActivityEnvelope): Promise<EngineEvent> {
  const activities = proxyActivities<Record<string, (envelope: NodeActivityEnvelope) => Promise<unknown>>>({
    startToCloseTimeout: call.timeoutSeconds * 1000,
    ...(call.heartbeatSeconds === undefined ? {} : { heartbeatTimeout: call.heartbeatSeconds * 1000 }),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: call.maxAttempts },
    cancellationType: ActivityCancellationType.TRY_CANCEL,
  });
  try {
    return { type: 'activity_result', result: await activities[call.activity]!(envelope) };
  } catch (error) {
    if (isCancellation(error)) throw error;
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const code = cause instanceof ApplicationFailure ? (cause.type ?? 'activity_failed') : 'activity_failed';
    const message = cause instanceof Error ? cause.message : String(cause);
    return { type: 'activity_failed', code, message };
  }
}
