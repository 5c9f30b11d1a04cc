import type { FlowIssue, FlowNode, NodeTypeManifest } from '@baton/nodes';
import { useId, useMemo } from 'react';
import { Button, Field } from '../../ui/components.js';
import { configPath, fieldMessage, pathKey, placeIssues } from '../flow-issues.js';
import { asSchema } from '../json-schema.js';
import { NodeIcon } from '../NodeIcon.js';
import { FormContext } from './form-context.js';
import { shownPaths } from './schema-form.js';
import { SchemaForm } from './SchemaForm.js';

/** An issue's message without the node it names: the panel is about that node already. */
const withoutNode = (message: string) => message.replace(/^Node "[^"]*"(?: \([^)]*\))?: /, '');

/** The settings of the selected node: its name on the canvas and its config form, with its issues. */
export function NodeInspector(props: {
  node: FlowNode;
  type: NodeTypeManifest | undefined;
  issues: readonly FlowIssue[];
  botId: string;
  variables: readonly string[];
  deletable: boolean;
  onConfig(config: FlowNode['config'], fieldKey: string): void;
  onLabel(label: string): void;
  onDelete(): void;
  onClose(): void;
}) {
  const { node, type, issues } = props;
  const titleId = useId();
  const schema = useMemo(() => asSchema(type?.configSchema), [type]);
  const placed = useMemo(() => {
    const onFields = issues.flatMap((issue) => {
      const path = configPath(issue);
      return path ? [{ path, message: fieldMessage(issue) }] : [];
    });
    const { byPath, unplaced } = placeIssues(onFields, shownPaths(schema, node.config));
    const top = [
      ...issues.filter((issue) => configPath(issue) === undefined).map((issue) => ({ severity: issue.severity, message: withoutNode(issue.message) })),
      ...unplaced.map((message) => ({ severity: 'error' as const, message })),
    ];
    return { byPath, top };
  }, [issues, schema, node.config]);
  const form = useMemo(() => ({ botId: props.botId, variables: props.variables, issues: placed.byPath }), [props.botId, props.variables, placed.byPath]);

  return (
    <section
      className="flow-inspector"
      aria-labelledby={titleId}
      data-testid="inspector"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          props.onClose();
        }
      }}
    >
      <header className={`flow-inspector-header flow-node-${type?.category ?? 'unknown'}`}>
        <span className="flow-node-icon">
          <NodeIcon name={type?.icon} size={18} />
        </span>
        <div className="grow">
          <h2 id={titleId}>{type?.title ?? `Unknown node type “${node.type}”`}</h2>
          <div className="muted flow-inspector-id">
            {node.id}
            {node.typeVersion ? ` · version ${node.typeVersion}` : ''}
          </div>
        </div>
        <button type="button" className="btn btn-small flow-icon-button" onClick={props.onClose} aria-label="Close settings" title="Close (Esc)">
          ✕
        </button>
      </header>
      <div className="flow-inspector-body">
        {type ? <p className="muted flow-inspector-description">{type.description}</p> : <p className="banner banner-error">This node type is not installed on this server. Delete the node or install its package.</p>}
        {placed.top.length ? (
          <ul className="flow-inspector-issues" aria-label="Problems with this node" data-testid="inspector-issues">
            {placed.top.map((issue, i) => (
              <li key={i} className={`flow-issue flow-issue-${issue.severity}`}>
                {issue.message}
              </li>
            ))}
          </ul>
        ) : null}
        <Field label="Name on the canvas" help="Optional: helps you find the node in a big flow.">
          {(id, describedBy) => (
            <input id={id} type="text" value={node.label ?? ''} placeholder={type?.title} maxLength={200} aria-describedby={describedBy} data-field="label" onChange={(e) => props.onLabel(e.target.value)} />
          )}
        </Field>
        {type ? (
          <FormContext.Provider value={form}>
            <SchemaForm schema={schema} value={node.config} onChange={(next, path) => props.onConfig(next as FlowNode['config'], pathKey(path))} />
          </FormContext.Provider>
        ) : null}
      </div>
      <footer className="flow-inspector-footer row">
        <Button variant="danger" small onClick={props.onDelete} disabled={!props.deletable} title={props.deletable ? undefined : 'The flow needs its start node'}>
          Delete node
        </Button>
      </footer>
    </section>
  );
}
