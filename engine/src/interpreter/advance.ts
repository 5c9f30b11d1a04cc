import {
  isJsonObject,
  setVariable,
  type BotMessage,
  type HandoffOutcome,
  type HandoffRequest,
  type Json,
  type JsonObject,
  type StepContext,
  type StepResult,
  type UserTurn,
} from '@baton/nodes/runtime';
import { handoffStep, type HandoffCommand, type HandoffEvent } from './handoff.js';
import type { Program, ProgramNode } from './program.js';
import {
  appendHistory,
  botMessageId,
  type AdvanceResult,
  type FlowState,
  type Cursor,
  type EndReason,
  type EngineEvent,
  type InitialUser,
  type NodeFailure,
  type OutboundMessage,
  type Waiting,
} from './conversation-state.js';

/** A turn that visits more nodes than this is stuck in a loop the validator could not see. */
export const MAX_STEPS_PER_ADVANCE = 100;

/**
 * A node call whose attempts may last at most this long runs as a local activity: in the workflow
 * task that asked for it, without a task of its own and a second workflow task for its result
 * (docs/benchmarks.md). Longer calls run as ordinary activities, which heartbeat.
 */
export const LOCAL_CALL_MAX_SECONDS = 60;

/** Where humans take over when the flow itself failed and its setting says so. */
export const FALLBACK_HANDOFF: HandoffRequest = {
  target: { kind: 'inbox', assignTo: 'anyone' },
  waitTimeoutSeconds: 60,
  sessionTimeoutSeconds: 180,
  historyRounds: 10,
  requireEmail: false,
};

type Phase =
  | { phase: 'enter' }
  | { phase: 'reply'; reply: UserTurn }
  | { phase: 'result'; result: unknown }
  | { phase: 'handoff_ended'; outcome: HandoffOutcome };

/** The handoff the widget's "talk to a person" button starts: the bot's own desk, default timing. */
export const REQUESTED_HANDOFF: HandoffRequest = {
  target: { kind: 'default' },
  waitTimeoutSeconds: 60,
  sessionTimeoutSeconds: 180,
  historyRounds: 10,
  requireEmail: false,
};

/**
 * The flow interpreter: given where a conversation's flow stands and one event, runs the flow
 * until it blocks again (a wait, an activity, a handoff, the end) and returns the new state, the
 * bot messages said on the way and what the humans' side must be told. No I/O, no clock, no
 * randomness: `nowMs` is passed in. The conversation reducer (`conversation.ts`) decides which
 * events reach it and when.
 */
export function advance(program: Program, state: FlowState, event: EngineEvent, nowMs: number): AdvanceResult {
  return new Turn(program, state, nowMs).apply(event);
}

class Turn {
  private vars: JsonObject;
  private history: FlowState['history'];
  private messageSeq: number;
  private cursor: Cursor | null;
  private ended: EndReason | undefined;
  private readonly messages: OutboundMessage[] = [];
  private readonly visited: string[] = [];
  private readonly failures: NodeFailure[] = [];
  private readonly commands: HandoffCommand[] = [];
  private steps = 0;

  constructor(
    private readonly program: Program,
    private readonly state: FlowState,
    private readonly nowMs: number,
  ) {
    this.vars = state.vars;
    this.history = state.history;
    this.messageSeq = state.messageSeq;
    this.cursor = state.cursor;
    this.ended = state.ended;
  }

