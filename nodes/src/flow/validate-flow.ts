import type { z } from 'zod';
import type { AnyNodeDefinition } from '../sdk/define-node.js';
import { resolvePorts, type PortDeclaration } from '../sdk/ports.js';
import type { NodeRegistry } from '../sdk/registry.js';
import { issueMessage, issuePath } from '../sdk/zod-issues.js';
import { flowDocumentSchema, type FlowDocument } from './flow-document.js';
import type { FlowIssue } from './issues.js';

interface CheckedNode {
  index: number;
  id: string;
  definition: AnyNodeDefinition;
  ports: PortDeclaration[];
}

/**
 * Checks a flow document against the node registry and returns every issue found, errors and
 * warnings, each located by node or edge id and JSON path. An empty list means the flow can be
 * published. Drafts may be saved with issues; publishing refuses any of severity `error`.
 *
 * @example
 * const issues = validateFlow(JSON.parse(text), registry);
 * if (hasErrors(issues)) console.log(issues.map((i) => i.message).join('\n'));
 */
export function validateFlow(document: unknown, registry: NodeRegistry): FlowIssue[] {
  const parsed = flowDocumentSchema.safeParse(document);
  if (!parsed.success) return parsed.error.issues.map(documentIssue);
  const flow = parsed.data;
  const issues: FlowIssue[] = [];

  issues.push(...duplicateIds(flow));
  const nodes = checkNodes(flow, registry, issues);
  const routes = checkEdges(flow, nodes, issues);
  const start = checkStart(flow, nodes, issues);
  if (start) issues.push(...unreachable(flow, nodes, routes, start));
  issues.push(...busyLoops(nodes, routes));
  issues.push(...unconnectedPorts(nodes, routes));
  return issues;
}

function documentIssue(issue: z.core.$ZodIssue): FlowIssue {
  const path = issuePath(issue);
  return {
    severity: 'error',
    code: 'invalid_document',
    message: `${path.length ? path.join('.') : 'document'}: ${issueMessage(issue)}`,
    path,
  };
}

function duplicateIds(flow: FlowDocument): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const seen = new Set<string>();
  flow.nodes.forEach((node, index) => {
    if (seen.has(node.id)) {
      issues.push({
        severity: 'error',
        code: 'duplicate_id',
        message: `Node id "${node.id}" is used by more than one node`,
        nodeId: node.id,
        path: ['nodes', index, 'id'],
      });
    }
    seen.add(node.id);
  });
  const seenEdges = new Set<string>();
  flow.edges.forEach((edge, index) => {
    if (seenEdges.has(edge.id)) {
      issues.push({
        severity: 'error',
        code: 'duplicate_id',
        message: `Edge id "${edge.id}" is used by more than one edge`,
        edgeId: edge.id,
        path: ['edges', index, 'id'],
      });
    }
    seenEdges.add(edge.id);
  });
  return issues;
}

/** Nodes whose type is known, keyed by id (the first node wins when ids repeat). */
function checkNodes(flow: FlowDocument, registry: NodeRegistry, issues: FlowIssue[]): Map<string, CheckedNode> {
  const nodes = new Map<string, CheckedNode>();
  flow.nodes.forEach((node, index) => {
    if (nodes.has(node.id)) return;
    const definition = registry.get(node.type, node.typeVersion);
    if (!definition) {
      const known = registry.versions(node.type);
      issues.push(
        known.length && node.typeVersion !== undefined
          ? {
              severity: 'error',
              code: 'unknown_node_version',
              message: `Node "${node.id}": ${node.type} has no version ${node.typeVersion} (installed: ${known.join(', ')})`,
              nodeId: node.id,
              path: ['nodes', index, 'typeVersion'],
            }
          : {
              severity: 'error',
              code: 'unknown_node_type',
              message: `Node "${node.id}": unknown node type "${node.type}"`,
              nodeId: node.id,
              path: ['nodes', index, 'type'],
            },
      );
      return;
    }
    const config: z.ZodSafeParseResult<unknown> = definition.config.safeParse(node.config);
    if (!config.success) {
      for (const issue of config.error.issues) {
        const field = issuePath(issue);
        issues.push({
          severity: 'error',
          code: 'invalid_config',
          message: `Node "${node.id}" (${definition.title}): ${field.length ? `${field.join('.')}: ` : ''}${issueMessage(issue)}`,
          nodeId: node.id,
          path: ['nodes', index, 'config', ...field],
        });
      }
    }
    const ports = resolvePorts(definition.ports, config.success ? config.data : node.config);
    nodes.set(node.id, { index, id: node.id, definition, ports });
  });
  return nodes;
}

/** Valid routes: node id → port id → target node id. */
type Routes = Map<string, Map<string, string>>;

