import type { z } from 'zod';
import type { JsonObject } from '../json.js';
import type {
  ActivityContext,
  HttpClient,
  HttpRequest,
  HttpResponse,
  LlmClient,
  LlmRequest,
  LlmResponse,
} from '../sdk/activity.js';
import type { AnyNodeDefinition, NodeDefinition } from '../sdk/define-node.js';
import type { NodeActivity } from '../sdk/implement-activity.js';
import { resolvePorts } from '../sdk/ports.js';
import type { HandoffOutcome, HistoryEntry, StepContext, StepResult, StepThen } from '../sdk/step.js';
import { isVariablePath } from '../sdk/variables.js';
import type { ServiceHours } from '../service-hours/index.js';

/** The clock `runStep` uses unless a test gives `now` (a Monday, 10:00 UTC). */
export const TEST_NOW = '2026-01-05T10:00:00.000Z';

export type StepPhase = 'enter' | 'reply' | 'result' | 'handoff_ended';

export interface RunStepOptions<ConfigInput = unknown, ResultInput = unknown> {
  /** Defaults to the phase the other options imply: `reply` → 'reply', `result` → 'result', `outcome` → 'handoff_ended', else 'enter'. */
  phase?: StepPhase;
  /** The node's config as a builder writes it; parsed with the node's schema (defaults applied). */
  config: ConfigInput;
  vars?: Readonly<JsonObject>;
  local?: Readonly<JsonObject>;
  /** ISO time; defaults to {@link TEST_NOW}. */
  now?: string;
  history?: readonly HistoryEntry[];
  nodeId?: string;
  /** The user's text for the `reply` phase. */
  reply?: string;
  /** The activity's result for the `result` phase, parsed with the declaration's result schema. */
  result?: ResultInput;
  /** How the handoff ended, for the `handoff_ended` phase. */
  outcome?: HandoffOutcome;
}

/** A `StepResult` with `say` always present and every message as plain text. */
export interface StepOutcome<CallInput = unknown> {
  say: string[];
  set?: StepResult<CallInput>['set'];
  local?: JsonObject;
  then: StepThen<CallInput>;
}

/**
 * Runs one `step` of a node the way the engine does, without Temporal: the config is parsed
 * with the node's schema, the context is built from plain values, and the answer is checked
 * as the engine would check it (declared port, valid variable names, call input matching the
 * activity's input schema). Inputs are frozen, so a step that mutates them fails here.
 * Throws an `Error` with a readable message when the config, the result or the answer is wrong.
 *
 * @example
 * import { runStep } from '@baton/nodes/testing';
 *
 * const out = runStep(sendMessageNode, { config: { text: 'Hi {{user.name | there}}' }, vars: { user: { name: 'Ann' } } });
 * // out.say → ['Hi Ann'], out.then → { go: 'next' }
 *
 * const replied = runStep(waitForReplyNode, { config: { saveAs: 'answer' }, reply: 'yes' });
 * // replied.set → { answer: 'yes' }, replied.then → { go: 'replied' }
 */
export function runStep<Config extends z.ZodObject, CallInput extends z.ZodType, Result extends z.ZodType>(
  definition: NodeDefinition<Config, CallInput, Result>,
  options: RunStepOptions<z.input<Config>, z.input<Result>>,
): StepOutcome<z.input<CallInput>> {
  const name = `${definition.type}@${definition.version}`;
  const parsedConfig = definition.config.safeParse(options.config);
  if (!parsedConfig.success) throw new Error(`${name}: invalid config: ${describeIssues(parsedConfig.error.issues)}`);
  const config = parsedConfig.data as z.output<Config>;

  const now = options.now ?? TEST_NOW;
  if (Number.isNaN(Date.parse(now))) throw new Error(`${name}: now "${now}" is not an ISO time`);
  const phase: StepPhase =
    options.phase ??
    (options.reply !== undefined
      ? 'reply'
      : options.result !== undefined
        ? 'result'
        : options.outcome !== undefined
          ? 'handoff_ended'
          : 'enter');

  const base = {
    nodeId: options.nodeId ?? 'node',
    config,
    vars: frozenCopy(options.vars ?? {}),
    local: frozenCopy(options.local ?? {}),
    now,
    history: frozenCopy([...(options.history ?? [])]),
  };

  let ctx: StepContext<z.output<Config>, z.output<Result>>;
  switch (phase) {
    case 'enter':
      ctx = { ...base, phase };
      break;
    case 'reply':
      if (options.reply === undefined) throw new Error(`${name}: the reply phase needs \`reply\` (the user's text)`);
      ctx = { ...base, phase, reply: frozenCopy({ messages: [{ id: 'm1', text: options.reply }], messageIds: ['m1'], text: options.reply, receivedAt: now }) };
      break;
    case 'result': {
      if (!definition.activity) throw new Error(`${name}: the result phase needs a node with an activity`);
      const parsed = definition.activity.result.safeParse(options.result);
      if (!parsed.success) throw new Error(`${name}: invalid activity result: ${describeIssues(parsed.error.issues)}`);
      ctx = { ...base, phase, result: frozenCopy(parsed.data) as z.output<Result> };
      break;
    }
    case 'handoff_ended':
      if (options.outcome === undefined) throw new Error(`${name}: the handoff_ended phase needs \`outcome\``);
      ctx = { ...base, phase, outcome: options.outcome };
      break;
  }

  const answer = definition.step(ctx);
  checkAnswer(name, definition, config, answer);
  return {
    ...answer,
    say: (answer.say ?? []).map((message) => (typeof message === 'string' ? message : message.text)),
  };
}

