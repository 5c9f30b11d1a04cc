import {
  DEFAULT_FALLBACK_MESSAGE,
  isJsonObject,
  lastRounds,
  type HandoffRequest,
  type HistoryEntry,
  type JsonObject,
  type UserTurn,
} from '@baton/nodes/runtime';
import { advance } from './advance.js';
import {
  botMessageId,
  initialFlowState,
  type ActivityCall,
  type ConversationRef,
  type EndReason,
  type EngineEvent,
  type FlowState,
  type InitialUser,
  type NodeFailure,
  type OutboundMessage,
} from './conversation-state.js';
import { handoffDeadline, humansAnswer, type HandoffCommand, type HandoffProgress, type HandoffStart } from './handoff.js';
import type { Program } from './program.js';

// The conversation reducer: everything a conversation does between two events, as a pure
// function `reduce(program, state, event, now) → { state, commands }`. The workflow
// (`engine/src/workflows/conversation.workflow.ts`) is a thin shell that turns signals and updates
// into events and carries out the commands. The flow itself is `advance`'s; this adds who owns the
// conversation, the user's messages waiting for the bot (bursts, dedupe), what is in flight, when
// to wake up, what to publish and whom to answer.

/** Longer user messages are cut, so nothing a user types can grow the conversation's state unbounded. */
export const MAX_USER_TEXT = 4000;
/** Message ids remembered to ignore redeliveries, also across continue-as-new. */
export const SEEN_IDS_LIMIT = 500;
/** A burst may keep growing for at most this many windows before the bot answers it. */
export const MAX_BURST_WINDOWS = 4;

/** A user message as a channel delivers it. */
export interface InboundMessage {
  /** The channel's message id; an id seen before is ignored. */
  id: string;
  text: string;
  /** ISO time the user sent it, when the channel says. */
  sentAt?: string;
}

/** The status the product shows: who has the conversation. */
export type ConversationStatus = 'bot' | 'queued' | 'agent' | 'closed';

/** Who owns the conversation outside any handoff node: the bot, or a person who took it over in the inbox. */
export type Owner = { kind: 'bot' } | { kind: 'human'; agentId?: string };

export interface ReplyMessage {
  id: string;
  text: string;
  quickReplies?: string[];
}

/** The answer to a user message whose sender waits for it (`userMessageAndWait`). */
export interface TurnReply {
  /**
   * `answered`: the bot answered this turn. `relayed`: humans have the conversation, they got it.
   * `duplicate`: this message id was seen before. `closed`: the conversation is over.
   */
  status: 'answered' | 'relayed' | 'duplicate' | 'closed';
  replies: ReplyMessage[];
  conversationStatus: ConversationStatus;
}

/** The humans' answer to a handoff request, as the gateway gives it. */
export type GatewayAnswer =
  | { outcome: 'queued'; session?: JsonObject; leaveMessage?: boolean }
  | { outcome: 'live'; session?: JsonObject; agentId?: string }
  | { outcome: 'unavailable' | 'off_hours' | 'no_agent' };

/** What is in flight: its result comes back as an event carrying the same `seq`. */
type Running = { kind: 'node'; seq: number } | { kind: 'handoff_request'; seq: number };

/** What was last written to the projection, to write only what changed. */
interface Published {
  status?: ConversationStatus;
  nodeId?: string;
  assignee?: string;
}

/**
 * The whole state of one conversation, as plain JSON: carried through continue-as-new as it is.
 */
