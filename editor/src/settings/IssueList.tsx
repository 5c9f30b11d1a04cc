import type { ApiIssue } from '../api/client.js';
import type { DeskType } from '../api/types.js';
import { documentPath, issueLocation } from './issues.js';
import { tabOf, type SettingsTab } from './settings-form.js';

/** Why a save was refused: every issue with where it is; each one leads to its tab. */
export function IssueList({ issues, deskTypes, onShow }: { issues: readonly ApiIssue[]; deskTypes: readonly DeskType[]; onShow(tab: SettingsTab): void }) {
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
              {issueLocation(issue, deskTypes)}
            </button>
            : {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
