import {
  builtinNodes,
  builtinSteps,
  compileFlow,
  createRegistry,
  flowDocumentSchema,
  nodeKey,
  pinFlow,
  type AnyNodeDefinition,
  type FlowDocumentInput,
  type NodeStep,
} from '@baton/nodes';
import { prepareProgram, type Program } from '../interpreter/index.js';

/**
 * A flow ready for the pure interpreter (`advance`, `reduce`), without Temporal: parsed as a flow
 * document, published (versions pinned) and compiled the way the worker's `loadFlow` does, with
 * the built-in nodes and `nodes`. For unit tests of flows and of the conversation rules.
 *
 * @example
 * const program = testProgram({ schemaVersion: 1, nodes: [{ id: 'start', type: 'start' }], edges: [] });
 * reduce(program, initialConversation({ conversation, burstWindowMs: 0 }), { type: 'open' }, Date.now());
 */
export function testProgram(flow: FlowDocumentInput, nodes: readonly AnyNodeDefinition[] = []): Program {
  const registry = createRegistry([...builtinNodes, ...nodes]);
  const document = pinFlow(flowDocumentSchema.parse(flow), registry);
  const steps = new Map<string, NodeStep>([...builtinSteps, ...nodes.map((node): [string, NodeStep] => [nodeKey(node.type, node.version), node.step as NodeStep])]);
  return prepareProgram(compileFlow(document, registry), steps);
}