  apply(event: EngineEvent): AdvanceResult {
    const cursor = this.cursor;
    const waiting = cursor?.waiting.for;
    if (event.type === 'user_info') {
      this.setUser(event.user);
      return this.result();
    }
    if (cursor?.waiting.for === 'handoff') {
      this.handoff(cursor, cursor.waiting, event);
      return this.result();
    }
    switch (event.type) {
      case 'start':
        if (cursor || this.ended) break;
        if (this.program.startId === undefined) this.fallBack(undefined, 'no_start', 'the flow has no start node');
        else this.drive(this.program.startId, { phase: 'enter' }, {});
        break;
      case 'user_turn':
      case 'user_note':
        this.vars = { ...this.vars, lastMessage: event.turn.text };
        this.history = appendHistory(this.history, { role: 'user', text: event.turn.text });
        if (event.type === 'user_turn' && cursor && waiting === 'reply') {
          this.drive(cursor.nodeId, { phase: 'reply', reply: event.turn }, cursor.local);
        }
        break;
      case 'agent_message':
        this.history = appendHistory(this.history, { role: 'agent', text: event.text });
        break;
      case 'resume':
        if (cursor?.waiting.for === 'reply' && cursor.waiting.timeoutSeconds !== undefined) {
          this.cursor = { ...cursor, waiting: { ...cursor.waiting, deadline: this.nowMs + cursor.waiting.timeoutSeconds * 1000 } };
        }
        break;
      case 'close':
        if (!this.ended) this.end('closed');
        break;
      case 'timeout':
        if (cursor?.waiting.for === 'reply') {
          const port = cursor.waiting.timeoutPort;
          const target = port === undefined ? undefined : this.node(cursor.nodeId)?.routeMap.get(port);
          if (target === undefined) this.end('wait_timeout');
          else this.drive(target, { phase: 'enter' }, {});
        }
        break;
      case 'activity_result':
        if (cursor && waiting === 'activity') this.resume(cursor, event.result);
        break;
      case 'activity_failed':
        if (cursor && waiting === 'activity') this.fail(cursor.nodeId, event.code, event.message);
        break;
      case 'request_human':
        if (cursor?.waiting.for === 'reply') {
          this.startHandoff(cursor.nodeId, cursor.local, REQUESTED_HANDOFF, { resume: cursor.waiting });
        }
        break;
      default:
        break;
    }
    return this.result();
  }

  private result(): AdvanceResult {
    return {
      state: {
        conversation: this.state.conversation,
        vars: this.vars,
        history: this.history,
        cursor: this.cursor,
        ...(this.ended ? { ended: this.ended } : {}),
        messageSeq: this.messageSeq,
        ...(this.state.botOff === undefined ? {} : { botOff: this.state.botOff }),
      },
      messages: this.messages,
      commands: this.commands,
      visited: this.visited,
      failures: this.failures,
    };
  }

  private setUser(user: InitialUser): void {
    for (const key of ['email', 'name', 'externalId'] as const) {
      const value = user[key];
      if (value) this.vars = setVariable(this.vars, `user.${key}`, value);
    }
  }

  private startHandoff(nodeId: string, local: JsonObject, request: HandoffRequest, extra: { resume?: Extract<Waiting, { for: 'reply' }>; fallback?: true } = {}): void {
    const step = handoffStep(request, undefined, { type: 'enter' }, { now: this.nowMs, vars: this.vars });
    // Only the email prompt is said here: it stays out of the history the humans get.
    this.say(nodeId, step.say, { remember: false });
    this.cursor = {
      nodeId,
      local,
      waiting: { for: 'handoff', request, progress: step.progress!, ...(extra.resume ? { resume: extra.resume } : {}) },
      ...(extra.fallback ? { fallback: true } : {}),
    };
  }

  /** An event while the handoff state machine has the conversation. */
  private handoff(cursor: Cursor, waiting: Extract<Waiting, { for: 'handoff' }>, event: EngineEvent): void {
    const machineEvent = toHandoffEvent(event);
    // The email exchange is kept out of the history, so the humans get the user's question
    // (historyRounds) rather than the email answers.
    const askingEmail = waiting.progress.phase === 'email';
    if (event.type === 'user_turn' || event.type === 'user_note') {
      this.vars = { ...this.vars, lastMessage: event.turn.text };
      if (!askingEmail) this.history = appendHistory(this.history, { role: 'user', text: event.turn.text });
    } else if (event.type === 'agent_message') {
      this.history = appendHistory(this.history, { role: 'agent', text: event.text });
    }
    if (!machineEvent) return;
    const step = handoffStep(waiting.request, waiting.progress, machineEvent, { now: this.nowMs, vars: this.vars });
    this.say(cursor.nodeId, step.say, { remember: !askingEmail });
    for (const [path, value] of Object.entries(step.set)) this.vars = setVariable(this.vars, path, value);
    this.commands.push(...step.commands);
    if (event.type === 'close') return this.end('closed');
    if (step.outcome === undefined) {
      if (step.progress) this.cursor = { ...cursor, waiting: { ...waiting, progress: step.progress } };
      return;
    }
    if (this.state.botOff !== undefined) {
      // The bot was switched off while people had the conversation: it does not take it back.
      this.say(cursor.nodeId, [this.state.botOff]);
      return this.end('bot_off');
    }
    if (cursor.fallback) return this.end('failed');
    if (waiting.resume) {
      // The user asked for a person while the bot waited: the bot waits again, afresh.
      const resume = waiting.resume;
      const deadline = resume.timeoutSeconds === undefined ? {} : { deadline: this.nowMs + resume.timeoutSeconds * 1000 };
      this.cursor = { nodeId: cursor.nodeId, local: cursor.local, waiting: { ...resume, ...deadline } };
      return;
    }
    this.drive(cursor.nodeId, { phase: 'handoff_ended', outcome: step.outcome }, cursor.local);
  }

