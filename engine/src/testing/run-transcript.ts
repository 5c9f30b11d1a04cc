import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import {
  builtinNodes,
  createRegistry,
  flowDocumentSchema,
  nodeKey,
  pinFlow,
  validateFlow,
  type AnyNodeDefinition,
  type FlowDocument,
  type FlowDocumentInput,
  type HttpClient,
  type JsonObject,
  type LlmClient,
  type NodeRegistry,
  type ServiceHours,
} from '@baton/nodes';
import { builtinActivities, type NodeActivity } from '@baton/nodes/activities';
import { createSafeHttpClient, type EngineDeps } from '../activities/index.js';
import { ConversationClosedError, createConversationClient, type ConversationInput, type ConversationStatus } from '../client/index.js';
import { conversationWorkflowId } from '../config.js';
import { findTemporalCli, startDevServer, type DevServer } from '../dev-server/index.js';
import type { EndReason, InitialUser } from '../interpreter/index.js';
import { bundleConversationWorkflows, createConversationWorker } from '../worker/index.js';
import { MemoryStore } from './memory-store.js';

/** One step of a scripted conversation. */
export type TranscriptStep =
  /** The user says this; the step's replies are the bot's answer to the turn. */
  | { user: string }
  /** Bot messages that come without a user turn (the greeting, after a timeout): exactly these, in order. */
  | { expectBot: string[] };

export interface TranscriptOptions {
  /** The flow to run, as the editor saves it. It is validated, then published like Baton does (versions pinned). */
  flow: FlowDocumentInput;
  /**
   * Your node definitions. Activity-only ones (`defineActivityNode`) run from their published
   * descriptor, as in production; nodes with their own `step` must also be listed in `nodeModules`
   * so they can be bundled into the workflow.
   */
  nodes?: readonly AnyNodeDefinition[];
  /** Absolute paths of modules exporting `nodes` (your package's root module): bundled with the workflows, like Baton's worker does. */
  nodeModules?: readonly string[];
  /** Your activity halves (`implementActivity`); the built-in ones are always there. Their definitions count as `nodes`. */
  activities?: readonly NodeActivity[];
  /** The LLM client for nodes that use one (`fakeLlm` from `@baton/nodes/testing`); without it, calls fail. */
  llm?: LlmClient;
  /** Outbound HTTP for activities (`fakeHttp`, or a real client); defaults to the SSRF-safe client, allowing 127.0.0.1 for local fakes. */
  http?: HttpClient;
  /** The bot's secrets by name, as `ctx.secrets.get(name)` returns them. */
  secrets?: Record<string, string>;
  /** The bot's calendar, for `check_service_hours`. */
  serviceHours?: ServiceHours;
  /** Who the user is, as a channel would say (`user.email`, `user.name` variables). */
  user?: InitialUser;
  /** Variables known before the first message. */
  vars?: JsonObject;
  /**
   * A Temporal server (`host:port`). Defaults to `BATON_TEST_TEMPORAL_ADDRESS`, then
   * `TEMPORAL_ADDRESS`; without either, a dev server is started once per process and killed when
   * the process exits.
   */
  temporalAddress?: string;
  /** How long to wait for the bot, per step (ms). Default 20 000: enough for a few activity retries. */
  timeoutMs?: number;
}

export interface TranscriptState {
  /** Who has the conversation: `bot`, `queued` (waiting for a human), `agent` or `closed`. */
  status: ConversationStatus;
  vars: JsonObject;
  /** Why it ended, once it has. */
  ended?: EndReason;
  /** The node the conversation is at, while it runs. */
  nodeId?: string;
}

/** A conversation running on the real engine, driven by the test. */
export interface TranscriptRun {
  readonly conversationId: string;
  /** The user says `text` (once the bot waits for them); resolves with the bot's answer to that turn. */
  say(text: string): Promise<string[]>;
  /**
   * Bot messages that came without a user turn and were not returned yet (the greeting, what a
   * timeout says): waits for at least `count` of them (default 1) and for the bot to settle.
   */
  botMessages(count?: number): Promise<string[]>;
  /** Everything said so far: `bot: …` and `user: …` lines, in order. */
  transcript(): string[];
  /** Where the conversation stands, from the workflow itself. */
  state(): Promise<TranscriptState>;
  /** Stops the worker and ends the conversation if it still runs. Always call it (in `finally` or `afterEach`). */
  stop(): Promise<void>;
}

