import { z } from 'zod';
import { isJsonObject } from '../json.js';

/**
 * A node's exit. Its `id` is stored on edges (`sourcePort`) and is the editor's handle id.
 * `afterWait` marks a port that is only ever taken after the conversation waited for
 * something from outside (a user reply, a human, a timer); `validateFlow` uses it to refuse
 * loops that would spin without ever waiting.
 */
export const portDeclarationSchema = z.object({
  id: z.string(),
  label: z.string().optional(),
  afterWait: z.boolean().optional(),
  /** When set, `validateFlow` warns with this text if the port has no edge. */
  warnIfUnconnected: z.string().optional(),
});
export type PortDeclaration = z.output<typeof portDeclarationSchema>;

/** One port per item of a config array, e.g. one per condition rule. */
export const portsFromConfigSchema = z.object({
  fromConfig: z.string(),
  /** The field of each item that holds the port id. */
  idField: z.string(),
  /** The field of each item shown as the port's label (defaults to the id). */
  labelField: z.string().optional(),
});
export type PortsFromConfig = z.output<typeof portsFromConfigSchema>;

/** A node type's ports as declared: fixed ids, declarations, or ports derived from its config. */
export const portSpecSchema = z.array(z.union([z.string(), portDeclarationSchema, portsFromConfigSchema])).readonly();
export type PortSpec = z.output<typeof portSpecSchema>;

/**
 * The concrete ports of a node for a given config, in display order.
 *
 * @example
 * resolvePorts([{ fromConfig: 'rules', idField: 'port' }, 'else'], { rules: [{ port: 'vip' }] })
 * // [{ id: 'vip' }, { id: 'else' }]
 */
export function resolvePorts(spec: PortSpec, config: unknown): PortDeclaration[] {
  const ports: PortDeclaration[] = [];
  for (const entry of spec) {
    if (typeof entry === 'string') ports.push({ id: entry });
    else if ('id' in entry) ports.push({ ...entry });
    else {
      const items = isJsonObject(config) ? config[entry.fromConfig] : undefined;
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        if (!isJsonObject(item)) continue;
        const id = item[entry.idField];
        if (typeof id !== 'string' || id === '') continue;
        const label = entry.labelField ? item[entry.labelField] : undefined;
        ports.push(typeof label === 'string' && label !== '' ? { id, label } : { id });
      }
    }
  }
  return ports;
}