export interface Conversation {
  /** The flow's own state (`advance`). */
  flow: FlowState;
  owner: Owner;
  /** The flow waits for the person who reopened the conversation to hand it back before it starts. */
  startPending?: true;
  /** User messages the bot has not taken up yet, in arrival order. */
  inbox: InboundMessage[];
  /** Messages in the inbox are a burst still growing: the bot answers them as one turn at `until`. */
  burst?: { startedAt: number; until: number };
  /** Recent message ids, oldest first (at most {@link SEEN_IDS_LIMIT}). */
  seenIds: string[];
  /** Message ids whose senders wait for the answer to their turn. */
  awaited: string[];
  /** The user turn the bot is answering, and what it said so far. */
  turn?: { ids: string[]; replies: ReplyMessage[] };
  running?: Running;
  /** Counter behind `Running.seq`. */
  callSeq: number;
  /** The user asked for a person while the bot was busy: done once it waits for them. */
  humanRequested?: true;
  published: Published;
  /** A projection write was left for the activity's result (nothing visible changed when it was due). */
  publishOwed?: true;
  /** The run's history is long: continue as new at the next idle moment. */
  continueAsNewDue?: true;
  /** Runs so far, this one included. */
  runs: number;
  /** Overrides the flow's burst window (`settings.burstWindowMs`) for this conversation. */
  burstWindowMs?: number;
}

/** Something that happened to a conversation. */
export type ConversationEvent =
  /** A new conversation (not a continued run): the flow starts, or waits for the person who reopened it. */
  | { type: 'open'; reopenedBy?: { agentId?: string } }
  /** Its flow could not be loaded: the conversation ends with an apology. */
  | { type: 'flow_unavailable' }
  /** The user wrote; `awaited` when the sender waits for the answer. */
  | { type: 'user_messages'; messages: InboundMessage[]; awaited?: boolean }
  | { type: 'agent_message'; text: string; agentId?: string }
  /** A person takes the conversation (the inbox's take over, or picking up a queued handoff). */
  | { type: 'takeover'; agentId?: string }
  /** The people are done: the bot continues. */
  | { type: 'hand_back' }
  /** The user ends the session with the people. */
  | { type: 'user_left' }
  /** The user asked for a person (the widget's button). */
  | { type: 'request_human' }
  | { type: 'set_user'; user: InitialUser }
  | { type: 'close' }
  /**
   * The bot was switched off (`on: false`, with the notice to say) or on again. Off, it stops
   * answering: a conversation it has ends with the notice; one people have goes on with them and
   * ends with the notice when they are done, unless the bot is switched on again before.
   */
  | { type: 'bot_switched'; on: boolean; notice: string }
  /** The time given by `wakeAt` has come. */
  | { type: 'timer' }
  | { type: 'node_result'; seq: number; result: unknown }
  | { type: 'node_failed'; seq: number; code: string; message: string }
  | { type: 'handoff_answer'; seq: number; answer: GatewayAnswer }
  /** The run's history is long (Temporal suggests continuing as new). */
  | { type: 'history_long' };

/** One write of the projection: the messages said and where the conversation stands now. */
export interface ProjectionRecord {
  messages: OutboundMessage[];
  /** How many bot messages the conversation has said, these included. */
  messageSeq: number;
  status: ConversationStatus;
  assignee?: string;
  nodeId?: string;
  vars: JsonObject;
  failures: NodeFailure[];
}

/** What the shell must do, in order. */
export type ConversationCommand =
  | { kind: 'call_node'; seq: number; nodeId: string; call: ActivityCall }
  | { kind: 'cancel_node'; seq: number }
  | { kind: 'request_handoff'; seq: number; nodeId: string; request: HandoffRequest; history: HistoryEntry[]; user: JsonObject }
  /** Relay to, close at or re-route the humans' side (a desk or the inbox); in order, after earlier ones. */
  | { kind: 'tell_humans'; command: HandoffCommand }
  /** Write the projection; in order, after earlier writes. */
  | { kind: 'publish'; record: ProjectionRecord }
  /** Answer the senders waiting for these messages; after the writes before it. */
  | { kind: 'answer'; ids: string[]; reply: TurnReply }
  | { kind: 'continue_as_new'; state: Conversation }
  /** The conversation is over: after the last writes and answers, the workflow returns. */
  | { kind: 'finish'; ended: EndReason };

export interface Reduction {
  state: Conversation;
  commands: ConversationCommand[];
}

