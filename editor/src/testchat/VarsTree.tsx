import { childrenOf, kindOf, previewOf } from './vars.js';

/** The conversation's variables as a collapsible tree; what the last turn changed is marked. */
export function VarsTree({ vars, changed }: { vars: Record<string, unknown>; changed: ReadonlySet<string> }) {
  const entries = childrenOf(vars);
  if (entries.length === 0) return <p className="muted">No variables yet.</p>;
  return (
    <ul className="vars-tree" data-testid="test-chat-vars">
      {entries.map(([name, value]) => (
        <VarNode key={name} name={name} value={value} path={name} changed={changed} depth={0} />
      ))}
    </ul>
  );
}

function VarNode(props: { name: string; value: unknown; path: string; changed: ReadonlySet<string>; depth: number }) {
  const { name, value, path, changed, depth } = props;
  const kind = kindOf(value);
  const isChanged = changed.has(path);
  const mark = isChanged ? (
    <span className="var-changed-mark" title="Changed by the last turn">
      <span aria-hidden="true">●</span>
      <span className="sr-only">(changed)</span>
    </span>
  ) : null;
  if ((kind === 'object' || kind === 'array') && childrenOf(value).length > 0) {
    return (
      <li className={isChanged ? 'var-changed' : undefined} data-var={path}>
        {/* Open the first level: most flows keep their variables flat. */}
        <details open={depth < 1}>
          <summary>
            <span className="var-name">{name}</span> <span className="var-preview">{previewOf(value)}</span> {mark}
          </summary>
          <ul>
            {childrenOf(value).map(([key, child]) => (
              <VarNode key={key} name={key} value={child} path={`${path}.${key}`} changed={changed} depth={depth + 1} />
            ))}
          </ul>
        </details>
      </li>
    );
  }
  return (
    <li className={`var-leaf${isChanged ? ' var-changed' : ''}`} data-var={path}>
      <span className="var-name">{name}</span>
      <span className="var-sep">: </span>
      <span className={`var-value var-${kind}`}>{previewOf(value, 200)}</span> {mark}
    </li>
  );
}
