// Golden conversation transcripts (see README.md): every cases/*.transcript.json runs on the real
// engine (Temporal dev server, a real worker), with the LLM, the business API and the handoff
// gateway answered by local fakes, and must produce exactly the transcript it describes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtinNodes, createRegistry, getVariable, validateFlow, type FlowDocumentInput, type Json, type JsonObject } from '@baton/nodes';
import { conversationWorkflowId, type ConversationInput, type ConversationOutcome } from '@baton/engine/client';
import type { HandoffActivityInput, HandoffContext, HandoffGateway, HandoffStart } from '@baton/engine/worker';
import { startBusinessApi, type BusinessApi } from '../fakes/business-api.js';
import { startFakeOpenAI, type FakeOpenAI, type ScriptedReply } from '../fakes/openai/fake-openai.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { assertMessages, describeStep, transcriptSchema, TranscriptMismatch, type HandoffAnswer, type Transcript } from './transcript.js';

const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
/** Bound on every wait of the runner; the slowest case path (a 5 s handoff wait) stays far below it. */
const WAIT_MS = 20_000;

// Cases run concurrently on shared workers; the default bound of 5 would serialise the slow ones.
vi.setConfig({ maxConcurrency: 32 });

interface LoadedCase {
  name: string;
  transcript?: Transcript;
  flowText?: string;
  /** A transcript or flow that cannot be read: the case fails with this. */
  problem?: string;
}

function loadCases(): LoadedCase[] {
  return readdirSync(casesDir)
    .filter((file) => file.endsWith('.transcript.json'))
    .sort()
    .map((file): LoadedCase => {
      const name = file.slice(0, -'.transcript.json'.length);
      try {
        const parsed = transcriptSchema.safeParse(JSON.parse(readFileSync(path.join(casesDir, file), 'utf8')));
        if (!parsed.success) return { name, problem: `${file} is not a valid transcript:\n${formatIssues(parsed.error.issues)}` };
        return { name, transcript: parsed.data, flowText: readFileSync(path.join(casesDir, parsed.data.flow), 'utf8') };
      } catch (error) {
        return { name, problem: `${file}: ${String(error)}` };
      }
    });
}

function formatIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** The handoff gateway of the scripted engine: each conversation answers from its own script. */
class ScriptedGateway implements HandoffGateway {
  private readonly scripts = new Map<string, { answers: HandoffAnswer[]; requests: HandoffActivityInput[] }>();

  script(conversationId: string, answers: HandoffAnswer[]): HandoffActivityInput[] {
    const requests: HandoffActivityInput[] = [];
    this.scripts.set(conversationId, { answers, requests });
    this.told.set(conversationId, []);
    return requests;
  }

  /** What the humans' side was told, per conversation: `relay: <text>`, `close: <reason>`, `reroute`. */
  readonly told = new Map<string, string[]>();

  async request(input: HandoffActivityInput): Promise<HandoffStart> {
    const entry = this.scripts.get(input.conversation.id);
    if (!entry) throw new Error(`no handoff script for conversation ${input.conversation.id}`);
    entry.requests.push(input);
    // More requests than scripted fail the case's request count check; answer something harmless.
    const answer = entry.answers[entry.requests.length - 1] ?? 'unavailable';
    return typeof answer === 'string' ? ({ outcome: answer } as HandoffStart) : answer;
  }

  private tell(conversationId: string, line: string): void {
    this.told.set(conversationId, [...(this.told.get(conversationId) ?? []), line]);
  }

  async relay(input: HandoffContext & { messages: { id: string; text: string }[] }): Promise<void> {
    for (const message of input.messages) this.tell(input.conversation.id, `relay: ${message.text}`);
  }

  async close(input: HandoffContext & { reason: string }): Promise<void> {
    this.tell(input.conversation.id, `close: ${input.reason}`);
  }

  async reroute(input: HandoffContext): Promise<void> {
    this.tell(input.conversation.id, 'reroute');
  }
}

