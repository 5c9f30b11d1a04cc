import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import type { EngineDeps } from '../activities/index.js';
import { DEFAULT_TASK_QUEUE } from '../config.js';

export * from '../activities/index.js';
export { DEFAULT_TASK_QUEUE, conversationWorkflowId } from '../config.js';

/** The module the worker bundles: workflow functions only. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles the workflow code once (a few seconds), to share between workers or cache on disk. */
export async function bundleConversationWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

export interface ConversationWorkerOptions {
  connection: NativeConnection;
  deps: EngineDeps;
  namespace?: string;
  taskQueue?: string;
  /** A prebuilt bundle; without it the worker bundles the workflows at start. */
  workflowBundle?: { code: string } | { codePath: string };
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
  >;
}

/** A worker that runs conversations: the workflow plus every activity, with the given dependencies. */
export async function createConversationWorker(options: ConversationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
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