function checkEdges(flow: FlowDocument, nodes: Map<string, CheckedNode>, issues: FlowIssue[]): Routes {
  const allNodeIds = new Set(flow.nodes.map((n) => n.id));
  const routes: Routes = new Map();
  flow.edges.forEach((edge, index) => {
    const edgeIssue = (code: FlowIssue['code'], message: string, field: string): void => {
      issues.push({ severity: 'error', code, message, edgeId: edge.id, path: ['edges', index, field] });
    };
    let ok = true;
    if (!allNodeIds.has(edge.source)) {
      edgeIssue('edge_missing_node', `Edge "${edge.id}" starts at node "${edge.source}", which does not exist`, 'source');
      ok = false;
    }
    if (!allNodeIds.has(edge.target)) {
      edgeIssue('edge_missing_node', `Edge "${edge.id}" ends at node "${edge.target}", which does not exist`, 'target');
      ok = false;
    }
    const source = nodes.get(edge.source);
    if (!ok) return;
    if (!source) {
      // The source's type is unknown (reported already): its ports cannot be checked, but the
      // nodes after it must not all be reported as unreachable too.
      const fromUnknown = routes.get(edge.source) ?? new Map<string, string>();
      if (!fromUnknown.has(edge.sourcePort)) fromUnknown.set(edge.sourcePort, edge.target);
      routes.set(edge.source, fromUnknown);
      return;
    }
    if (!source.ports.some((p) => p.id === edge.sourcePort)) {
      const declared = source.ports.map((p) => p.id).join(', ') || 'none';
      edgeIssue(
        'edge_unknown_port',
        `Edge "${edge.id}" leaves node "${edge.source}" (${source.definition.title}) through port "${edge.sourcePort}", which it does not have (ports: ${declared})`,
        'sourcePort',
      );
      return;
    }
    const fromSource = routes.get(edge.source) ?? new Map<string, string>();
    if (fromSource.has(edge.sourcePort)) {
      edgeIssue(
        'port_multiple_edges',
        `Port "${edge.sourcePort}" of node "${edge.source}" has more than one edge; a port leads to one node`,
        'sourcePort',
      );
      return;
    }
    fromSource.set(edge.sourcePort, edge.target);
    routes.set(edge.source, fromSource);
  });
  return routes;
}

function checkStart(flow: FlowDocument, nodes: Map<string, CheckedNode>, issues: FlowIssue[]): CheckedNode | undefined {
  const starts = [...nodes.values()].filter((n) => n.definition.entry);
  if (starts.length === 0) {
    issues.push({
      severity: 'error',
      code: 'no_start',
      message: 'The flow has no start node; add one where the conversation begins',
      path: ['nodes'],
    });
    return undefined;
  }
  for (const extra of starts.slice(1)) {
    issues.push({
      severity: 'error',
      code: 'multiple_starts',
      message: `Node "${extra.id}" is a second start node; a flow has exactly one`,
      nodeId: extra.id,
      path: ['nodes', extra.index],
    });
  }
  return starts[0];
}

function unreachable(flow: FlowDocument, nodes: Map<string, CheckedNode>, routes: Routes, start: CheckedNode): FlowIssue[] {
  const reached = new Set<string>([start.id]);
  const queue = [start.id];
  while (queue.length > 0) {
    for (const target of routes.get(queue.pop()!)?.values() ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  const issues: FlowIssue[] = [];
  const reported = new Set<string>();
  flow.nodes.forEach((node, index) => {
    if (reached.has(node.id) || reported.has(node.id) || (nodes.get(node.id)?.definition.entry ?? false)) return;
    reported.add(node.id);
    issues.push({
      severity: 'warning',
      code: 'unreachable_node',
      message: `Node "${node.id}" can never be reached from the start node`,
      nodeId: node.id,
      path: ['nodes', index],
    });
  });
  return issues;
}

/**
 * A cycle whose every edge leaves through a port that does not wait for the outside world
 * would run forever within one turn. Tarjan's algorithm over those edges finds them.
 */
function busyLoops(nodes: Map<string, CheckedNode>, routes: Routes): FlowIssue[] {
  const edgesOf = (id: string): string[] => {
    const node = nodes.get(id);
    const fromNode = routes.get(id);
    if (!node || !fromNode) return [];
    return node.ports.filter((p) => !p.afterWait && fromNode.has(p.id)).map((p) => fromNode.get(p.id)!);
  };

  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  const visit = (id: string): void => {
    indexOf.set(id, counter);
    lowLink.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const next of edgesOf(id)) {
      if (!indexOf.has(next)) {
        visit(next);
        lowLink.set(id, Math.min(lowLink.get(id)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(id, Math.min(lowLink.get(id)!, indexOf.get(next)!));
      }
    }
    if (lowLink.get(id) === indexOf.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      if (component.length > 1 || edgesOf(id).includes(id)) cycles.push(component.reverse());
    }
  };
  for (const id of nodes.keys()) if (!indexOf.has(id)) visit(id);

  return cycles.map((cycle) => {
    const first = nodes.get(cycle[0]!)!;
    return {
      severity: 'error' as const,
      code: 'busy_loop' as const,
      message: `Nodes ${cycle.map((id) => `"${id}"`).join(' → ')} form a loop that never waits for the user; it would repeat forever. Put a wait (for example "Wait for reply") in the loop.`,
      nodeId: first.id,
      path: ['nodes', first.index],
    };
  });
}

function unconnectedPorts(nodes: Map<string, CheckedNode>, routes: Routes): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const node of nodes.values()) {
    for (const port of node.ports) {
      if (port.warnIfUnconnected && !routes.get(node.id)?.has(port.id)) {
        issues.push({
          severity: 'warning',
          code: 'unconnected_port',
          message: `Node "${node.id}": port "${port.id}" is not connected. ${port.warnIfUnconnected}`,
          nodeId: node.id,
          path: ['nodes', node.index],
        });
      }
    }
  }
  return issues;
}
