import type { NodeTypeManifest } from '@baton/nodes';
import { widgetFor, formFields, singular } from './inspector/schema-form.js';
import { asSchema } from './json-schema.js';

/**
 * One line about a node's config for its card, chosen from the schema alone: the first message
 * or text the node says, else its first choice, else how many items its first list has.
 */
export function configSummary(manifest: NodeTypeManifest | undefined, config: Readonly<Record<string, unknown>>, maxLength = 80): string {
  if (!manifest) return '';
  const fields = formFields(asSchema(manifest.configSchema), config).filter((f) => !f.advanced);
  const valueOf = (name: string) => config[name];
  const pick = (kinds: readonly string[]) =>
    fields.find((f) => kinds.includes(f.kind) && typeof valueOf(f.name) === 'string' && (valueOf(f.name) as string).trim() !== '');
  const text = pick(['template', 'textarea']) ?? pick(['text', 'variable', 'secret']);
  if (text) return clip((valueOf(text.name) as string).replace(/\s+/g, ' ').trim(), maxLength);
  const list = fields.find((f) => f.kind === 'list' && Array.isArray(valueOf(f.name)) && (valueOf(f.name) as unknown[]).length > 0);
  if (list) {
    const count = (valueOf(list.name) as unknown[]).length;
    return `${count} ${(count === 1 ? singular(list.label) : list.label).toLowerCase()}`;
  }
  const choice = fields.find((f) => f.kind === 'select');
  if (choice) {
    const value = valueOf(choice.name) ?? choice.schema.default;
    const option = choice.options?.find((o) => o.value === value);
    if (option) return `${choice.label}: ${option.label}`;
  }
  const number = fields.find((f) => widgetFor(f.schema) === 'number' && typeof (valueOf(f.name) ?? f.schema.default) === 'number');
  if (number) return `${number.label}: ${String(valueOf(number.name) ?? number.schema.default)}`;
  return '';
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