  private node(id: string): ProgramNode | undefined {
    return this.program.node(id);
  }

  /** The node's activity answered; its wrapper already checked the result against the node's declaration. */
  private resume(cursor: Cursor, result: unknown): void {
    const node = this.node(cursor.nodeId);
    if (!node?.step || !node.activity) return this.fail(cursor.nodeId, 'unknown_node', 'the node is not installed on this worker');
    this.drive(cursor.nodeId, { phase: 'result', result }, cursor.local);
  }

  /** Runs steps from `nodeId` until the conversation blocks or ends. */
  private drive(nodeId: string, phase: Phase, local: JsonObject): void {
    let current: { nodeId: string; phase: Phase; local: JsonObject } | undefined = { nodeId, phase, local };
    this.cursor = null;
    while (current) {
      if (++this.steps > MAX_STEPS_PER_ADVANCE) {
        return this.fallBack(current.nodeId, 'too_many_steps', `more than ${MAX_STEPS_PER_ADVANCE} nodes in one turn`);
      }
      if (current.phase.phase === 'enter') this.visited.push(current.nodeId);
      current = this.step(current.nodeId, current.phase, current.local);
    }
  }

  /** One step of one node; returns the next node to enter, if any. */
  private step(nodeId: string, phase: Phase, local: JsonObject): { nodeId: string; phase: Phase; local: JsonObject } | undefined {
    const node = this.node(nodeId);
    if (!node?.step) {
      this.fallBack(nodeId, 'unknown_node', `node "${nodeId}" (${node?.type ?? 'missing'}) is not installed on this worker`);
      return undefined;
    }
    if (node.configError !== undefined) {
      this.fail(nodeId, 'invalid_config', node.configError);
      return undefined;
    }
    let result: StepResult<unknown>;
    try {
      result = node.step({
        nodeId,
        config: node.config,
        vars: this.vars,
        local,
        now: new Date(this.nowMs).toISOString(),
        history: this.history,
        ...phase,
      } as StepContext<unknown, unknown>);
      const invalid = invalidStepResult(result);
      if (invalid !== undefined) throw new Error(invalid);
      this.say(nodeId, result.say ?? []);
      for (const [path, value] of Object.entries(result.set ?? {})) this.vars = setVariable(this.vars, path, value);
    } catch (error) {
      this.fail(nodeId, 'step_failed', error instanceof Error ? error.message : String(error));
      return undefined;
    }
    const nextLocal = result.local ?? local;
    const then = result.then;

    if ('go' in then) {
      if (!node.portSet.has(then.go)) {
        this.fail(nodeId, 'unknown_port', `the node chose port "${then.go}", which it does not declare`);
        return undefined;
      }
      const target = node.routeMap.get(then.go);
      if (target === undefined) {
        this.end('no_route');
        return undefined;
      }
      return { nodeId: target, phase: { phase: 'enter' }, local: {} };
    }
    if ('wait' in then) {
      const { timeoutSeconds, timeoutPort } = then.wait;
      this.cursor = {
        nodeId,
        local: nextLocal,
        waiting: {
          for: 'reply',
          ...(timeoutSeconds === undefined ? {} : { timeoutSeconds, deadline: this.nowMs + timeoutSeconds * 1000 }),
          ...(timeoutPort === undefined ? {} : { timeoutPort }),
        },
      };
      return undefined;
    }
    if ('call' in then) {
      // The input is checked against the node's declaration by the activity's wrapper, where the schema is.
      const spec = node.activity;
      if (!spec) {
        this.fail(nodeId, 'invalid_activity_input', 'the node declares no activity');
        return undefined;
      }
      this.cursor = {
        nodeId,
        local: nextLocal,
        waiting: {
          for: 'activity',
          call: {
            activity: spec.name,
            input: (then.call ?? null) as Json,
            timeoutSeconds: spec.timeoutSeconds,
            ...(spec.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: spec.heartbeatSeconds }),
            maxAttempts: spec.maxAttempts,
            ...(spec.timeoutSeconds <= LOCAL_CALL_MAX_SECONDS ? { local: true as const } : {}),
          },
        },
      };
      return undefined;
    }
    if ('handoff' in then) {
      this.startHandoff(nodeId, nextLocal, then.handoff);
      return undefined;
    }
    this.end('completed');
    return undefined;
  }

  private say(nodeId: string, messages: readonly (string | BotMessage)[], { remember = true } = {}): void {
    for (const message of messages) {
      const text = typeof message === 'string' ? message : message.text;
      if (text.trim() === '') continue;
      const quickReplies = typeof message === 'string' ? undefined : message.quickReplies?.filter((r) => r.trim() !== '');
      this.messageSeq += 1;
      this.messages.push({
        id: botMessageId(this.state.conversation.id, this.messageSeq),
        role: 'bot',
        text,
        nodeId,
        ...(quickReplies?.length ? { quickReplies } : {}),
      });
      if (remember) this.history = appendHistory(this.history, { role: 'bot', text });
    }
  }

  /** A node failed: its `error` port when connected, otherwise the flow's fallback. */
  private fail(nodeId: string, code: string, message: string): void {
    this.failures.push({ nodeId, code, message });
    const node = this.node(nodeId);
    const errorTarget = node?.portSet.has('error') ? node.routeMap.get('error') : undefined;
    if (errorTarget === undefined) return this.fallBack(nodeId, undefined, undefined);
    this.vars = setVariable(this.vars, 'lastError', { nodeId, code });
    this.drive(errorTarget, { phase: 'enter' }, {});
  }

  private fallBack(nodeId: string | undefined, code: string | undefined, message: string | undefined): void {
    if (code !== undefined && message !== undefined) this.failures.push({ nodeId: nodeId ?? '', code, message });
    this.say(nodeId ?? '', [this.program.settings.fallbackMessage]);
    if (this.program.settings.onError === 'handoff') {
      this.startHandoff(nodeId ?? '', {}, FALLBACK_HANDOFF, { fallback: true });
    } else {
      this.end('failed');
    }
  }

  private end(reason: EndReason): void {
    this.cursor = null;
    this.ended = reason;
  }
}

