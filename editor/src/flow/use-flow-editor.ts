import type { FlowDocument, FlowNode } from '@baton/nodes';
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { addNode, copyFragment, moveNodes, pasteFragment, removeElements, updateNode, updateSettings, type FlowFragment } from './flow-edit.js';
import { canRedo, canUndo, commit as commitHistory, createHistory, redo as redoHistory, undo as undoHistory, type History } from './flow-history.js';
import { connect, isValidConnection, syncEdges, syncNodes, toReactFlow, type BatonEdge, type BatonNode } from './flow-mapping.js';
import type { ManifestIndex } from './manifest-index.js';

const PASTE_OFFSET = 40;

/**
 * The editor's state: the flow document with its undo history (the truth, saved and exported),
 * and React Flow's nodes and edges (the view, which also holds drags in progress, selection and
 * sizes). Every meaningful change goes document → history → view.
 */
export function useFlowEditor(initial: FlowDocument, manifest: ManifestIndex) {
  const [history, setHistory] = useState<History<FlowDocument>>(() => createHistory(initial));
  const historyRef = useRef(history);
  const [nodes, setNodes] = useState<BatonNode[]>(() => toReactFlow(initial).nodes);
  const [edges, setEdges] = useState<BatonEdge[]>(() => toReactFlow(initial).edges);
  const clipboard = useRef<{ fragment: FlowFragment; pastes: number } | null>(null);
  const doc = history.present;

  const show = useCallback((next: History<FlowDocument>) => {
    if (next === historyRef.current) return;
    const changed = next.present !== historyRef.current.present;
    historyRef.current = next;
    setHistory(next);
    if (changed) {
      setNodes((previous) => syncNodes(previous, next.present));
      setEdges((previous) => syncEdges(previous, next.present));
    }
  }, []);

  const commit = useCallback(
    (next: FlowDocument, key?: string) => show(commitHistory(historyRef.current, next, { now: Date.now(), ...(key === undefined ? {} : { key }) })),
    [show],
  );
  const current = () => historyRef.current.present;

  const select = useCallback((nodeIds: readonly string[]) => {
    const wanted = new Set(nodeIds);
    setNodes((previous) => previous.map((node) => (wanted.has(node.id) === Boolean(node.selected) ? node : { ...node, selected: wanted.has(node.id) })));
    setEdges((previous) => previous.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)));
  }, []);

  const nodeById = useMemo(() => new Map<string, FlowNode>(doc.nodes.map((node) => [node.id, node])), [doc.nodes]);
  const isEntry = useCallback((type: string) => manifest.get(type)?.entry ?? false, [manifest]);
  /** The start node may not be deleted while it is the only one: the flow could not begin. */
  const protectedIds = useMemo(() => {
    const entries = doc.nodes.filter((node) => isEntry(node.type));
    return new Set(entries.length === 1 ? [entries[0]!.id] : []);
  }, [doc.nodes, isEntry]);

  const selectedNodeIds = useMemo(() => nodes.filter((node) => node.selected).map((node) => node.id), [nodes]);
  const selectedEdgeIds = useMemo(() => edges.filter((edge) => edge.selected).map((edge) => edge.id), [edges]);

  return {
    doc,
    nodes,
    edges,
    nodeById,
    protectedIds,
    selectedNodeIds,
    selectedEdgeIds,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    undo: useCallback(() => show(undoHistory(historyRef.current)), [show]),
    redo: useCallback(() => show(redoHistory(historyRef.current)), [show]),
    /** Replaces the whole document (import, restore, upgrade); undoable. */
    replace: useCallback((next: FlowDocument) => commit(next), [commit]),
    select,

    onNodesChange: useCallback((changes: NodeChange<BatonNode>[]) => {
      // Removals go through the document (deleteSelection), never straight into the view.
      const kept = changes.filter((change) => change.type !== 'remove');
      if (kept.length) setNodes((previous) => applyNodeChanges(kept, previous));
    }, []),
    onEdgesChange: useCallback((changes: EdgeChange<BatonEdge>[]) => {
      const kept = changes.filter((change) => change.type !== 'remove');
      if (kept.length) setEdges((previous) => applyEdgeChanges(kept, previous));
    }, []),
    /** A drag is one change, recorded when it ends. */
    onNodeDragStop: useCallback(
      (_event: unknown, _node: BatonNode, dragged: BatonNode[]) => commit(moveNodes(current(), new Map(dragged.map((node) => [node.id, node.position])))),
      [commit],
    ),
    onConnect: useCallback((connection: Connection) => commit(connect(current(), connection)), [commit]),
    isValidConnection: useCallback(
      (connection: { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }) =>
        isValidConnection({ ...connection, sourceHandle: connection.sourceHandle ?? null, targetHandle: connection.targetHandle ?? null }, nodeById, manifest),
      [nodeById, manifest],
    ),

    addNodeAt: useCallback(
      (type: string, position: { x: number; y: number }) => {
        const result = addNode(current(), manifest, type, position);
        commit(result.doc);
        select([result.nodeId]);
        return result.nodeId;
      },
      [commit, manifest, select],
    ),
    deleteSelection: useCallback(() => {
      const nodeIds = selectedNodeIds.filter((id) => !protectedIds.has(id));
      commit(removeElements(current(), nodeIds, selectedEdgeIds));
    }, [commit, selectedNodeIds, selectedEdgeIds, protectedIds]),
    copy: useCallback((): number => {
      if (selectedNodeIds.length === 0) return 0;
      clipboard.current = { fragment: copyFragment(current(), selectedNodeIds), pastes: 0 };
      return selectedNodeIds.length;
    }, [selectedNodeIds]),
    paste: useCallback((): number => {
      const copied = clipboard.current;
      if (!copied) return 0;
      copied.pastes++;
      const offset = { x: PASTE_OFFSET * copied.pastes, y: PASTE_OFFSET * copied.pastes };
      const result = pasteFragment(current(), copied.fragment, offset, isEntry);
      commit(result.doc);
      select(result.nodeIds);
      return result.nodeIds.length;
    }, [commit, isEntry, select]),
    hasClipboard: () => clipboard.current !== null,

    updateConfig: useCallback(
      (nodeId: string, config: FlowNode['config'], fieldKey: string) =>
        commit(updateNode(current(), nodeId, { config }, manifest), `config:${nodeId}:${fieldKey}`),
      [commit, manifest],
    ),
    updateLabel: useCallback((nodeId: string, label: string) => commit(updateNode(current(), nodeId, { label }, manifest), `label:${nodeId}`), [commit, manifest]),
    updateSettings: useCallback(
      (settings: FlowDocument['settings'], fieldKey: string) => commit(updateSettings(current(), settings), `settings:${fieldKey}`),
      [commit],
    ),
  };
}

export type FlowEditorState = ReturnType<typeof useFlowEditor>;
