import { z } from 'zod';

export const FLOW_ISSUE_CODES = [
  'invalid_document',
  'duplicate_id',
  'unknown_node_type',
  'unknown_node_version',
  'invalid_config',
  'edge_missing_node',
  'edge_unknown_port',
  'port_multiple_edges',
  'no_start',
  'multiple_starts',
  'unreachable_node',
  'busy_loop',
  'unconnected_port',
] as const;
export type FlowIssueCode = (typeof FLOW_ISSUE_CODES)[number];

/** A problem found in a flow document, located by node or edge id and by JSON path. */
export const flowIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.enum(FLOW_ISSUE_CODES),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** Path into the flow document, e.g. `['nodes', 2, 'config', 'text']`. */
  path: z.array(z.union([z.string(), z.number()])),
});
export type FlowIssue = z.output<typeof flowIssueSchema>;

export function hasErrors(issues: readonly FlowIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
