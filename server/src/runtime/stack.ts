import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createConversationClient } from '@baton/engine/client';
import { findTemporalCli, startDevServer, type DevServer } from '@baton/engine/dev-server';
import { createConversationWorker, createOpenAiLlm, createSafeHttpClient, workerMemoryMiB, workflowCacheSize } from '@baton/engine/worker';
import { builtinNodes, createRegistry } from '@baton/nodes';
import { builtinActivities } from '@baton/nodes/activities';
import { loadNodePackages, nodePackageSpecs } from '@baton/nodes/loader';
import { createApp, createServices, type Services } from '../app.js';
import type { Config } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { createDbEngineDeps } from '../engine-adapter/engine-deps.js';
import { ConversationEvents } from '../features/conversations/conversation-events.js';
import type { Logger } from '../log.js';
import { createSecretBox, loadSecretKey } from '../security/secret-box.js';
import { createDraftReply } from '../handoff/draft-reply.js';
import { createHandoffGateway } from '../handoff/handoff-gateway.js';

export const DEFAULT_EDITOR_DIR = fileURLToPath(new URL('../../../editor/dist', import.meta.url));

/**
 * The embedded dev server's settings for a single machine (measured with `pnpm bench`, see
 * docs/benchmarks.md): SQLite in WAL mode with `synchronous=NORMAL`, as Baton's own database (a
 * crash of the process loses nothing; a power cut may lose the last moments, never corrupts), and
 * eager activity execution (the worker that schedules an activity starts it at once, without a
 * round trip through the task queue).
 */
const EMBEDDED_TEMPORAL_TUNING = {
  sqlitePragmas: { journal_mode: 'wal', synchronous: 'normal' },
  dynamicConfig: { 'system.enableActivityEagerExecution': true },
};

export interface StackOptions {
  /** Serve the HTTP API (and the editor). */
  api: boolean;
  /** Run a worker for conversations in this process. */
  worker: boolean;
  log: Logger;
  editorDir?: string;
}

export interface RunningStack {
  url: string | undefined;
  port: number | undefined;
  temporalAddress: string;
  db: Db;
  services: Services;
  stop(): Promise<void>;
}

/**
 * Brings Baton up in this process: the database (migrated), Temporal (a dev server with its
 * state in the data folder, unless TEMPORAL_ADDRESS names a cluster), a worker, and the HTTP
 * server. `api` and `worker` split it into processes for scale-out.
 */
