import type { FlowIssue } from '@baton/nodes';
import { countIssues } from './flow-issues.js';
import { Popover } from './Popover.js';

/** The flow's problems, errors first; choosing one shows its node. */
export function IssuesMenu({ issues, onShowNode }: { issues: readonly FlowIssue[]; onShowNode(nodeId: string): void }) {
  const { errors, warnings } = countIssues(issues);
  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const label =
    issues.length === 0
      ? 'No problems'
      : [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  return (
    <Popover
      label={
        <>
          <span className={`flow-dot ${errors ? 'flow-dot-error' : warnings ? 'flow-dot-warning' : 'flow-dot-ok'}`} aria-hidden="true" />
          {label}
        </>
      }
      className="flow-issues-button"
      panelLabel="Problems"
      testId="issues-button"
    >
      {(close) =>
        issues.length === 0 ? (
          <p className="muted flow-popover-empty">The flow has no problems. It can be published.</p>
        ) : (
          <ul className="flow-issue-list" data-testid="issues-list">
            {sorted.map((issue, index) => (
              <li key={index} className={`flow-issue flow-issue-${issue.severity}`}>
                <span className="flow-issue-severity">{issue.severity === 'error' ? 'Error' : 'Warning'}</span>
                <span className="grow">{issue.message}</span>
                {issue.nodeId ? (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      close();
                      onShowNode(issue.nodeId!);
                    }}
                  >
                    Show
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )
      }
    </Popover>
  );
}
