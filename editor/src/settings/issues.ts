// The server's validation issues (`error.issues[].path`, like ['body','serviceHours','rules',0,'end'])
// placed on the fields they concern.
import type { ApiIssue } from '../api/client.js';
import type { DeskType } from '../api/types.js';
import { humanize } from '../flow/inspector/schema-form.js';
import { asSchema } from '../flow/json-schema.js';

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
  widget: 'Widget',
  allowedOrigins: 'allowed origins',
  greeting: 'greeting',
  color: 'colour',
  days: 'days',
  date: 'date',
  start: 'start',
  end: 'end',
};

/** A desk field in the words of its form: its label ("Intercom access token"), else the desk's title and the field. */
function deskFieldName(deskTypes: readonly DeskType[], kind: string, field: string | number | undefined): string {
  const desk = deskTypes.find((type) => type.kind === kind);
  if (field === undefined) return desk?.title ?? kind;
  const label = asSchema(desk?.configSchema).properties?.[String(field)]?.['x-ui']?.label;
  return label ?? `${desk?.title ?? kind} › ${humanize(String(field)).toLowerCase()}`;
}

/** Where an issue is, in the screen's words: "Service hours › rule 1 › end", "Desks › Intercom access token". */
export function issueLocation(issue: ApiIssue, deskTypes: readonly DeskType[] = []): string {
  const path = documentPath(issue);
  if (path[0] === 'desks' && path.length >= 2) return ['Desks', deskFieldName(deskTypes, String(path[1]), path[2]), ...path.slice(3).map(String)].join(' › ');
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
