// Where the server's issues belong on screen: on a node card, on an edge, on a config field, or in
// the flow-wide list. Issues carry node/edge ids and a JSON path into the document.
import type { FlowIssue } from '@baton/nodes';

export type Path = readonly (string | number)[];

export interface GroupedIssues {
  byNode: ReadonlyMap<string, FlowIssue[]>;
  byEdge: ReadonlyMap<string, FlowIssue[]>;
  /** Issues of the whole flow (no start node, a malformed document). */
  general: FlowIssue[];
}

export function groupIssues(issues: readonly FlowIssue[]): GroupedIssues {
  const byNode = new Map<string, FlowIssue[]>();
  const byEdge = new Map<string, FlowIssue[]>();
  const general: FlowIssue[] = [];
  for (const issue of issues) {
    if (issue.nodeId !== undefined) byNode.set(issue.nodeId, [...(byNode.get(issue.nodeId) ?? []), issue]);
    else if (issue.edgeId !== undefined) byEdge.set(issue.edgeId, [...(byEdge.get(issue.edgeId) ?? []), issue]);
    else general.push(issue);
  }
  return { byNode, byEdge, general };
}

export function countIssues(issues: readonly FlowIssue[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const issue of issues) if (issue.severity === 'error') errors++;
  return { errors, warnings: issues.length - errors };
}

/** The path of an issue inside its node's config (`['rules', 0, 'port']`), if it is about a config field. */
export function configPath(issue: Pick<FlowIssue, 'path'>): Path | undefined {
  const [root, , field] = issue.path;
  return root === 'nodes' && field === 'config' ? issue.path.slice(3) : undefined;
}

/** An issue's text without the node and field it names, for showing under that field. */
export function fieldMessage(issue: Pick<FlowIssue, 'path' | 'message'>): string {
  const field = configPath(issue);
  if (field === undefined) return issue.message;
  const marker = field.length ? `: ${field.join('.')}: ` : '): ';
  const at = issue.message.indexOf(marker);
  if (at === -1) return issue.message;
  const text = issue.message.slice(at + marker.length);
  return text === 'is required' ? 'Required' : text.charAt(0).toUpperCase() + text.slice(1);
}

/** The node to show first after a refused publish: the first one with an error. */
export function firstErrorNodeId(issues: readonly FlowIssue[]): string | undefined {
  return issues.find((issue) => issue.severity === 'error' && issue.nodeId !== undefined)?.nodeId;
}

export const pathKey = (path: Path): string => JSON.stringify(path);

/**
 * Puts each issue on the deepest field the form shows that contains its path (an enum error on
 * `days.2` lands on `days`); issues no shown field contains stay `unplaced`, for the top of the panel.
 */
export function placeIssues(
  issues: readonly { path: Path; message: string }[],
  shownPaths: ReadonlySet<string>,
): { byPath: Map<string, string[]>; unplaced: string[] } {
  const byPath = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const issue of issues) {
    let placed = false;
    for (let length = issue.path.length; length > 0; length--) {
      const key = pathKey(issue.path.slice(0, length));
      if (shownPaths.has(key)) {
        byPath.set(key, [...(byPath.get(key) ?? []), issue.message]);
        placed = true;
        break;
      }
    }
    if (!placed) unplaced.push(issue.message);
  }
  return { byPath, unplaced };
}

/** Issues compared by content: a new answer with the same issues keeps the same arrays. */
export function sameIssues(a: readonly FlowIssue[] | undefined, b: readonly FlowIssue[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((issue, i) => issue.message === b[i]!.message && issue.severity === b[i]!.severity && pathKey(issue.path) === pathKey(b[i]!.path));
}

/** Whether any placed issue is on `path` or inside it. */
export function hasIssueWithin(byPath: ReadonlyMap<string, unknown>, path: Path): boolean {
  for (const key of byPath.keys()) {
    const issuePath = JSON.parse(key) as Path;
    if (issuePath.length >= path.length && path.every((segment, i) => issuePath[i] === segment)) return true;
  }
  return false;
}