/** What a scripted run (`steps`) returns. */
export interface TranscriptResult extends TranscriptState {
  /** Everything said: `bot: …` and `user: …` lines, in order. */
  transcript: string[];
  /** Per step: the bot's answer to a `user` step, the messages of an `expectBot` step. */
  replies: string[][];
}

const BOT_ID = 'bot';

/**
 * Runs a flow that uses your nodes on the real engine: a Temporal server (see `temporalAddress`),
 * a worker with your activities and in-memory dependencies, one conversation. Nodes run exactly
 * as in Baton: config parsed by your schema, activity input and result checked, retries, timeouts
 * and error ports. Node-only (it starts processes and workers).
 *
 * With `steps`, it plays them, stops everything and returns the transcript, the replies of each
 * step, the variables and how the conversation ended; an `expectBot` step that does not match
 * throws. Without `steps`, it returns a {@link TranscriptRun} to drive yourself — call `stop()`.
 *
 * @example
 * import { runTranscript } from '@baton/engine/testing';
 * import { fakeHttp } from '@baton/nodes/testing';
 * import { activities } from '@baton-examples/order-status/activities';
 *
 * const run = await runTranscript({
 *   activities,
 *   flow,                                                        // start → hello → wait (saveAs order_id) → order_status → end
 *   http: fakeHttp(() => ({ status: 200, body: '{"status":"shipped"}' })),
 * });
 * try {
 *   expect(await run.botMessages()).toEqual(['Hi! What is your order number?']);
 *   expect(await run.say('42')).toEqual(['Your order 42 is shipped.', 'Anything else? Bye!']);
 *   expect((await run.state()).vars).toMatchObject({ order: { status: 'shipped' } });
 * } finally {
 *   await run.stop();
 * }
 *
 * // or scripted:
 * const result = await runTranscript({ activities, flow, http, steps: [{ expectBot: ['Hi! What is your order number?'] }, { user: '42' }] });
 * // result.replies[1] → ['Your order 42 is shipped.', 'Anything else? Bye!'], result.ended → 'completed'
 */
export async function runTranscript(options: TranscriptOptions & { steps: readonly TranscriptStep[] }): Promise<TranscriptResult>;
export async function runTranscript(options: TranscriptOptions & { steps?: undefined }): Promise<TranscriptRun>;
export async function runTranscript(options: TranscriptOptions & { steps?: readonly TranscriptStep[] | undefined }): Promise<TranscriptResult | TranscriptRun> {
  const run = await startTranscript(options);
  if (!options.steps) return run;
  try {
    const replies: string[][] = [];
    for (const step of options.steps) {
      if ('user' in step) {
        replies.push(await run.say(step.user));
      } else {
        const got = await run.botMessages(step.expectBot.length);
        if (JSON.stringify(got) !== JSON.stringify(step.expectBot)) {
          throw new Error(`runTranscript: expected the bot to say ${JSON.stringify(step.expectBot)}, it said ${JSON.stringify(got)}\n${run.transcript().join('\n')}`);
        }
        replies.push(got);
      }
    }
    return { ...(await run.state()), transcript: run.transcript(), replies };
  } finally {
    await run.stop();
  }
}

