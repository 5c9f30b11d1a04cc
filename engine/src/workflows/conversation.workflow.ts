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
  patched,
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
  type UserTurn,
} from '@baton/nodes';
import {
  advance,
  compileFlow,
  handoffDeadline,
  humansAnswer,
  initialState,
  type ActivityCall,
  type CompiledFlow,
  type ConversationState,
  type EngineEvent,
  type HandoffCommand,
  type HandoffProgress,
  type HandoffStart,
  type NodeFailure,
  type OutboundMessage,
  type Waiting,
} from '../interpreter/index.js';
import type { ConversationActivities, HandoffStart as GatewayAnswer, NodeActivityEnvelope } from '../activities/contracts.js';
import {
  agentMessageSignal,
  closeSignal,
  handBackSignal,
  inboundMessageSchema,
  leaveHumansSignal,
  MAX_USER_TEXT,
  requestHumanSignal,
  setUserSignal,
  snapshotQuery,
  takeoverSignal,
  userMessageSignal,
  userMessageUpdate,
  type InboundMessage,
} from './conversation.messages.js';
import type { ConversationInput, ConversationOutcome, ConversationStatus, Ownership, TurnReply } from './conversation.types.js';
import { customNodes } from './custom-nodes.js';

const registry = createRegistry([...builtinNodes, ...customNodes]);

/** Message ids remembered to ignore redeliveries, also across continue-as-new. */
const SEEN_IDS_LIMIT = 500;
/** A burst may keep growing for at most this many windows before the bot answers it. */
const MAX_BURST_WINDOWS = 4;
/**
 * Patch: when a step ends waiting for a node activity with nothing to say and no change of status
 * or assignee, the projection is written once, with the activity's result, instead of before and
 * after the call (one local activity less per LLM turn: see docs/benchmarks.md). Histories
 * recorded before it take the old path.
 */
const PUBLISH_WITH_ACTIVITY_RESULT = 'publish-with-activity-result';

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
 * One conversation, from its first message to its end, durably (workflow type
 * `conversationWorkflowV2`). A thin shell: the pure interpreter decides, including the handoff
 * state machine; this function waits, runs activities, and talks to the outside.
 */