/** A new conversation's state, before its `open` event. */
export function initialConversation(input: {
  conversation: ConversationRef;
  user?: InitialUser;
  vars?: JsonObject;
  burstWindowMs?: number;
  /** Bot messages earlier runs said (a reopened conversation numbers its own after them). */
  messageSeq?: number;
}): Conversation {
  const flow = initialFlowState(input.conversation, input.user, input.vars);
  return {
    flow: input.messageSeq ? { ...flow, messageSeq: input.messageSeq } : flow,
    owner: { kind: 'bot' },
    inbox: [],
    seenIds: [],
    awaited: [],
    callSeq: 0,
    published: {},
    runs: 1,
    ...(input.burstWindowMs === undefined ? {} : { burstWindowMs: input.burstWindowMs }),
  };
}

/** Where a conversation stands, for the test chat and the inbox (the workflow's `snapshot` query). */
export interface ConversationSnapshot {
  status: ConversationStatus;
  nodeId?: string;
  waitingFor?: 'reply' | 'activity' | 'handoff';
  /** Where a handoff stands: email, requesting, queued, asking, leave_message, live. */
  handoff?: string;
  vars: JsonObject;
  owner: Owner;
  ended?: EndReason;
  flowVersion: number;
}

export function snapshotOf(state: Conversation): ConversationSnapshot {
  const cursor = state.flow.cursor;
  return {
    status: statusOf(state),
    ...(cursor ? { nodeId: cursor.nodeId, waitingFor: cursor.waiting.for } : {}),
    ...(cursor?.waiting.for === 'handoff' ? { handoff: cursor.waiting.progress.phase } : {}),
    vars: state.flow.vars,
    owner: state.owner,
    ...(state.flow.ended ? { ended: state.flow.ended } : {}),
    flowVersion: state.flow.conversation.flowVersion,
  };
}

function handoffProgress(state: Conversation): HandoffProgress | undefined {
  const waiting = state.flow.cursor?.waiting;
  return waiting?.for === 'handoff' ? waiting.progress : undefined;
}

/** Who has the conversation, as the product shows it. */
export function statusOf(state: Conversation): ConversationStatus {
  if (state.flow.ended) return 'closed';
  if (state.owner.kind === 'human') return 'agent';
  const phase = handoffProgress(state)?.phase;
  if (phase === 'live') return 'agent';
  if (phase === 'requesting' || phase === 'queued' || phase === 'asking' || phase === 'leave_message') return 'queued';
  return 'bot';
}

/** The person who has the conversation, when one has it. */
export function assigneeOf(state: Conversation): string | undefined {
  if (state.flow.ended) return undefined;
  if (state.owner.kind === 'human') return state.owner.agentId;
  const progress = handoffProgress(state);
  return progress?.phase === 'live' ? progress.agentId : undefined;
}

/**
 * The next instant at which the conversation acts by itself (a burst is complete, a wait or a
 * handoff times out), if any: the shell arms one durable timer for it and sends `timer`.
 */
export function wakeAt(state: Conversation): number | undefined {
  if (state.flow.ended || state.owner.kind === 'human' || state.running || state.startPending) return undefined;
  const waiting = state.flow.cursor?.waiting;
  if (!waiting) return undefined;
  if (waiting.for === 'reply') {
    if (state.inbox.length > 0) return state.burst?.until;
    return waiting.deadline;
  }
  if (waiting.for === 'handoff' && waiting.progress.phase !== 'requesting' && state.inbox.length === 0) return handoffDeadline(waiting.progress);
  return undefined;
}

/** Applies one event to a conversation: its new state and what the shell must do. Pure. */
export function reduce(program: Program, state: Conversation, event: ConversationEvent, nowMs: number): Reduction {
  const reducer = new Reducer(program, state, nowMs);
  // The event first, then what fell due: a message that arrives with the timer of its burst (or of
  // its wait) still counts, as the user meant it to.
  reducer.handle(event);
  reducer.settle();
  return reducer.finish();
}

