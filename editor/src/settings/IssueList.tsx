import type { ApiIssue } from '../api/client.js';
import { documentPath, issueLocation } from './issues.js';
import { tabOf, type SettingsTab } from './settings-form.js';

/** Why a save was refused: every issue with where it is; each one leads to its tab. */
export function IssueList({ issues, onShow }: { issues: readonly ApiIssue[]; onShow(tab: SettingsTab): void }) {
  if (issues.length === 0) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="settings-issues">
      <strong>
        Not saved: {issues.length} {issues.length === 1 ? 'problem' : 'problems'} to fix.
      </strong>
      <ul className="issue-list">
        {issues.map((issue, index) => (
          <li key={index}>
            <button type="button" className="link-button" onClick={() => onShow(tabOf(documentPath(issue)))}>
              {issueLocation(issue)}
            </button>
            : {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
