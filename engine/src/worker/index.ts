import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type BundleOptions, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { EngineDeps } from '../activities/index.js';
import { DEFAULT_TASK_QUEUE } from '../config.js';

export * from '../activities/index.js';
export { workerMemoryMiB, workflowCacheSize } from './cache-size.js';
export type { MemorySource } from './cache-size.js';
export { DEFAULT_TASK_QUEUE, conversationWorkflowId } from '../config.js';

/** The module the worker bundles: workflow functions only. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

const customNodesModule = fileURLToPath(new URL('../workflows/custom-nodes.ts', import.meta.url));

/**
 * Webpack settings that put node packages with their own `step` into the workflow bundle: the
 * placeholder module `workflows/custom-nodes.ts` is swapped for one that imports them.
 * `modules` are absolute paths of the packages' root modules (exporting `nodes`).
 */
function withCustomNodes(modules: readonly string[]): Pick<BundleOptions, 'webpackConfigHook'> {
  if (modules.length === 0) return {};
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-custom-nodes-'));
  const generated = path.join(dir, 'custom-nodes.generated.js');
  writeFileSync(
    generated,
    `${modules.map((m, i) => `import { nodes as n${i} } from ${JSON.stringify(m)};`).join('\n')}\nexport const customNodes = [${modules.map((_, i) => `...n${i}`).join(', ')}];\n`,
  );
  return {
    webpackConfigHook: (config) => {
      config.plugins = [
        ...(config.plugins ?? []),
        {
          apply(compiler) {
            compiler.hooks.normalModuleFactory.tap('baton-custom-nodes', (factory) => {
              factory.hooks.afterResolve.tap('baton-custom-nodes', (data) => {
                if (data.createData.resource === customNodesModule) {
                  data.createData.resource = generated;
                  data.createData.userRequest = generated;
                  data.createData.request = generated;
                }
              });
            });
          },
        },
      ];
      return config;
    },
  };
}

/**
 * Bundles the workflow code once (a few seconds), to share between workers or cache on disk.
 * `customNodeModules`: node packages with their own deterministic `step` (see `withCustomNodes`).
 */
export async function bundleConversationWorkflows(options: { customNodeModules?: readonly string[] } = {}): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger, ...withCustomNodes(options.customNodeModules ?? []) });
}

export interface ConversationWorkerOptions {
  connection: NativeConnection;
  deps: EngineDeps;
  namespace?: string;
  taskQueue?: string;
  /** A prebuilt bundle; without it the worker bundles the workflows at start. */
  workflowBundle?: { code: string } | { codePath: string };
  /** Node packages with their own `step`, bundled with the workflows when no bundle is given. */
  customNodeModules?: readonly string[];
  /** Passed through to Temporal's worker (concurrency, cache size, identity…). */
  tuning?: Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxConcurrentLocalActivityExecutions'
    | 'identity'
    | 'shutdownGraceTime'
    | 'stickyQueueScheduleToStartTimeout'
    | 'workflowThreadPoolSize'
  >;
}

/** A worker that runs conversations: the workflow plus every activity, with the given dependencies. */
export async function createConversationWorker(options: ConversationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : options.customNodeModules?.length
        ? { workflowBundle: await bundleConversationWorkflows({ customNodeModules: options.customNodeModules }) }
        : { workflowsPath }),
    activities: createActivities(options.deps),
    ...options.tuning,
  });
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
  log: () => undefined,
};
