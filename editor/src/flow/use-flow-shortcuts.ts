import { useEffect, useRef } from 'react';

export interface FlowShortcuts {
  undo(): void;
  redo(): void;
  copy(): number;
  paste(): number;
  deleteSelection(): void;
}

/** Keys typed into a field belong to the field (its own undo, copy and delete). */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/**
 * The canvas keys: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl/Cmd+Y redo, Ctrl/Cmd+C and V copy
 * and paste nodes, Delete or Backspace delete the selection. Ignored in fields, dialogs and
 * panels marked `data-flow-keys="off"` (the node settings, the test chat).
 */
export function useFlowShortcuts(actions: FlowShortcuts): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isEditable(event.target)) return;
      if (event.target instanceof Element && event.target.closest('dialog, [data-flow-keys="off"]')) return;
      const mod = event.metaKey || event.ctrlKey;
      const key = event.key.toLowerCase();
      const act = latest.current;
      if (mod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) act.redo();
        else act.undo();
      } else if (mod && key === 'y') {
        event.preventDefault();
        act.redo();
      } else if (mod && key === 'c' && !window.getSelection()?.toString()) {
        if (act.copy() > 0) event.preventDefault();
      } else if (mod && key === 'v') {
        if (act.paste() > 0) event.preventDefault();
      } else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        event.preventDefault();
        act.deleteSelection();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