/**
 * Custom nodes may be plain JavaScript: a malformed answer must fail the node, not throw out of
 * `advance` (which would fail the workflow task over and over).
 */
function invalidStepResult(result: unknown): string | undefined {
  if (!isJsonObject(result)) return 'the step returned no result object';
  if (result['say'] !== undefined && !Array.isArray(result['say'])) return 'the step returned `say` that is not a list';
  if (result['set'] !== undefined && !isJsonObject(result['set'])) return 'the step returned `set` that is not an object';
  const then = result['then'];
  if (!isJsonObject(then)) return 'the step returned no `then`';
  if (typeof then['go'] === 'string' || then['end'] === true) return undefined;
  if (isJsonObject(then['wait']) || isJsonObject(then['handoff']) || 'call' in then) return undefined;
  return `the step returned an unknown \`then\`: ${JSON.stringify(then).slice(0, 200)}`;
}

function toHandoffEvent(event: EngineEvent): HandoffEvent | undefined {
  switch (event.type) {
    case 'user_turn':
      return { type: 'user_turn', turn: event.turn };
    case 'timeout':
    case 'human_left':
    case 'user_left':
    case 'close':
      return { type: event.type };
    case 'agent_message':
      return { type: 'agent_message' };
    case 'human_joined':
      return { type: 'human_joined', ...(event.agentId ? { agentId: event.agentId } : {}) };
    case 'handoff_requested':
      return { type: 'requested', result: event.result };
    default:
      return undefined;
  }
}
