// `{{variable}}` autocomplete for template fields, as pure functions of the text and the caret.

/** The `{{…` being typed at the caret: where it starts and the name typed so far. */
export function completionAt(text: string, caret: number): { from: number; query: string } | undefined {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open === -1) return undefined;
  const typed = before.slice(open + 2);
  // Past a `}` or a fallback (`|`) the placeholder is no longer a name being typed.
  if (!/^\s*[A-Za-z0-9_.]*$/.test(typed)) return undefined;
  return { from: open, query: typed.trim() };
}

/** Variables matching what was typed: names starting with it first, then names containing it. */
export function suggestVariables(variables: readonly string[], query: string, limit = 8): string[] {
  const q = query.toLowerCase();
  const starts = variables.filter((v) => v.toLowerCase().startsWith(q));
  const contains = variables.filter((v) => !v.toLowerCase().startsWith(q) && v.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** Replaces the `{{…` at `from..caret` with `{{variable}}` (reusing a `}}` already after the caret). */
export function applyCompletion(text: string, from: number, caret: number, variable: string): { text: string; caret: number } {
  let rest = text.slice(caret);
  const closing = /^[A-Za-z0-9_.]*\s*\}\}/.exec(rest);
  if (closing) rest = rest.slice(closing[0].length);
  const inserted = `{{${variable}}}`;
  return { text: text.slice(0, from) + inserted + rest, caret: from + inserted.length };
}
