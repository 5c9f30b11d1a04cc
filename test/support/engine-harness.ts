import type { Worker } from '@temporalio/worker';
import { createConversationClient, type ConversationClient, type ConversationInput } from '@baton/engine/client';
import { createConversationWorker, createOpenAiLlm, createSafeHttpClient, type EngineDeps } from '@baton/engine/worker';
import { builtinActivities } from '@baton/nodes/activities';
import { builtinNodes, createRegistry } from '@baton/nodes';
import { MemoryStore } from './memory-store.js';
import { connectTemporal, uniqueName, workflowBundle, type TemporalConnections } from './temporal.js';

export interface EngineHarness {
  store: MemoryStore;
  conversations: ConversationClient;
  temporal: TemporalConnections;
  taskQueue: string;
  /** A conversation input on `botId`'s flow `version`, with a fresh id. */
  input(botId: string, version?: number, extra?: Partial<ConversationInput>): ConversationInput;
  stop(): Promise<void>;
}

export interface EngineHarnessOptions {
  /** Overrides of the engine dependencies (LLM, HTTP, handoff…); the store provides the rest. */
  deps?: Partial<EngineDeps>;
  /** OpenAI-compatible endpoint for the default LLM client. */
  llm?: { baseURL: string; apiKey: string };
}

/** A real worker on the shared dev server, on its own task queue, with in-memory dependencies. */
export async function startEngine(options: EngineHarnessOptions = {}): Promise<EngineHarness> {
  const temporal = await connectTemporal();
  const store = new MemoryStore();
  const taskQueue = uniqueName('engine');
  const deps: EngineDeps = {
    flows: store,
    registry: createRegistry(builtinNodes),
    conversations: store,
    bots: store,
    llm: createOpenAiLlm(options.llm ?? {}),
    // Fakes of business systems listen on 127.0.0.1; production refuses it unless allowed.
    http: createSafeHttpClient({ allowedHosts: ['127.0.0.1'] }),
    nodeActivities: builtinActivities,
    ...options.deps,
  };
  const worker: Worker = await createConversationWorker({
    connection: temporal.nativeConnection,
    deps,
    taskQueue,
    workflowBundle: workflowBundle(),
  });
  const running = worker.run();
  return {
    store,
    conversations: createConversationClient(temporal.client, { taskQueue }),
    temporal,
    taskQueue,
    input: (botId, version = 1, extra = {}) => ({
      conversation: { id: uniqueName('c'), botId, flowVersion: version },
      options: { burstWindowMs: 0 },
      ...extra,
    }),
    async stop() {
      worker.shutdown();
      await running;
      await temporal.close();
    },
  };
}