export async function conversationWorkflowV2(input: ConversationInput): Promise<ConversationOutcome> {
  const carried = input.carried;
  const ref = input.conversation;
  let state: ConversationState = carried?.state ?? {
    ...initialState(ref, input.user, input.vars),
    // A reopened conversation keeps its transcript: new message ids must not repeat old ones.
    ...(input.reopenedBy?.messageSeq ? { messageSeq: input.reopenedBy.messageSeq } : {}),
  };
  /** A human who took the conversation outside any handoff (the inbox's "take over"). */
  let ownership: Ownership =
    carried?.ownership ?? (input.reopenedBy ? { kind: 'human', ...(input.reopenedBy.agentId ? { agentId: input.reopenedBy.agentId } : {}), viaHandoff: false } : { kind: 'bot' });
  let closeRequested = false;
  let resumeRequested = false;
  let humanRequested = false;
  /** User messages for the flow (or the handoff machine), not yet handled. */
  const inbox: InboundMessage[] = [...(carried?.inbox ?? [])];
  /** History-only events, in arrival order: what was said while a human has taken over. */
  const notes: EngineEvent[] = [];
  /** What the humans' side did (joined, left) and what the user did to them (left), in order. */
  const handoffEvents: EngineEvent[] = [];
  const seenIds: string[] = [...(carried?.seenIds ?? [])];
  const seen = new Set(seenIds);
  const waiters = new Map<string, TurnReply | undefined>();
  let turn: { ids: string[]; replies: OutboundMessage[] } | undefined;
  let published: { status?: ConversationStatus; nodeId?: string | undefined; assignee?: string | undefined } = {};
  /** A write was left for later (PUBLISH_WITH_ACTIVITY_RESULT): the next publish happens even if nothing else changed. */
  let publishOwed = false;
  let flow: CompiledFlow;

  const handoffProgress = (): HandoffProgress | undefined =>
    state.cursor?.waiting.for === 'handoff' ? state.cursor.waiting.progress : undefined;
  const status = (): ConversationStatus => {
    if (state.ended) return 'closed';
    if (ownership.kind === 'human') return 'agent';
    const phase = handoffProgress()?.phase;
    // A person who just took the conversation has it, even before the loop has caught up.
    if (phase === 'live' || (phase && handoffEvents.some((e) => e.type === 'human_joined'))) return 'agent';
    if (phase === 'requesting' || phase === 'queued' || phase === 'asking' || phase === 'leave_message') return 'queued';
    return 'bot';
  };
  const assignee = (): string | undefined => {
    if (ownership.kind === 'human') return ownership.agentId;
    const progress = handoffProgress();
    return progress?.phase === 'live' ? progress.agentId : undefined;
  };
  /** User messages now go to people, not to the bot (unless the people just left: the bot answers). */
  const humansHaveIt = (): boolean =>
    ownership.kind === 'human' ||
    (humansAnswer(handoffProgress()) && !handoffEvents.some((e) => e.type === 'human_left' || e.type === 'user_left'));

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
    if (ownership.kind === 'human' && !state.ended) noteForHumans([accepted]);
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
    if (state.cursor?.waiting.for === 'handoff') {
      handoffEvents.push({ type: 'human_joined', ...(agentId ? { agentId } : {}) });
      return;
    }
    ownership = { kind: 'human', ...(agentId ? { agentId } : {}), viaHandoff: false };
    // Messages the bot has not started answering are now for the human.
    noteForHumans(inbox.splice(0));
  });
  setHandler(agentMessageSignal, ({ text }) => {
    notes.push({ type: 'agent_message', text });
  });
  setHandler(handBackSignal, () => {
    if (ownership.kind === 'human') {
      ownership = { kind: 'bot' };
      resumeRequested = true;
    } else if (state.cursor?.waiting.for === 'handoff') {
      handoffEvents.push({ type: 'human_left' });
    }
  });
  setHandler(leaveHumansSignal, () => {
    if (state.cursor?.waiting.for === 'handoff') handoffEvents.push({ type: 'user_left' });
  });
  setHandler(requestHumanSignal, () => {
    humanRequested = true;
  });
  setHandler(setUserSignal, (user) => {
    notes.push({ type: 'user_info', user });
  });
  setHandler(closeSignal, () => {
    closeRequested = true;
  });
  setHandler(snapshotQuery, () => ({
    status: status(),
    ...(state.cursor ? { nodeId: state.cursor.nodeId, waitingFor: state.cursor.waiting.for } : {}),
    ...(handoffProgress() ? { handoff: handoffProgress()!.phase } : {}),
    vars: state.vars,
    ownership,
    ...(state.ended ? { ended: state.ended } : {}),
    flowVersion: ref.flowVersion,
  }));

  /** Records messages and the new status or position; nothing when nothing changed. */
  const publish = async (messages: OutboundMessage[], failures: NodeFailure[] = []): Promise<void> => {
    const next = { status: status(), nodeId: state.cursor?.nodeId, assignee: assignee() };
    const unchanged = next.status === published.status && next.nodeId === published.nodeId && next.assignee === published.assignee;
    if (messages.length === 0 && failures.length === 0 && unchanged && !publishOwed) return;
    await recordTurn({
      conversation: ref,
      messages,
      messageSeq: state.messageSeq,
      status: next.status,
      ...(next.assignee === undefined ? {} : { assignee: next.assignee }),
      ...(next.nodeId === undefined ? {} : { nodeId: next.nodeId }),
      vars: state.vars,
      failures,
    });
    published = next;
    publishOwed = false;
  };

  const tellHumans = async (commands: readonly HandoffCommand[]): Promise<void> => {
    for (const command of commands) {
      const context = { conversation: ref, target: command.target, session: command.session };
      try {
        if (command.kind === 'relay') await humans.relayToHumans({ ...context, messages: command.messages });
        else if (command.kind === 'close') await humans.closeHandoff({ ...context, reason: command.reason });
        else await humans.rerouteHandoff(context);
      } catch (error) {
        if (isCancellation(error)) throw error;
        // The desk did not take it even after retries: the conversation goes on regardless.
        log.warn('the humans could not be told', { command: command.kind, error: String(error) });
      }
    }
  };

  const apply = async (event: EngineEvent): Promise<void> => {
    const result = advance(flow, state, event, Date.now(), { handoffMachine: true });
    state = result.state;
    turn?.replies.push(...result.messages);
    for (const failure of result.failures) log.warn('node failed', { ...failure });
    const onlyMoved =
      result.messages.length === 0 &&
      result.failures.length === 0 &&
      state.cursor?.waiting.for === 'activity' &&
      status() === published.status &&
      assignee() === published.assignee;
    // Nothing the user or the inbox would see changed: where the flow stands is written with the
    // activity's result (the next publish), not before the call.
    if (onlyMoved && patched(PUBLISH_WITH_ACTIVITY_RESULT)) publishOwed = true;
    else await publish(result.messages, result.failures);
    await tellHumans(result.commands);
  };

  const absorbNotes = async (): Promise<void> => {
    for (const event of notes.splice(0)) await apply(event);
  };

  const finishTurn = (): void => {
    if (!turn) return;
    answerWaiters(turn.ids, {
      status: state.ended && turn.replies.length === 0 ? 'closed' : 'answered',
      replies: turn.replies.map(({ id, text, quickReplies }) => ({ id, text, ...(quickReplies ? { quickReplies } : {}) })),
      conversationStatus: status(),
    });
    turn = undefined;
  };

  const continueAsNewIfDue = async (): Promise<void> => {
    if (!shouldContinueAsNew(input)) return;
    await condition(allHandlersFinished);
    const idle =
      inbox.length === 0 && notes.length === 0 && handoffEvents.length === 0 && !closeRequested && !resumeRequested && !humanRequested && turn === undefined;
    if (!idle) return;
    await continueAsNew<typeof conversationWorkflowV2>({
      ...input,
      carried: { state, inbox, seenIds, ownership, runs: (carried?.runs ?? 1) + 1 },
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

  /** The handoff machine has the conversation: ask the humans, or wait for someone to act. */
  const runHandoff = async (waiting: Extract<Waiting, { for: 'handoff' }>, progress: HandoffProgress): Promise<void> => {
    if (progress.phase === 'requesting') {
      let answer: GatewayAnswer;
      try {
        answer = await humans.requestHandoff({
          conversation: ref,
          nodeId: state.cursor!.nodeId,
          request: waiting.request,
          history: lastRounds(state.history, waiting.request.historyRounds),
          user: isJsonObject(state.vars['user']) ? state.vars['user'] : {},
        });
      } catch (error) {
        if (isCancellation(error)) throw error;
        answer = { outcome: 'unavailable' };
      }
      return apply({ type: 'handoff_requested', result: normalized(answer) });
    }
    if (inbox.length > 0) {
      const batch = inbox.splice(0);
      if (humansAnswer(progress)) answerWaiters(batch.map((m) => m.id), relayed());
      else turn = { ids: batch.map((m) => m.id), replies: [] };
      return apply({ type: 'user_turn', turn: userTurn(batch) });
    }
    await continueAsNewIfDue();
    const unblocked = (): boolean =>
      inbox.length > 0 || notes.length > 0 || handoffEvents.length > 0 || closeRequested || ownership.kind !== 'bot';
    const deadline = handoffDeadline(progress);
    if (deadline === undefined) return void (await condition(unblocked));
    const remaining = deadline - Date.now();
    if (remaining <= 0 || !(await condition(unblocked, remaining))) await apply({ type: 'timeout' });
  };

  /** The bot waits for the user: their next turn, or the wait's deadline. */
  const awaitUser = async (waiting: { deadline?: number }): Promise<void> => {
    const interrupted = (): boolean =>
      ownership.kind !== 'bot' || closeRequested || resumeRequested || humanRequested || notes.length > 0 || handoffEvents.length > 0;
    if (inbox.length === 0) {
      await continueAsNewIfDue();
      const unblocked = (): boolean => inbox.length > 0 || interrupted();
      if (waiting.deadline === undefined) return void (await condition(unblocked));
      const remaining = waiting.deadline - Date.now();
      if (remaining <= 0 || !(await condition(unblocked, remaining))) await apply({ type: 'timeout' });
      return;
    }
    if (burstWindowMs > 0) {
      // Messages sent within the window of each other are one turn, however the burst grows, up
      // to a few windows in all.
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
  // A reopened conversation starts with the person who reopened it; the flow starts after them.
  let startPending = !carried && !state.ended;
  if (startPending && !input.reopenedBy) {
    startPending = false;
    await apply({ type: 'start' });
  }

  // ---- main loop: one turn at a time ----------------------------------------------------------
  for (;;) {
    await absorbNotes();
    if (resumeRequested) {
      resumeRequested = false;
      state = advance(flow, state, { type: 'resume' }, Date.now(), { handoffMachine: true }).state;
      await publish([]);
    }
    if (startPending && ownership.kind === 'bot') {
      startPending = false;
      await apply({ type: 'start' });
    }
    if (closeRequested && !state.ended) {
      ownership = { kind: 'bot' };
      await apply({ type: 'close' });
    }
    const waiting = state.cursor?.waiting;
    const progress = handoffProgress();
    // Work still to do before the bot blocks belongs to the current turn's answer: an activity,
    // asking the humans (the off-hours message, the status `queued`).
    const botStillWorking = ownership.kind === 'bot' && turn !== undefined && (waiting?.for === 'activity' || progress?.phase === 'requesting');
    if (!botStillWorking) finishTurn();
    if (state.ended || (!waiting && !startPending)) break;

    if (ownership.kind === 'human') {
      await publish([]);
      await continueAsNewIfDue();
      await condition(() => notes.length > 0 || ownership.kind !== 'human' || closeRequested);
    } else if (handoffEvents.length > 0) {
      await apply(handoffEvents.shift()!);
    } else if (humanRequested) {
      humanRequested = false;
      await apply({ type: 'request_human' });
    } else if (!waiting) {
      continue;
    } else if (waiting.for === 'activity') {
      await runNodeActivity(waiting.call, state.cursor!.nodeId);
    } else if (waiting.for === 'handoff') {
      if (progress) await runHandoff(waiting, progress);
      else await apply({ type: 'handoff_ended', outcome: 'unavailable' });
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

function normalized(answer: GatewayAnswer): HandoffStart {
  if (answer.outcome === 'queued') return { outcome: 'queued', session: answer.session ?? {}, ...(answer.leaveMessage ? { leaveMessage: true } : {}) };
  if (answer.outcome === 'live') return { outcome: 'live', session: answer.session ?? {}, ...(answer.agentId ? { agentId: answer.agentId } : {}) };
  return answer;
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