export async function startStack(config: Config, options: StackOptions): Promise<RunningStack> {
  const { log } = options;
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.error('error while stopping', error);
      }
    }
  };
  installTemporalLogging(log);
  try {
    mkdirSync(config.dataDir, { recursive: true });
    const db = openDatabase(path.join(config.dataDir, 'baton.db'));
    cleanups.push(() => {
      db.$client.close();
    });
    const secretBox = createSecretBox(loadSecretKey(config.dataDir, config.BATON_SECRET_KEY));
    // Node packages from baton.config.json / BATON_NODE_PACKAGES: the same list for the API and the worker.
    const { specs, baseDir } = nodePackageSpecs();
    const custom = await loadNodePackages(specs, baseDir);
    const registry = createRegistry([...builtinNodes, ...custom.definitions], custom.sourceOf);
    if (custom.packages.length) log.info('node packages loaded', { packages: custom.packages.map((p) => p.name), nodes: custom.definitions.length });

    let devServer: DevServer | undefined;
    let temporalAddress = config.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      if (!options.worker || !options.api) {
        throw new Error('Set TEMPORAL_ADDRESS to run the API and the worker as separate processes (they must share one Temporal).');
      }
      const cliPath = await findTemporalCli({ env: config.TEMPORAL_CLI_PATH ? { ...process.env, TEMPORAL_CLI_PATH: config.TEMPORAL_CLI_PATH } : process.env });
      log.info('starting the embedded Temporal dev server', { db: path.join(config.dataDir, 'temporal.db') });
      devServer = await startDevServer({
        cliPath,
        dbFile: path.join(config.dataDir, 'temporal.db'),
        namespace: config.TEMPORAL_NAMESPACE,
        ...EMBEDDED_TEMPORAL_TUNING,
      });
      cleanups.push(() => devServer!.stop());
      temporalAddress = devServer.address;
    }
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const engine = createConversationClient(client, { taskQueue: config.BATON_TASK_QUEUE });
    const events = new ConversationEvents();
    const deps = {
      db,
      registry,
      engine,
      events,
      secretBox,
      log,
      ...(config.BATON_API_TOKEN ? { apiToken: config.BATON_API_TOKEN } : {}),
      checkTemporal: async () => {
        const health = await connection.withDeadline(Date.now() + 2000, () => connection.healthService.check({}));
        return health.status === 1;
      },
      editorDir: options.editorDir ?? DEFAULT_EDITOR_DIR,
    };
    const services = createServices(deps);

    if (options.worker) {
      const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
      cleanups.push(() => nativeConnection.close());
      const store = createDbEngineDeps(services.bots, services.projection);
      const llm = createOpenAiLlm({
        ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
        ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
        ...(config.OPENAI_MODEL ? { defaultModel: config.OPENAI_MODEL } : {}),
      });
      // Bounded by default: from the memory the worker is given (docs/operations.md, sizing).
      const memory = workerMemoryMiB(config.BATON_WORKER_MEMORY_MB);
      const cacheSize = config.BATON_WORKFLOW_CACHE_SIZE ?? workflowCacheSize(memory.mib);
      log.info('worker cache', {
        conversations: cacheSize,
        ...(config.BATON_WORKFLOW_CACHE_SIZE === undefined ? { fromMemoryMiB: memory.mib, memorySource: memory.source } : { source: 'BATON_WORKFLOW_CACHE_SIZE' }),
      });
      const worker: Worker = await createConversationWorker({
        connection: nativeConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.BATON_TASK_QUEUE,
        deps: {
          flows: store,
          registry,
          conversations: store,
          bots: store,
          secrets: { get: async (botId, name) => services.bots.secret(botId, name) },
          llm,
          handoff: createHandoffGateway({
            db,
            bots: services.bots,
            projection: services.projection,
            log,
            draftReply: createDraftReply({ db, bots: services.bots, llm, projection: services.projection }),
          }),
          http: createSafeHttpClient({ allowPrivateNetworks: config.BATON_HTTP_ALLOW_PRIVATE, allowedHosts: config.BATON_HTTP_ALLOWED_HOSTS }),
          nodeActivities: [...builtinActivities, ...custom.activities],
        },
        customNodeModules: custom.stepModules,
        // An activity that ignores its cancellation signal must not hold a shutdown forever.
        tuning: {
          shutdownGraceTime: '10 seconds',
          maxCachedWorkflows: cacheSize,
        },
      });
      const running = worker.run();
      running.catch((error: unknown) => log.error('the worker stopped', error));
      cleanups.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      });
    }

    let url: string | undefined;
    let port: number | undefined;
    if (options.api) {
      const owner = await services.auth.ensureOwner(config.BATON_OWNER_EMAIL, config.BATON_OWNER_PASSWORD);
      const app = createApp(deps, services);
      const server = await new Promise<Server>((resolve) => {
        const started = serve({ fetch: app.fetch, port: config.PORT, hostname: config.BATON_HOST }, () => resolve(started as Server));
      });
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            // Event streams never end by themselves.
            server.closeAllConnections();
          }),
      );
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : config.PORT;
      url = config.BATON_PUBLIC_URL ?? `http://${config.BATON_HOST === '0.0.0.0' ? 'localhost' : config.BATON_HOST}:${port}`;
      if (owner.generatedPassword) {
        log.info(`created the owner account: log in at ${url} as ${owner.email} with password ${owner.generatedPassword} (shown once; change it, or set BATON_OWNER_PASSWORD)`);
      } else if (owner.created) {
        log.info(`created the owner account ${owner.email} (password from BATON_OWNER_PASSWORD)`);
      }
    }
    return { url, port, temporalAddress, db, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

let temporalLoggingInstalled = false;

/** The SDK's lifecycle chatter stays out of the logs (its warnings and errors come through ours), and it leaves signals to us. */
function installTemporalLogging(log: Logger): void {
  if (temporalLoggingInstalled) return;
  temporalLoggingInstalled = true;
  try {
    Runtime.install({
      // The process decides when to stop (bin/baton.ts): in-flight activities finish first.
      shutdownSignals: [],
      logger: new DefaultLogger('WARN', (entry) =>
        entry.level === 'ERROR' ? log.error(entry.message, undefined, entry.meta) : log.warn(entry.message, entry.meta),
      ),
    });
  } catch {
    // Already installed by the embedding process (tests, benchmarks): keep theirs.
  }
}
