import { Background, BackgroundVariant, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow, type DefaultEdgeOptions, type Node } from '@xyflow/react';
import { useCallback, useMemo, type DragEvent } from 'react';
import { CATEGORY_COLORS } from './category-colors.js';
import type { BatonNode } from './flow-mapping.js';
import { FlowNodeCard } from './FlowNodeCard.js';
import type { ManifestIndex } from './manifest-index.js';
import { DRAG_TYPE } from './Palette.js';
import type { FlowEditorState } from './use-flow-editor.js';

// Module scope: a new object per render would make React Flow remount every card.
const nodeTypes = { baton: FlowNodeCard };
const defaultEdgeOptions: DefaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };
const fitViewOptions = { maxZoom: 1, padding: 0.2 };
const proOptions = { hideAttribution: true };
/** Above this many nodes only the visible ones are rendered: panning a big flow stays smooth. */
const VISIBLE_ONLY_ABOVE = 150;
/** Half a card, so a dropped node lands centred under the pointer. */
export const DROP_OFFSET = { x: 120, y: 30 };

export function FlowCanvas({
  editor,
  manifest,
  edgesWithIssues,
  onAddAt,
}: {
  editor: FlowEditorState;
  manifest: ManifestIndex;
  edgesWithIssues: ReadonlySet<string>;
  onAddAt(type: string, position: { x: number; y: number }): void;
}) {
  const { screenToFlowPosition } = useReactFlow();
  const edges = useMemo(
    () => (edgesWithIssues.size === 0 ? editor.edges : editor.edges.map((edge) => (edgesWithIssues.has(edge.id) ? { ...edge, className: 'flow-edge-error' } : edge))),
    [editor.edges, edgesWithIssues],
  );
  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(DRAG_TYPE);
      if (!type || !manifest.get(type)) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      onAddAt(type, { x: at.x - DROP_OFFSET.x, y: at.y - DROP_OFFSET.y });
    },
    [manifest, onAddAt, screenToFlowPosition],
  );
  const nodeColor = useCallback((node: Node) => CATEGORY_COLORS[manifest.get((node as BatonNode).data.type)?.category ?? ''] ?? '#94a3b8', [manifest]);

  return (
    <ReactFlow<BatonNode>
      nodes={editor.nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={editor.onNodesChange}
      onEdgesChange={editor.onEdgesChange}
      onNodeDragStop={editor.onNodeDragStop}
      onConnect={editor.onConnect}
      isValidConnection={editor.isValidConnection}
      onDragOver={onDragOver}
      onDrop={onDrop}
      defaultEdgeOptions={defaultEdgeOptions}
      // The screen's own key handling goes through the document (undo, protected start node).
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
      onlyRenderVisibleElements={editor.nodes.length > VISIBLE_ONLY_ABOVE}
      fitView
      fitViewOptions={fitViewOptions}
      minZoom={0.1}
      maxZoom={2}
      proOptions={proOptions}
      aria-label="Flow canvas"
    >
      <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#c9ced6" />
      <MiniMap pannable zoomable nodeColor={nodeColor} nodeStrokeWidth={0} ariaLabel="Overview of the flow" />
      <Controls showInteractive={false} aria-label="Zoom" />
    </ReactFlow>
  );
}
