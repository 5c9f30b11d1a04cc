import { activityOnlyStep, nodeKey, type FlowSettings, type NodeStep, type RuntimeFlow, type RuntimeNode } from '@baton/nodes/runtime';

/** A node ready to run: its compiled form, its step, and its ports and edges indexed. */
export interface ProgramNode extends RuntimeNode {
  /** Absent when this workflow bundle cannot run the node. */
  step?: NodeStep;
  portSet: ReadonlySet<string>;
  /** Port id → target node id. */
  routeMap: ReadonlyMap<string, string>;
}

/** A compiled flow together with the steps that run it: everything the interpreter reads. */
export interface Program {
  startId?: string;
  settings: FlowSettings;
  node(id: string): ProgramNode | undefined;
}

/** The `step` functions a workflow bundle contains, by `type@version`. */
export type StepTable = ReadonlyMap<string, NodeStep>;

/**
 * Prepares a compiled flow (`compileFlow`, run by the `loadFlow` activity) for the interpreter:
 * steps looked up, ports and routes indexed. Pure and cheap; it never throws.
 */
export function prepareProgram(flow: RuntimeFlow, steps: StepTable): Program {
  const nodes = new Map<string, ProgramNode>();
  for (const node of flow.nodes) {
    const step = node.runs === 'activity_only' ? (activityOnlyStep as NodeStep) : node.runs === 'step' ? steps.get(nodeKey(node.type, node.version)) : undefined;
    nodes.set(node.id, { ...node, ...(step ? { step } : {}), portSet: new Set(node.ports), routeMap: new Map(node.routes) });
  }
  return {
    ...(flow.startId === undefined ? {} : { startId: flow.startId }),
    settings: flow.settings,
    node: (id) => nodes.get(id),
  };
}