class Reducer {
  private state: Conversation;
  private readonly commands: ConversationCommand[] = [];
  private readonly said: OutboundMessage[] = [];
  private readonly failures: NodeFailure[] = [];
  /** Answers go out after the projection is written, with the conversation's status at the end of the event. */
  private readonly answers: { ids: string[]; status: TurnReply['status']; replies: ReplyMessage[] }[] = [];

  constructor(
    private readonly program: Program,
    state: Conversation,
    private readonly now: number,
  ) {
    // The caller's state is never changed: every list this reducer edits is its own copy.
    this.state = { ...state, inbox: [...state.inbox], seenIds: [...state.seenIds], awaited: [...state.awaited] };
  }

  handle(event: ConversationEvent): void {
    const s = this.state;
    switch (event.type) {
      case 'open':
        if (s.flow.ended || s.flow.cursor) return;
        if (event.reopenedBy) {
          s.owner = { kind: 'human', ...(event.reopenedBy.agentId ? { agentId: event.reopenedBy.agentId } : {}) };
          s.startPending = true;
        } else {
          this.advance({ type: 'start' });
        }
        return;
      case 'flow_unavailable':
        return this.sayAndEnd(DEFAULT_FALLBACK_MESSAGE, 'failed');
      case 'user_messages':
        for (const message of event.messages) this.receive(message, event.awaited === true);
        return;
      case 'agent_message':
        this.advance({ type: 'agent_message', text: event.text });
        return;
      case 'takeover': {
        if (s.flow.ended) return;
        if (s.flow.cursor?.waiting.for === 'handoff') return this.advance({ type: 'human_joined', ...(event.agentId ? { agentId: event.agentId } : {}) });
        s.owner = { kind: 'human', ...(event.agentId ? { agentId: event.agentId } : {}) };
        // A call in flight is for the bot's answer, which must not come now; it runs again when the bot has the conversation back.
        this.cancelNode();
        s.burst = undefined;
        // Messages the bot has not taken up are now for the person.
        const moved = s.inbox.splice(0);
        for (const message of moved) this.noteForHumans(message);
        this.answerAwaited(moved.map((m) => m.id), 'relayed');
        return;
      }
      case 'hand_back':
        if (s.owner.kind === 'human') {
          s.owner = { kind: 'bot' };
          // Switched off meanwhile: the bot does not take the conversation back.
          if (s.flow.botOff !== undefined) return this.sayAndEnd(s.flow.botOff, 'bot_off');
          // The flow's wait starts afresh; one that has not started yet starts now.
          this.advance({ type: 'resume' });
        } else if (s.flow.cursor?.waiting.for === 'handoff') {
          this.advance({ type: 'human_left' });
        }
        return;
      case 'user_left':
        if (s.flow.cursor?.waiting.for === 'handoff') this.advance({ type: 'user_left' });
        return;
      case 'request_human':
        if (!s.flow.ended && s.owner.kind === 'bot') s.humanRequested = true;
        return;
      case 'set_user':
        this.advance({ type: 'user_info', user: event.user });
        return;
      case 'close':
        if (s.flow.ended) return;
        s.owner = { kind: 'bot' };
        s.startPending = undefined;
        this.cancelNode();
        this.advance({ type: 'close' });
        return;
      case 'bot_switched': {
        if (s.flow.ended) return;
        const { botOff: _was, ...flow } = s.flow;
        if (event.on) {
          s.flow = flow;
          return;
        }
        s.flow = { ...flow, botOff: event.notice };
        if (!this.peopleHaveIt()) {
          this.cancelNode();
          this.sayAndEnd(event.notice, 'bot_off');
        }
        return;
      }
      case 'timer':
        // What is due is found by `settle`, which compares every deadline with now.
        return;
      case 'node_result':
        if (s.running?.kind !== 'node' || s.running.seq !== event.seq) return;
        s.running = undefined;
        this.advance({ type: 'activity_result', result: event.result });
        return;
      case 'node_failed':
        if (s.running?.kind !== 'node' || s.running.seq !== event.seq) return;
        s.running = undefined;
        this.advance({ type: 'activity_failed', code: event.code, message: event.message });
        return;
      case 'handoff_answer':
        if (s.running?.kind !== 'handoff_request' || s.running.seq !== event.seq) return;
        s.running = undefined;
        this.advance({ type: 'handoff_requested', result: normalizedAnswer(event.answer) });
        return;
      case 'history_long':
        s.continueAsNewDue = true;
        return;
    }
  }

