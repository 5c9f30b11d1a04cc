import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ManifestIndex } from './manifest-index.js';
import type { NodeView, NodeViewStore } from './node-view-store.js';

export const ManifestContext = createContext<ManifestIndex | null>(null);
export const NodeViewContext = createContext<NodeViewStore | null>(null);

export function useManifest(): ManifestIndex {
  const manifest = useContext(ManifestContext);
  if (!manifest) throw new Error('useManifest outside the flow editor');
  return manifest;
}

/** The issue markers and highlight of one card; re-renders only when they change. */
export function useNodeView(nodeId: string): NodeView {
  const store = useContext(NodeViewContext);
  if (!store) throw new Error('useNodeView outside the flow editor');
  return useSyncExternalStore(store.subscribe, () => store.view(nodeId));
}
