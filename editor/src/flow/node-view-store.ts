// What each card shows besides its data (issue markers, the test chat's highlight), kept outside
// React Flow's node data so it stays plain flow JSON. Each card subscribes to its own snapshot, so
// new issues re-render only the cards whose issues changed, not all 500.
import type { FlowIssue } from '@baton/nodes';
import { groupIssues, sameIssues } from './flow-issues.js';

export interface NodeView {
  errors: string[];
  warnings: string[];
  highlighted: boolean;
}

const EMPTY: NodeView = { errors: [], warnings: [], highlighted: false };

export interface NodeViewStore {
  setIssues(issues: readonly FlowIssue[]): void;
  setHighlight(nodeId: string | undefined): void;
  subscribe(listener: () => void): () => void;
  view(nodeId: string): NodeView;
}

export function createNodeViewStore(): NodeViewStore {
  let byNode: ReadonlyMap<string, FlowIssue[]> = new Map();
  let highlight: string | undefined;
  const views = new Map<string, NodeView>();
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const build = (nodeId: string): NodeView => {
    const issues = byNode.get(nodeId) ?? [];
    if (issues.length === 0 && nodeId !== highlight) return EMPTY;
    return {
      errors: issues.filter((i) => i.severity === 'error').map((i) => i.message),
      warnings: issues.filter((i) => i.severity === 'warning').map((i) => i.message),
      highlighted: nodeId === highlight,
    };
  };
  return {
    setIssues(issues) {
      const next = groupIssues(issues).byNode;
      const changed = new Set<string>();
      for (const id of new Set([...byNode.keys(), ...next.keys()])) if (!sameIssues(byNode.get(id), next.get(id))) changed.add(id);
      byNode = next;
      if (changed.size === 0) return;
      for (const id of changed) views.delete(id);
      notify();
    },
    setHighlight(nodeId) {
      if (nodeId === highlight) return;
      if (highlight !== undefined) views.delete(highlight);
      if (nodeId !== undefined) views.delete(nodeId);
      highlight = nodeId;
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    view(nodeId) {
      let view = views.get(nodeId);
      if (!view) {
        view = build(nodeId);
        views.set(nodeId, view);
      }
      return view;
    },
  };
}