/** Cases that talk to the LLM take turns on the one fake, so each sees only its own requests and replies. */
let llmTurn: Promise<void> = Promise.resolve();
function exclusiveLlm<T>(fn: () => Promise<T>): Promise<T> {
  const run = llmTurn.then(fn);
  llmTurn = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/**
 * Replaces `$CONVERSATION_ID`, `$BOT_ID`, `$BUSINESS_API` in expected values, `$ANY_STRING` by a
 * matcher, and `$ABSENT` by `undefined` (JSON cannot say "not set").
 */
function expand(value: Json, names: Record<string, string>): unknown {
  if (typeof value === 'string') {
    if (value === '$ANY_STRING') return expect.any(String);
    if (value === '$ABSENT') return undefined;
    return value.replace(/\$(CONVERSATION_ID|BOT_ID|BUSINESS_API)\b/g, (_m, key: string) => names[key] ?? _m);
  }
  if (Array.isArray(value)) return value.map((v) => expand(v, names));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, names)]));
  return value;
}

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`)), WAIT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function usesLlm(t: Transcript, flowText: string): boolean {
  return t.llm !== undefined || /"type"\s*:\s*"llm_reply"/.test(flowText);
}

const cases = loadCases();
const registry = createRegistry(builtinNodes);

describe.concurrent('golden conversation transcripts', () => {
  let llm: FakeOpenAI;
  const gateway = new ScriptedGateway();
  /** Its handoff gateway answers from each transcript's script. */
  let scripted: EngineHarness;
  /** No handoff gateway: the engine's own default answers. */
  let plain: EngineHarness;

  beforeAll(async () => {
    llm = await startFakeOpenAI();
    const options = { llm: { baseURL: llm.baseURL, apiKey: llm.apiKey } };
    [scripted, plain] = await Promise.all([startEngine({ ...options, deps: { handoff: gateway } }), startEngine(options)]);
  });
  afterAll(async () => {
    await Promise.all([scripted?.stop(), plain?.stop()]);
    await llm?.close();
  });

  for (const loaded of cases) {
    it(loaded.name, async () => {
      if (!loaded.transcript || loaded.flowText === undefined) throw new Error(loaded.problem);
      const transcript = loaded.transcript;
      const run = () => runCase(loaded.name, transcript, loaded.flowText!, transcript.handoff ? scripted : plain, llm, gateway);
      await (usesLlm(transcript, loaded.flowText) ? exclusiveLlm(run) : run());
    });
  }
});

async function runCase(
  name: string,
  t: Transcript,
  flowText: string,
  engine: EngineHarness,
  llm: FakeOpenAI,
  gateway: ScriptedGateway,
): Promise<void> {
  const api: BusinessApi | undefined = t.api ? await startBusinessApi({ orders: t.api.orders }) : undefined;
  let started: string | undefined;
  try {
    for (const failure of t.api?.failures ?? []) api!.fail(failure.method, failure.path, failure.status, failure.times);
    const botId = `${name}-${Math.random().toString(36).slice(2, 8)}`;
    const flow: unknown = JSON.parse(api ? flowText.replaceAll('$BUSINESS_API', api.baseUrl) : flowText);
    const errors = validateFlow(flow, registry).filter((issue) => issue.severity === 'error');
    expect(errors, `${name}: the flow must be publishable`).toEqual([]);
    engine.store.publish(botId, 1, flow as FlowDocumentInput);
    if (t.serviceHours) engine.store.setServiceHours(botId, t.serviceHours);

    const input: ConversationInput = engine.input(botId, 1, {
      ...(t.user ? { user: t.user } : {}),
      ...(t.vars ? { vars: t.vars as JsonObject } : {}),
    });
    const id = input.conversation.id;
    started = id;
    const names = { CONVERSATION_ID: id, BOT_ID: botId, BUSINESS_API: api?.baseUrl ?? '' };
    const handoffRequests = t.handoff ? gateway.script(id, t.handoff) : undefined;
    if (usesLlm(t, flowText)) {
      llm.reset();
      llm.enqueue(...(t.llm ?? []).map((reply) => reply as ScriptedReply));
      // An unscripted request is a mistake of the case: fail it at once, visibly.
      llm.setResponder(() => ({ error: { status: 400, message: 'golden: no scripted LLM reply left for this request' } }));
    }

    const store = engine.store;
    const actual = (): string[] => store.botTexts(id);
    const expected: string[] = [];
    await runConversation(name, t, engine, input, expected, actual);

    // ---- the end state
    let vars: JsonObject;
    if (t.end.status === 'closed') {
      const outcome = await within(
        engine.temporal.client.workflow.getHandle(conversationWorkflowId(id)).result() as Promise<ConversationOutcome>,
        `${name}: the conversation to end`,
      );
      expect(store.lastStatus(id), `${name}: last recorded status`).toBe('closed');
      if (t.end.ended) expect(outcome.ended, `${name}: why the conversation ended`).toBe(t.end.ended);
      vars = store.records.filter((r) => r.conversation.id === id).at(-1)?.vars ?? {};
    } else {
      await store.waitFor(() => store.lastStatus(id) === t.end.status, WAIT_MS, `${name}: status ${t.end.status}`).catch((error: unknown) => {
        throw new TranscriptMismatch(`${String(error)}; recorded statuses: ${JSON.stringify(store.statuses.get(id) ?? [])}`);
      });
      const snapshot = await engine.conversations.snapshot(id);
      expect(snapshot?.status, `${name}: status (snapshot)`).toBe(t.end.status);
      expect(snapshot?.ended, `${name}: a running conversation has not ended`).toBeUndefined();
      if (t.end.nodeId !== undefined) expect(snapshot?.nodeId, `${name}: where the conversation waits`).toBe(t.end.nodeId);
      vars = snapshot?.vars ?? {};
    }

    // ---- the whole transcript: every expected message once, in order, nothing else
    assertMessages(`${name}: the whole recorded transcript`, expected, actual());
    const messages = store.transcripts.get(id) ?? [];
    if (!t.redeliveryAllowed) {
      const redelivered = messages.filter((m) => (store.deliveries.get(m.id) ?? 0) !== 1).map((m) => `${m.id} ×${store.deliveries.get(m.id)}`);
      expect(redelivered, `${name}: bot messages delivered more than once`).toEqual([]);
    }
    for (const [variable, value] of Object.entries(t.end.vars ?? {})) {
      expect(getVariable(vars, variable), `${name}: variable ${variable}`).toEqual(expand(value, names));
    }

    // ---- what the fakes received
    if (usesLlm(t, flowText)) {
      const requests = llm.requests.map((r) => r.body);
      expect(requests.length, `${name}: LLM requests made (each scripted reply used once, none unscripted)`).toBe(t.llm?.length ?? 0);
      (t.llmRequests ?? []).forEach((check, k) => {
        const body = requests[k]!;
        const [system, ...rest] = body.messages;
        const label = `${name}: LLM request ${k + 1}`;
        expect(system?.role, `${label}: first message`).toBe('system');
        if (check.model !== undefined) expect(body.model, `${label}: model`).toBe(check.model);
        if (check.system !== undefined) expect(system?.content, `${label}: system message`).toBe(check.system);
        const conversation = rest.map((m) => ({ role: m.role, content: m.content }));
        if (check.messages !== undefined) expect(conversation, `${label}: messages`).toEqual(check.messages);
        if (check.messageCount !== undefined) expect(conversation.length, `${label}: message count`).toBe(check.messageCount);
        const tools = body.tools ?? [];
        if (check.tools !== undefined) expect(tools.map((tool) => tool.function.name), `${label}: tools offered`).toEqual(check.tools);
        if (check.toolDescriptionContains !== undefined) {
          expect(tools.length, `${label}: tools offered`).toBeGreaterThan(0);
          for (const tool of tools) expect(tool.function.description, `${label}: tool description`).toContain(check.toolDescriptionContains);
        }
      });
    }
    if (handoffRequests && t.handoff) {
      expect(handoffRequests.length, `${name}: handoff requests (one per scripted outcome)`).toBe(t.handoff.length);
      (t.handoffRequests ?? []).forEach((check, k) => {
        const request = handoffRequests[k]!;
        const label = `${name}: handoff request ${k + 1}`;
        if (check.nodeId !== undefined) expect(request.nodeId, `${label}: node`).toBe(check.nodeId);
        if (check.target !== undefined) expect(request.request.target, `${label}: target`).toMatchObject(expand(check.target, names) as object);
        if (check.waitTimeoutSeconds !== undefined) expect(request.request.waitTimeoutSeconds, `${label}: wait timeout`).toBe(check.waitTimeoutSeconds);
        if (check.historyRounds !== undefined) expect(request.request.historyRounds, `${label}: history rounds`).toBe(check.historyRounds);
        if (check.history !== undefined) expect(request.history, `${label}: history`).toEqual(check.history);
        if (check.user !== undefined) expect(request.user, `${label}: user`).toMatchObject(expand(check.user, names) as object);
      });
    }
    if (t.told) {
      // Relays run after the user's message was answered: give the last ones time to arrive.
      const told = () => gateway.told.get(id) ?? [];
      await store.waitFor(() => told().length >= t.told!.length, WAIT_MS, 'what the humans were told').catch(() => undefined);
      assertMessages(`${name}: what the humans' side was told`, t.told, told());
    }
    if (api && t.apiRequests !== undefined) {
      const seen = api.requests.map((r) => ({ method: r.method, path: r.path, status: r.status, headers: r.headers, body: r.body }));
      const wanted = t.apiRequests.map((r) => ({
        method: r.method,
        path: r.path,
        ...(r.status === undefined ? {} : { status: r.status }),
        ...(r.headers === undefined ? {} : { headers: expand(r.headers, names) }),
        ...(r.body === undefined ? {} : { body: expand(r.body, names) }),
      }));
      expect(seen, `${name}: requests to the business API`).toMatchObject(wanted);
    }
    if (api && t.apiRecords !== undefined) {
      expect(api.records, `${name}: end-of-conversation records received`).toMatchObject(t.apiRecords.map((r) => expand(r, names)) as object[]);
    }
  } finally {
    // Leave nothing running on the shared server, also when the case failed half-way.
    if (started !== undefined) {
      await engine.temporal.client.workflow.getHandle(conversationWorkflowId(started)).terminate('golden case done').catch(() => undefined);
    }
    await api?.close();
  }
}