/** What the engine would refuse, reported at the step that caused it. */
function checkAnswer(name: string, definition: AnyNodeDefinition, config: unknown, answer: StepResult<unknown>): void {
  for (const path of Object.keys(answer.set ?? {})) {
    if (!isVariablePath(path)) throw new Error(`${name}: step sets "${path}", which is not a valid variable name`);
  }
  const then = answer.then;
  const ports = resolvePorts(definition.ports, config).map((p) => p.id);
  const undeclared = (port: string): Error =>
    new Error(`${name}: step chose port "${port}", which the node does not declare (ports: ${ports.join(', ') || 'none'})`);
  if ('go' in then && !ports.includes(then.go)) throw undeclared(then.go);
  if ('wait' in then && then.wait.timeoutPort !== undefined && !ports.includes(then.wait.timeoutPort)) {
    throw undeclared(then.wait.timeoutPort);
  }
  if ('call' in then) {
    if (!definition.activity) throw new Error(`${name}: step asked for an activity, but the node declares none`);
    const input = definition.activity.input.safeParse(then.call);
    if (!input.success) throw new Error(`${name}: invalid activity input: ${describeIssues(input.error.issues)}`);
  }
}

export interface RunActivityOptions {
  llm?: LlmClient;
  http?: HttpClient;
  /**
   * The bot's calendar: a calendar, `null` (or `undefined` given explicitly) for a bot without
   * one, or a function for full control.
   */
  serviceHours?: ServiceHours | null | (() => Promise<ServiceHours | undefined>);
  /** The bot's secrets by name, as `ctx.secrets.get(name)` returns them. */
  secrets?: Record<string, string>;
  /** 1 on the first try (the default). */
  attempt?: number;
  conversation?: Partial<ActivityContext['conversation']>;
  nodeId?: string;
  signal?: AbortSignal;
  /** Defaults to a logger that keeps quiet. */
  log?: ActivityContext['log'];
}

/**
 * Runs a node's activity half with injected fakes, checking the input and the result against
 * the declaration's schemas like the engine does. Services a test does not provide throw
 * "… not provided in this test" when the activity uses them. Errors the activity throws
 * (such as a `NodeError`) come out unchanged.
 *
 * @example
 * import { fakeHttp, runActivity } from '@baton/nodes/testing';
 *
 * const http = fakeHttp(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"shipped"}' }));
 * const result = await runActivity(orderStatusActivity, { orderId: '42' }, { http });
 * // result → { found: true, status: 'shipped' }; http.requests[0].url → '…/orders/42'
 */
export async function runActivity<Config extends z.ZodObject, Input extends z.ZodType, Result extends z.ZodType>(
  activity: NodeActivity<NodeDefinition<Config, Input, Result>>,
  input: z.input<Input>,
  options: RunActivityOptions = {},
): Promise<z.output<Result>> {
  const definition = activity.definition;
  const name = `${definition.type}@${definition.version}`;
  const spec = definition.activity;
  if (!spec) throw new Error(`${name}: declares no activity`);
  const parsedInput = spec.input.safeParse(input);
  if (!parsedInput.success) throw new Error(`${name}: invalid activity input: ${describeIssues(parsedInput.error.issues)}`);

  const context: ActivityContext = {
    conversation: { id: 'conversation-1', botId: 'bot-1', flowVersion: 1, ...options.conversation },
    nodeId: options.nodeId ?? 'node',
    attempt: options.attempt ?? 1,
    signal: options.signal ?? new AbortController().signal,
    llm: options.llm ?? { complete: () => notProvided('llm') },
    http: options.http ?? { request: () => notProvided('http') },
    bot: { serviceHours: serviceHoursOf(options) },
    secrets: { get: async (name) => options.secrets?.[name] },
    log: options.log ?? { info: () => undefined, warn: () => undefined },
  };
  const result = await activity.run(parsedInput.data, context);
  const parsedResult = spec.result.safeParse(result);
  if (!parsedResult.success) throw new Error(`${name}: invalid activity result: ${describeIssues(parsedResult.error.issues)}`);
  return parsedResult.data as z.output<Result>;
}

function serviceHoursOf(options: RunActivityOptions): () => Promise<ServiceHours | undefined> {
  if (!('serviceHours' in options)) return () => notProvided('serviceHours');
  const given = options.serviceHours;
  if (typeof given === 'function') return given;
  return async () => given ?? undefined;
}

function notProvided(service: string): Promise<never> {
  return Promise.reject(new Error(`${service} was not provided in this test; pass it to runActivity`));
}

/** An `LlmClient` that answers with the given responses in order and records every request. */
export function fakeLlm(...responses: (Partial<LlmResponse> | Error)[]): LlmClient & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return {
    requests,
    async complete(request) {
      requests.push(request);
      const next = responses.shift();
      if (next === undefined) throw new Error(`fakeLlm: no response left for request ${requests.length}`);
      if (next instanceof Error) throw next;
      return { text: next.text ?? '', toolCalls: next.toolCalls ?? [] };
    },
  };
}

/** An `HttpClient` that answers with `respond` and records every request. */
export function fakeHttp(
  respond: (request: HttpRequest) => Partial<HttpResponse> | Promise<Partial<HttpResponse>>,
): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      const answer = await respond(request);
      return { status: answer.status ?? 200, headers: answer.headers ?? {}, body: answer.body ?? '' };
    },
  };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      return `${path.length ? path.join('.') : '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
