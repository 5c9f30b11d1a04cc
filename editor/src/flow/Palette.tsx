import type { NodeTypeManifest } from '@baton/nodes';
import { useId, useMemo, useState, type DragEvent } from 'react';
import { paletteGroups } from './manifest-index.js';
import { NodeIcon } from './NodeIcon.js';

/** The drag-and-drop payload of a palette item: the node type. */
export const DRAG_TYPE = 'application/x-baton-node-type';

/**
 * Node types to add, searchable and grouped by category. Drag one onto the canvas, or press
 * Enter (or click) to add it in the middle of the view.
 */
export function Palette({ manifests, onAdd }: { manifests: readonly NodeTypeManifest[]; onAdd(type: string): void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(manifests, query), [manifests, query]);
  const id = useId();
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(DRAG_TYPE, type);
    event.dataTransfer.setData('text/plain', type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="flow-palette" aria-label="Node palette" data-testid="palette">
      <div className="flow-palette-search">
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search nodes" aria-label="Search nodes" />
      </div>
      <p className="flow-palette-hint muted">Drag a node onto the canvas, or press Enter on it.</p>
      <div className="flow-palette-groups">
        {groups.map((group) => (
          <section key={group.category} aria-labelledby={`${id}-${group.category}`}>
            <h3 id={`${id}-${group.category}`}>{group.label}</h3>
            <ul>
              {group.items.map((manifest) => (
                <li key={manifest.type}>
                  <button
                    type="button"
                    draggable
                    className={`palette-item flow-node-${manifest.category}`}
                    onDragStart={(event) => onDragStart(event, manifest.type)}
                    onClick={() => onAdd(manifest.type)}
                    aria-label={`Add ${manifest.title}`}
                    aria-describedby={`${id}-${manifest.type}`}
                    data-testid={`palette-${manifest.type}`}
                  >
                    <span className="flow-node-icon">
                      <NodeIcon name={manifest.icon} />
                    </span>
                    <span className="palette-item-text">
                      <span className="palette-item-title">{manifest.title}</span>
                      <span className="palette-item-description" id={`${id}-${manifest.type}`}>
                        {manifest.description}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 ? <p className="muted">No node matches “{query}”.</p> : null}
      </div>
    </nav>
  );
}
