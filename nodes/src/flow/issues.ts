/** A problem found in a flow document, located by node or edge id and by JSON path. */
export interface FlowIssue {
  severity: 'error' | 'warning';
  code: FlowIssueCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Path into the flow document, e.g. `['nodes', 2, 'config', 'text']`. */
  path: (string | number)[];
}

export type FlowIssueCode =
  | 'invalid_document'
  | 'duplicate_id'
  | 'unknown_node_type'
  | 'unknown_node_version'
  | 'invalid_config'
  | 'edge_missing_node'
  | 'edge_unknown_port'
  | 'port_multiple_edges'
  | 'no_start'
  | 'multiple_starts'
  | 'unreachable_node'
  | 'busy_loop'
  | 'unconnected_port';

export function hasErrors(issues: readonly FlowIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
