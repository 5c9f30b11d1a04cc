// The server's validation issues (`error.issues[].path`, like ['body','serviceHours','rules',0,'end'])
// placed on the fields they concern.
import type { ApiIssue } from '../api/client.js';

export type Path = readonly (string | number)[];

/** The issue's path inside the settings document (without the request part, `body`). */
export function documentPath(issue: ApiIssue): (string | number)[] {
  const [first, ...rest] = issue.path;
  return first === 'body' ? rest : issue.path;
}

function startsWith(path: Path, prefix: Path): boolean {
  // Indexes may come back as numbers or as strings; compare them as text.
  return prefix.length <= path.length && prefix.every((part, i) => String(part) === String(path[i]));
}

/** Issues about exactly this field, or (`nested`) about it or anything inside it. */
export function issuesAt(issues: readonly ApiIssue[], path: Path, options: { nested?: boolean } = {}): ApiIssue[] {
  return issues.filter((issue) => {
    const at = documentPath(issue);
    return options.nested ? startsWith(at, path) : at.length === path.length && startsWith(at, path);
  });
}

/** The text to show under a field, or undefined when it has no issue. */
export function errorAt(issues: readonly ApiIssue[], path: Path, options: { nested?: boolean } = {}): string | undefined {
  const found = issuesAt(issues, path, options);
  return found.length ? [...new Set(found.map((issue) => issue.message))].join('; ') : undefined;
}

export function countUnder(issues: readonly ApiIssue[], prefix: Path): number {
  return issuesAt(issues, prefix, { nested: true }).length;
}

/** The issues left after a structural edit made their paths meaningless (a rule removed or moved). */
export function dropUnder(issues: readonly ApiIssue[], prefix: Path): ApiIssue[] {
  return issues.filter((issue) => !startsWith(documentPath(issue), prefix));
}

const NAMES: Record<string, string> = {
  enabled: 'Live',
  aiMode: 'AI mode',
  defaultDesk: 'Default desk',
  serviceHours: 'Service hours',
  timezone: 'time zone',
  rules: 'rules',
  desks: 'Desks',
  intercom: 'Intercom',
  livechat: 'LiveChat',
  webhook: 'Webhook',
  accessToken: 'access token',
  clientSecret: 'client secret',
  apiBaseUrl: 'API base URL',
  organizationId: 'organization ID',
  secretKey: 'secret key',
  baseUrl: 'base URL',
  secret: 'signing secret',
  username: 'user name',
  password: 'password',
  widget: 'Widget',
  allowedOrigins: 'allowed origins',
  greeting: 'greeting',
  color: 'colour',
  days: 'days',
  date: 'date',
  start: 'start',
  end: 'end',
};

/** Where an issue is, in the screen's words: "Service hours › rule 1 › end". */
export function issueLocation(issue: ApiIssue): string {
  const path = documentPath(issue);
  const parts: string[] = [];
  path.forEach((part, i) => {
    if (typeof part === 'number' || /^\d+$/.test(String(part))) {
      const n = Number(part) + 1;
      const parent = path[i - 1];
      if (parent === 'rules') parts[parts.length - 1] = `rule ${n}`;
      else if (parent === 'allowedOrigins') parts[parts.length - 1] = `allowed origin ${n}`;
      else if (parent === 'days') parts[parts.length - 1] = `day ${n}`;
      else parts.push(`#${n}`);
      return;
    }
    parts.push(NAMES[part] ?? part);
  });
  return parts.join(' › ') || 'Settings';
}
