import type { Json } from '../json.js';
import type { FlowSettings } from './flow-document.js';

/**
 * A published flow compiled for the engine (`compileFlow`): plain JSON, with every node's config
 * already parsed by its schema and its ports and edges resolved. The conversation workflow runs
 * it with nothing but the nodes' pure `step` functions: no schema is evaluated in the workflow
 * sandbox. Lists rather than records, so no node or port id can collide with an object's own keys.
 */
export interface RuntimeFlow {
  /** The entry node; absent when the flow has none. */
  startId?: string;
  settings: FlowSettings;
  nodes: RuntimeNode[];
}

/** How the workflow runs a node. */
export type NodeRunner =
  /** With the node's own `step`, which the workflow bundle must contain (built-in nodes, custom nodes with a step). */
  | 'step'
  /** With the generic activity-only step: everything happens in the node's activity. */
  | 'activity_only'
  /** Not at all: the worker knows neither the type nor a descriptor for it (the conversation falls back). */
  | 'missing';

export interface RuntimeNode {
  id: string;
  type: string;
  version: number;
  runs: NodeRunner;
  /** The config as parsed by the node's schema (defaults applied); the stored config when it did not parse. */
  config: Json;
  /** Why the config does not parse: the node fails when the conversation reaches it. */
  configError?: string;
  /** The node's exits for this config. */
  ports: string[];
  /** `[port, target node id]`, one per connected port. */
  routes: [string, string][];
  activity?: RuntimeActivity;
}

/** What the workflow needs to call a node's activity. */
export interface RuntimeActivity {
  /** The worker's activity name: `node:<type>@<version>`. */
  name: string;
  timeoutSeconds: number;
  heartbeatSeconds?: number;
  maxAttempts: number;
}
