import { useRef, type KeyboardEvent } from 'react';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
  /** Issues on this tab, shown as a count so a hidden field's problem is not missed. */
  issues?: number;
}

/** A tab list (WAI-ARIA: arrow keys, Home and End move between tabs). */
export function Tabs<T extends string>(props: { label: string; idPrefix: string; tabs: TabSpec<T>[]; selected: T; onSelect(id: T): void }) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent) => {
    const index = props.tabs.findIndex((t) => t.id === props.selected);
    const last = props.tabs.length - 1;
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = props.tabs[(target + props.tabs.length) % props.tabs.length]!;
    props.onSelect(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <div className="settings-tabs" role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
      {props.tabs.map((tab) => {
        const selected = tab.id === props.selected;
        return (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) refs.current.set(tab.id, element);
              else refs.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`${props.idPrefix}-tab-${tab.id}`}
            aria-selected={selected}
            aria-controls={`${props.idPrefix}-panel-${tab.id}`}
            tabIndex={selected ? 0 : -1}
            className="settings-tab"
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
            {tab.issues ? (
              <span className="tab-issues" aria-label={`${tab.issues} ${tab.issues === 1 ? 'problem' : 'problems'}`}>
                {tab.issues}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}