async function startTranscript(options: TranscriptOptions): Promise<TranscriptRun> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const moduleNodes = await importNodeModules(options.nodeModules ?? []);
  const bundled = [...builtinNodes, ...moduleNodes];
  // Like Baton, a node that takes the type@version of a built-in is refused.
  const custom = unique([...moduleNodes, ...(options.nodes ?? []), ...(options.activities ?? []).map((a) => a.definition)]);
  const registry = createRegistry([...builtinNodes, ...custom], (d) => (builtinNodes.includes(d) ? 'the built-in nodes' : 'your nodes'));
  const nodeActivities = unique([...builtinActivities, ...(options.activities ?? [])], (a) => a.definition);
  const flow = publishable(options.flow, registry, new Set(bundled.map((d) => nodeKey(d.type, d.version))), nodeActivities);

  const store = new MemoryStore();
  store.publish(BOT_ID, 1, flow);
  if (options.serviceHours) store.setServiceHours(BOT_ID, options.serviceHours);
  const secrets = options.secrets ?? {};
  const deps: EngineDeps = {
    flows: store,
    registry,
    conversations: store,
    bots: store,
    secrets: { get: async (_botId, name) => secrets[name] },
    llm: options.llm ?? { complete: () => Promise.reject(new Error('the flow called the LLM, but runTranscript was given no `llm`')) },
    http: options.http ?? createSafeHttpClient({ allowedHosts: ['127.0.0.1'] }),
    nodeActivities,
  };

  quietTemporalLogs();
  const address = await temporalAddress(options.temporalAddress);
  const [connection, nativeConnection, workflowBundle] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
    bundleFor(options.nodeModules ?? []),
  ]);
  const taskQueue = `transcript-${randomUUID().slice(0, 8)}`;
  let worker: Worker;
  try {
    worker = await createConversationWorker({ connection: nativeConnection, deps, taskQueue, workflowBundle });
  } catch (error) {
    await Promise.all([connection.close(), nativeConnection.close()]);
    throw error;
  }
  const running = worker.run();
  const client = new Client({ connection });
  const conversations = createConversationClient(client, { taskQueue });
  const conversationId = `c-${randomUUID().slice(0, 8)}`;
  const input: ConversationInput = {
    conversation: { id: conversationId, botId: BOT_ID, flowVersion: 1 },
    ...(options.user ? { user: options.user } : {}),
    ...(options.vars ? { vars: options.vars } : {}),
    options: { burstWindowMs: 0 },
  };

  const lines: string[] = [];
  const logged = new Set<string>();
  const returned = new Set<string>();
  let userSeq = 0;
  let stopped = false;
  const said = () => store.transcripts.get(conversationId) ?? [];
  /** Bot messages recorded since the last look go to the transcript, in order. */
  const catchUp = (): void => {
    for (const message of said()) {
      if (logged.has(message.id)) continue;
      logged.add(message.id);
      lines.push(`bot: ${message.text}`);
    }
  };
  const deadline = (what: string) => {
    const end = Date.now() + timeoutMs;
    return () => {
      if (Date.now() > end) throw new Error(`runTranscript: timed out after ${timeoutMs} ms waiting for ${what}\n${lines.join('\n')}`);
    };
  };
  const state = async (): Promise<TranscriptState> => {
    const snapshot = await conversations.snapshot(conversationId);
    if (!snapshot) throw new Error(`runTranscript: conversation ${conversationId} is gone`);
    return {
      status: snapshot.status,
      vars: snapshot.vars,
      ...(snapshot.ended ? { ended: snapshot.ended } : {}),
      ...(snapshot.nodeId ? { nodeId: snapshot.nodeId } : {}),
    };
  };
  /** The bot has done all it can for now: it waits for the user or a human, or it is over. */
  const settled = async (): Promise<void> => {
    const check = deadline('the bot to wait for the user');
    for (;;) {
      const snapshot = await conversations.snapshot(conversationId).catch(() => undefined);
      if (snapshot && (snapshot.status !== 'bot' || snapshot.ended || snapshot.waitingFor === 'reply' || snapshot.waitingFor === 'handoff')) {
        return catchUp();
      }
      check();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  await conversations.start(input);

  return {
    conversationId,
    async say(text) {
      await settled();
      lines.push(`user: ${text}`);
      let reply;
      try {
        reply = await conversations.sendAndWait(input, { id: `${conversationId}-u${++userSeq}`, text }, { timeoutMs });
      } catch (error) {
        if (error instanceof ConversationClosedError) throw new Error(`runTranscript: the user said "${text}" after the conversation ended\n${lines.join('\n')}`);
        throw error;
      }
      if (reply.status === 'pending') throw new Error(`runTranscript: no answer to "${text}" within ${timeoutMs} ms\n${lines.join('\n')}`);
      for (const message of reply.replies) returned.add(message.id);
      catchUp();
      return reply.replies.map((m) => m.text);
    },
    async botMessages(count = 1) {
      const unread = () => said().filter((m) => !returned.has(m.id));
      await store.waitFor(() => unread().length >= count, timeoutMs, `${count} bot message(s)`);
      await settled();
      const messages = unread();
      for (const message of messages) returned.add(message.id);
      return messages.map((m) => m.text);
    },
    transcript: () => {
      catchUp();
      return [...lines];
    },
    state,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await client.workflow.getHandle(conversationWorkflowId(conversationId)).terminate('the test is over');
      } catch (error) {
        // Already finished: nothing to end.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      } finally {
        worker.shutdown();
        await running.catch(() => undefined);
        await Promise.all([connection.close(), nativeConnection.close()]);
      }
    },
  };
}

