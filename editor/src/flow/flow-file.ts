import { flowDocumentSchema, type FlowDocument } from '@baton/nodes';

/** Reads an imported file: a flow document, or a sentence saying what is wrong with it. */
export function parseFlowFile(text: string): { ok: true; flow: FlowDocument } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This file is not JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const parsed = flowDocumentSchema.safeParse(json);
  if (parsed.success) return { ok: true, flow: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.filter((p) => typeof p !== 'symbol').join('.');
    return `${path || 'the document'}: ${issue.message}`;
  });
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return { ok: false, error: `This file is not a Baton flow: ${problems.slice(0, 3).join('; ')}${more}.` };
}

/** The export's file name: the bot's name, made safe for every file system. */
export function exportFileName(name: string): string {
  const safe = name
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return `${safe || 'flow'}.flow.json`;
}

export function serializeFlow(flow: FlowDocument): string {
  return `${JSON.stringify(flow, null, 2)}\n`;
}