  /** Runs the conversation on from where the event left it, until it waits for something outside. */
  settle(): void {
    const s = this.state;
    // Each round either changes the state or stops; the bound only guards against a bug looping.
    for (let round = 0; round < 1000; round++) {
      if (s.flow.ended || s.owner.kind === 'human') break;
      if (s.startPending) {
        s.startPending = undefined;
        this.advance({ type: 'start' });
        continue;
      }
      const waiting = s.flow.cursor?.waiting;
      if (!waiting) break;
      if (waiting.for === 'activity') {
        if (!s.running) {
          const seq = ++s.callSeq;
          s.running = { kind: 'node', seq };
          this.commands.push({ kind: 'call_node', seq, nodeId: s.flow.cursor!.nodeId, call: waiting.call });
        }
        break;
      }
      if (waiting.for === 'handoff') {
        // Already with the people: the widget's button has nothing more to do.
        s.humanRequested = undefined;
        const progress = waiting.progress;
        if (progress.phase === 'requesting') {
          if (!s.running) {
            const seq = ++s.callSeq;
            s.running = { kind: 'handoff_request', seq };
            this.commands.push({
              kind: 'request_handoff',
              seq,
              nodeId: s.flow.cursor!.nodeId,
              request: waiting.request,
              history: lastRounds(s.flow.history, waiting.request.historyRounds),
              user: isJsonObject(s.flow.vars['user']) ? s.flow.vars['user'] : {},
            });
          }
          break;
        }
        if (s.inbox.length > 0) {
          const batch = s.inbox.splice(0);
          // Queued or live: the people answer these, the sender is not kept waiting for the bot.
          if (humansAnswer(progress)) this.answerAwaited(batch.map((m) => m.id), 'relayed');
          else this.startTurn(batch);
          this.advance({ type: 'user_turn', turn: userTurn(batch, this.now) });
          continue;
        }
        const deadline = handoffDeadline(progress);
        if (deadline !== undefined && deadline <= this.now && this.advanceChanged({ type: 'timeout' })) continue;
        break;
      }
      // The bot waits for the user.
      if (s.humanRequested) {
        s.humanRequested = undefined;
        s.burst = undefined;
        this.advance({ type: 'request_human' });
        continue;
      }
      if (s.inbox.length > 0) {
        const window = this.burstWindowMs();
        if (window > 0) {
          s.burst ??= { startedAt: this.now, until: this.now + window };
          if (s.burst.until > this.now) break;
        }
        s.burst = undefined;
        const batch = s.inbox.splice(0);
        this.startTurn(batch);
        this.advance({ type: 'user_turn', turn: userTurn(batch, this.now) });
        continue;
      }
      if (waiting.deadline !== undefined && waiting.deadline <= this.now && this.advanceChanged({ type: 'timeout' })) continue;
      break;
    }
    this.finishTurnUnlessWorking();
    if (s.flow.ended) {
      // Nobody waits for an answer from a conversation that is over.
      this.answerAwaited([...s.awaited], 'closed');
      s.inbox = [];
      s.burst = undefined;
      s.humanRequested = undefined;
    }
  }

