import { Handle, Position, useNodeConnections, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { configSummary } from './config-summary.js';
import { useManifest, useNodeView } from './flow-context.js';
import { portsOf, TARGET_HANDLE, type BatonNode } from './flow-mapping.js';
import { NodeIcon } from './NodeIcon.js';

/**
 * The one card every node type is drawn with: icon, title and handles come from the type's
 * manifest and the node's config, so a new node type needs no editor code.
 */
function FlowNodeCardView({ id, data, selected }: NodeProps<BatonNode>) {
  const manifest = useManifest();
  const type = manifest.get(data.type, data.typeVersion);
  const view = useNodeView(id);
  const ports = useMemo(() => portsOf(data, manifest), [data, manifest]);
  const summary = useMemo(() => configSummary(type, data.config), [type, data.config]);
  // Edges from ports the node no longer has (a renamed exit): drawn in red so they can be seen and removed.
  const connections = useNodeConnections({ handleType: 'source' });
  const missing = useMemo(() => {
    const declared = new Set(ports.map((port) => port.id));
    return [...new Set(connections.map((c) => c.sourceHandle ?? '').filter((handle) => handle && !declared.has(handle)))];
  }, [connections, ports]);

  const title = type?.title ?? `Unknown node type “${data.type}”`;
  const status = view.errors.length ? 'error' : view.warnings.length ? 'warning' : undefined;
  const messages = [...view.errors, ...view.warnings];
  const singlePort = ports.length === 1 && !ports[0]!.label && missing.length === 0 ? ports[0] : undefined;
  const className = [
    'flow-node',
    `flow-node-${type?.category ?? 'unknown'}`,
    status ? `flow-node-has-${status}` : '',
    selected ? 'flow-node-selected' : '',
    view.highlighted ? 'flow-node-highlighted' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div className={className} data-testid={`flow-node-${id}`} data-highlighted={view.highlighted || undefined}>
      {type?.entry ? null : <Handle type="target" position={Position.Left} id={TARGET_HANDLE} className="flow-handle flow-handle-in" data-testid={`in-${id}`} />}
      <div className="flow-node-header">
        <span className="flow-node-icon">
          <NodeIcon name={type?.icon} />
        </span>
        <span className="flow-node-title">{data.label || title}</span>
        {status ? (
          <span
            className={`flow-node-issues flow-node-issues-${status}`}
            title={messages.join('\n')}
            aria-label={`${view.errors.length} error(s), ${view.warnings.length} warning(s): ${messages.join(' ')}`}
            role="img"
            data-testid={`node-issues-${id}`}
          >
            {messages.length}
          </span>
        ) : null}
      </div>
      {data.label ? <div className="flow-node-type">{title}</div> : null}
      {summary ? <div className="flow-node-summary">{summary}</div> : null}
      {view.highlighted ? <div className="flow-node-here">The test conversation is here</div> : null}
      {singlePort ? (
        <Handle type="source" position={Position.Right} id={singlePort.id} className="flow-handle flow-handle-out" data-testid={`port-${id}-${singlePort.id}`} />
      ) : ports.length || missing.length ? (
        <ul className="flow-node-ports">
          {ports.map((port) => (
            <li key={port.id}>
              <span>{port.label ?? port.id}</span>
              <Handle type="source" position={Position.Right} id={port.id} className="flow-handle flow-handle-out" data-testid={`port-${id}-${port.id}`} />
            </li>
          ))}
          {missing.map((handle) => (
            <li key={handle} className="flow-node-port-missing" title="This exit no longer exists: delete its connection or name the exit again">
              <span>{handle} (removed)</span>
              <Handle type="source" position={Position.Right} id={handle} className="flow-handle flow-handle-out" isConnectable={false} data-testid={`port-${id}-${handle}`} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export const FlowNodeCard = memo(FlowNodeCardView);
