// The flow screen's face towards the panels beside the canvas (the test chat): which node is
// selected, which node the test conversation is at (the card shows a ring), and saving the draft
// before a test run so the engine runs what is on screen.
import { createContext, useContext } from 'react';

export interface FlowHighlight {
  botId: string;
  /** The node whose settings are open, if exactly one is selected. */
  selectedNodeId: string | undefined;
  /** The node the test conversation is at. */
  highlightNodeId: string | undefined;
  setHighlightNodeId(nodeId: string | undefined | null): void;
  /** Selects a node and brings it into view. */
  focusNode(nodeId: string): void;
  /** Saves pending edits now; false when the save failed (the draft on the server is older). */
  saveNow(): Promise<boolean>;
}

export const FlowHighlightContext = createContext<FlowHighlight | null>(null);

export function useFlowHighlight(): FlowHighlight {
  const value = useContext(FlowHighlightContext);
  if (!value) throw new Error('useFlowHighlight outside FlowScreen');
  return value;
}