  finish(): Reduction {
    const s = this.state;
    this.publish();
    const conversationStatus = statusOf(s);
    for (const { ids, status, replies } of this.answers) this.commands.push({ kind: 'answer', ids, reply: { status, replies, conversationStatus } });
    if (s.flow.ended) {
      if (s.running?.kind === 'node') this.cancelNode();
      s.running = undefined;
      this.commands.push({ kind: 'finish', ended: s.flow.ended });
    } else if (s.continueAsNewDue && this.idle()) {
      const { continueAsNewDue: _due, ...carried } = s;
      this.commands.push({ kind: 'continue_as_new', state: { ...carried, runs: s.runs + 1 } });
    }
    return { state: s, commands: this.commands };
  }

  private receive(message: InboundMessage, awaited: boolean): void {
    const s = this.state;
    if (s.flow.ended) {
      if (awaited) this.answers.push({ ids: [message.id], status: 'closed', replies: [] });
      return;
    }
    if (s.seenIds.includes(message.id)) {
      if (awaited) this.answers.push({ ids: [message.id], status: 'duplicate', replies: [] });
      return;
    }
    s.seenIds.push(message.id);
    if (s.seenIds.length > SEEN_IDS_LIMIT) s.seenIds.shift();
    const accepted: InboundMessage = { ...message, text: message.text.slice(0, MAX_USER_TEXT) };
    if (s.owner.kind === 'human') {
      this.noteForHumans(accepted);
      if (awaited) this.answers.push({ ids: [message.id], status: 'relayed', replies: [] });
      return;
    }
    s.inbox.push(accepted);
    if (awaited) {
      if (humansAnswer(handoffProgress(s))) this.answers.push({ ids: [message.id], status: 'relayed', replies: [] });
      else s.awaited.push(message.id);
    }
    // A burst grows with each message within the window of the previous one, up to a bound.
    const window = this.burstWindowMs();
    if (s.burst) s.burst = { ...s.burst, until: Math.min(this.now + window, s.burst.startedAt + MAX_BURST_WINDOWS * window) };
  }

  private burstWindowMs(): number {
    return this.state.burstWindowMs ?? this.program.settings.burstWindowMs;
  }

  /** People have the conversation (a person took it over, or a handoff is asking, waiting for or talking with them). */
  private peopleHaveIt(): boolean {
    const s = this.state;
    const phase = handoffProgress(s)?.phase;
    return s.owner.kind === 'human' || (phase !== undefined && phase !== 'email');
  }

  /** The bot says a last line and the conversation ends. */
  private sayAndEnd(text: string, reason: EndReason): void {
    const s = this.state;
    const seq = s.flow.messageSeq + 1;
    const message: OutboundMessage = { id: botMessageId(s.flow.conversation.id, seq), role: 'bot', text, nodeId: s.flow.cursor?.nodeId ?? '' };
    this.said.push(message);
    if (s.turn) s.turn = { ...s.turn, replies: [...s.turn.replies, replyMessage(message)] };
    s.flow = { ...s.flow, cursor: null, ended: reason, messageSeq: seq };
  }

  /** A message for the person who has the conversation: remembered in the history, not answered by the bot. */
  private noteForHumans(message: InboundMessage): void {
    this.advance({ type: 'user_note', turn: userTurn([message], this.now) });
  }

  private startTurn(batch: readonly InboundMessage[]): void {
    // One turn at a time: a turn still open is answered with what it has.
    this.finishTurn();
    this.state.turn = { ids: batch.map((m) => m.id), replies: [] };
  }

  /** Work still to do before the bot blocks (its activity, asking the people) belongs to the turn's answer. */
  private finishTurnUnlessWorking(): void {
    const s = this.state;
    const waiting = s.flow.cursor?.waiting;
    const working =
      !s.flow.ended && s.owner.kind === 'bot' && (waiting?.for === 'activity' || (waiting?.for === 'handoff' && waiting.progress.phase === 'requesting'));
    if (!working) this.finishTurn();
  }

  private finishTurn(): void {
    const s = this.state;
    if (!s.turn) return;
    const { ids, replies } = s.turn;
    s.turn = undefined;
    this.answerAwaited(ids, s.flow.ended && replies.length === 0 ? 'closed' : 'answered', replies);
  }

