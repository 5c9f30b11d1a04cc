import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A toolbar button that opens a panel below it; Escape or a click elsewhere closes it and gives
 * focus back to the button.
 */
export function Popover(props: {
  label: ReactNode;
  /** The button's accessible name when the label is not enough. */
  ariaLabel?: string;
  className?: string;
  panelLabel: string;
  testId?: string;
  onOpen?(): void;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div
      className="flow-popover"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={`btn ${props.className ?? ''}`}
        aria-expanded={open}
        aria-controls={id}
        aria-label={props.ariaLabel}
        data-testid={props.testId}
        onClick={() => {
          if (!open) props.onOpen?.();
          setOpen(!open);
        }}
      >
        {props.label}
      </button>
      {open ? (
        <div className="flow-popover-panel" id={id} role="region" aria-label={props.panelLabel}>
          {props.children(close)}
        </div>
      ) : null}
    </div>
  );
}