/**
 * The flow as Baton publishes it: each node pinned to a version, and activity-only nodes given
 * the descriptor the engine runs them from when their package is not in the workflow bundle.
 * Refuses, with the reasons, a flow Baton would refuse to publish.
 */
function publishable(input: FlowDocumentInput, registry: NodeRegistry, inBundle: Set<string>, activities: readonly NodeActivity[]): FlowDocument {
  const parsed = flowDocumentSchema.safeParse(input);
  if (!parsed.success) throw new Error(`runTranscript: the flow is not a flow document: ${parsed.error.message}`);
  const errors = validateFlow(parsed.data, registry).filter((issue) => issue.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`runTranscript: the flow has errors:\n${errors.map((e) => `- ${e.nodeId ? `node ${e.nodeId}: ` : ''}${e.message} (${e.code})`).join('\n')}`);
  }
  for (const node of parsed.data.nodes) {
    const definition = registry.get(node.type, node.typeVersion)!;
    const key = nodeKey(definition.type, definition.version);
    if (definition.activity && !activities.some((a) => a.definition.type === definition.type && a.definition.version === definition.version)) {
      throw new Error(`runTranscript: node "${node.id}" (${key}) has an activity: pass its implementation in \`activities\``);
    }
    if (!definition.activityOnly && !inBundle.has(key)) {
      throw new Error(`runTranscript: node "${node.id}" (${key}) has its own step, so it must be bundled: pass the module exporting it in \`nodeModules\``);
    }
  }
  return pinFlow(parsed.data, registry);
}

async function importNodeModules(modules: readonly string[]): Promise<AnyNodeDefinition[]> {
  const definitions: AnyNodeDefinition[] = [];
  for (const file of modules) {
    const exported = (await import(pathToFileURL(file).href)) as { nodes?: unknown };
    if (!Array.isArray(exported.nodes)) throw new Error(`runTranscript: ${file} must export a "nodes" list of node definitions`);
    definitions.push(...(exported.nodes as AnyNodeDefinition[]));
  }
  return definitions;
}

/** Your definitions may come from several options (a module, `nodes`, an activity): keep the first of each type@version. */
function unique<T>(items: readonly T[], definitionOf: (item: T) => AnyNodeDefinition = (item) => item as AnyNodeDefinition): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = nodeKey(definitionOf(item).type, definitionOf(item).version);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let devServer: Promise<DevServer> | undefined;

async function temporalAddress(given: string | undefined): Promise<string> {
  const address = given || process.env['BATON_TEST_TEMPORAL_ADDRESS'] || process.env['TEMPORAL_ADDRESS'];
  if (address) return address;
  // One dev server per process, shared by every run; startDevServer kills it when the process
  // exits, and it must not be what keeps the process alive.
  devServer ??= findTemporalCli()
    .then((cliPath) => startDevServer({ cliPath }))
    .then((server) => {
      server.child.unref();
      for (const stream of [server.child.stdout, server.child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
      return server;
    });
  devServer.catch(() => {
    devServer = undefined;
  });
  return (await devServer).address;
}

const bundles = new Map<string, Promise<{ code: string } | { codePath: string }>>();

/** Bundling takes seconds: once per set of node modules and process (or the test run's bundle, when there is one). */
function bundleFor(modules: readonly string[]): Promise<{ code: string } | { codePath: string }> {
  const prebuilt = process.env['BATON_TEST_WORKFLOW_BUNDLE'];
  if (modules.length === 0 && prebuilt) return Promise.resolve({ codePath: prebuilt });
  const key = [...modules].sort().join('\n');
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleConversationWorkflows({ customNodeModules: modules });
    bundles.set(key, bundle);
    bundle.catch(() => bundles.delete(key));
  }
  return bundle;
}

let logsQuieted = false;

/** The SDK's worker lifecycle chatter would drown the test output; warnings and errors still show. */
function quietTemporalLogs(): void {
  if (logsQuieted) return;
  logsQuieted = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // The test process installed its own runtime already: keep it.
  }
}