  private answerAwaited(ids: readonly string[], status: TurnReply['status'], replies: ReplyMessage[] = []): void {
    const s = this.state;
    const waiting = ids.filter((id) => s.awaited.includes(id));
    if (waiting.length === 0) return;
    s.awaited = s.awaited.filter((id) => !waiting.includes(id));
    this.answers.push({ ids: waiting, status, replies });
  }

  private cancelNode(): void {
    const s = this.state;
    if (s.running?.kind !== 'node') return;
    this.commands.push({ kind: 'cancel_node', seq: s.running.seq });
    s.running = undefined;
  }

  private advance(event: EngineEvent): void {
    const s = this.state;
    const result = advance(this.program, s.flow, event, this.now);
    s.flow = result.state;
    this.said.push(...result.messages);
    this.failures.push(...result.failures);
    if (s.turn && result.messages.length > 0) {
      s.turn = { ...s.turn, replies: [...s.turn.replies, ...result.messages.map(replyMessage)] };
    }
    for (const command of result.commands) this.commands.push({ kind: 'tell_humans', command });
  }

  /** Applies an event and says whether it changed where the flow stands (a deadline that changes nothing ends `settle`). */
  private advanceChanged(event: EngineEvent): boolean {
    const before = this.state.flow;
    this.advance(event);
    return this.state.flow !== before && JSON.stringify(this.state.flow) !== JSON.stringify(before);
  }

  /** Writes what changed: new messages or failures, or a new status, assignee or position. */
  private publish(): void {
    const s = this.state;
    const next: Published = {
      status: statusOf(s),
      ...(s.flow.cursor ? { nodeId: s.flow.cursor.nodeId } : {}),
      ...(assigneeOf(s) === undefined ? {} : { assignee: assigneeOf(s)! }),
    };
    const visible = next.status !== s.published.status || next.assignee !== s.published.assignee;
    if (this.said.length === 0 && this.failures.length === 0 && !visible) {
      if (next.nodeId === s.published.nodeId && !s.publishOwed) return;
      // Only the position moved, to a node whose activity now runs: it is written with the
      // activity's result (one write per model turn instead of two).
      if (s.running?.kind === 'node' && s.flow.cursor?.waiting.for === 'activity') {
        s.publishOwed = true;
        return;
      }
    }
    this.commands.push({
      kind: 'publish',
      record: {
        messages: this.said,
        messageSeq: s.flow.messageSeq,
        status: next.status!,
        ...(next.assignee === undefined ? {} : { assignee: next.assignee }),
        ...(next.nodeId === undefined ? {} : { nodeId: next.nodeId }),
        vars: s.flow.vars,
        failures: this.failures,
      },
    });
    s.published = next;
    s.publishOwed = undefined;
  }

  /** Nothing in flight and nothing waiting: the state can move to a new run as it is. */
  private idle(): boolean {
    const s = this.state;
    return !s.running && s.inbox.length === 0 && !s.turn && s.awaited.length === 0 && !s.burst && !s.humanRequested;
  }
}

function replyMessage({ id, text, quickReplies }: OutboundMessage): ReplyMessage {
  return { id, text, ...(quickReplies ? { quickReplies } : {}) };
}

function userTurn(batch: readonly InboundMessage[], now: number): UserTurn {
  return {
    messages: batch.map(({ id, text }) => ({ id, text })),
    messageIds: batch.map((m) => m.id),
    text: batch.map((m) => m.text).join('\n'),
    receivedAt: batch.at(-1)?.sentAt ?? new Date(now).toISOString(),
  };
}

function normalizedAnswer(answer: GatewayAnswer): HandoffStart {
  if (answer.outcome === 'queued') return { outcome: 'queued', session: answer.session ?? {}, ...(answer.leaveMessage ? { leaveMessage: true } : {}) };
  if (answer.outcome === 'live') return { outcome: 'live', session: answer.session ?? {}, ...(answer.agentId ? { agentId: answer.agentId } : {}) };
  return answer;
}