async function runConversation(
  name: string,
  t: Transcript,
  engine: EngineHarness,
  input: ConversationInput,
  expected: string[],
  actual: () => string[],
): Promise<void> {
  const { conversations, store } = engine;
  const id = input.conversation.id;
  await conversations.start(input);
  for (const [index, s] of t.steps.entries()) {
    const where = `${name}, step ${index + 1} (${describeStep(s)})`;
    if ('user' in s) {
      const reply = await conversations.sendAndWait(input, { id: s.id ?? `${id}-u${index + 1}`, text: s.user }, { timeoutMs: WAIT_MS });
      if (reply.status === 'pending') throw new TranscriptMismatch(`${where}: no answer within ${WAIT_MS} ms`);
      const texts = reply.replies.map((r) => r.text);
      // A redelivered id is answered by Temporal's update deduplication (the first answer again) or,
      // when the server no longer holds that update, by the workflow's own ("duplicate", nothing).
      if (s.repeat && reply.status === 'duplicate' && texts.length === 0) continue;
      if (reply.status !== s.reply) {
        throw new TranscriptMismatch(`${where}: the engine answered "${reply.status}" (expected "${s.reply}") with:\n${texts.map((x) => `    ${JSON.stringify(x)}`).join('\n')}`);
      }
      assertMessages(`${where}: the bot's answer`, s.bot, texts);
      if (s.conversationStatus) expect(reply.conversationStatus, `${where}: conversation status`).toBe(s.conversationStatus);
      if (!s.repeat) expected.push(...s.bot);
      // What the update answered was recorded first; later messages may already follow it.
      assertMessages(`${where}: the recorded transcript so far`, expected, actual().slice(0, expected.length));
    } else if ('send' in s) {
      await conversations.send(input, { id: s.id ?? `${id}-u${index + 1}`, text: s.send });
    } else if ('expectBot' in s) {
      expected.push(...s.expectBot);
      // Stop waiting as soon as a message differs: the diff says more than a timeout.
      const consistent = () => actual().every((text, k) => k >= expected.length || text === expected[k]);
      await store.waitFor(() => actual().length >= expected.length || !consistent(), WAIT_MS, 'bot messages').catch(() => undefined);
      assertMessages(`${where}: the recorded transcript so far`, expected, actual().slice(0, expected.length));
    } else if ('waitStatus' in s) {
      await store.waitFor(() => store.lastStatus(id) === s.waitStatus, WAIT_MS, s.waitStatus).catch(() => {
        throw new TranscriptMismatch(`${where}: the status never became "${s.waitStatus}"; recorded: ${JSON.stringify(store.statuses.get(id) ?? [])}`);
      });
    } else if ('takeover' in s) {
      await conversations.takeover(id, s.agentId);
    } else if ('agent' in s) {
      await conversations.agentMessage(id, { id: `${id}-a${index + 1}`, text: s.agent });
    } else if ('handBack' in s) {
      await conversations.handBack(id);
    } else if ('requestHuman' in s) {
      await conversations.requestHuman(id);
    } else if ('leaveHumans' in s) {
      await conversations.leaveHumans(id);
    } else if ('setUser' in s) {
      await conversations.setUser(id, s.setUser);
    } else if ('pauseMs' in s) {
      await new Promise((resolve) => setTimeout(resolve, s.pauseMs));
    } else {
      await conversations.close(id, s.close);
    }
  }
}
