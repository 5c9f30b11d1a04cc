import { z } from 'zod';
import type { JsonObject } from '../json.js';
import { DEFAULT_FALLBACK_MESSAGE } from './defaults.js';

export const FLOW_SCHEMA_VERSION = 1;

export { DEFAULT_FALLBACK_MESSAGE } from './defaults.js';

const id = z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const flowNodeSchema = z.object({
  id,
  type: z.string().min(1, 'must not be empty'),
  /** The node definition's version; set when a flow is published, latest when absent. */
  typeVersion: z.number().int().positive().optional(),
  /** The builder's own name for this node on the canvas. */
  label: z.string().max(200).optional(),
  config: z.record(z.string(), z.json()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  /**
   * Written by the server when it publishes: what the engine needs to run an activity-only node
   * whose definition is not in the worker's workflow bundle (a node package installed later).
   */
  runtime: z
    .object({
      activityOnly: z.object({
        ports: z.array(z.string()),
        timeoutSeconds: z.number().positive(),
        heartbeatSeconds: z.number().positive().optional(),
        maxAttempts: z.number().int().positive().optional(),
      }),
    })
    .optional(),
});

export const flowEdgeSchema = z.object({
  id,
  source: id,
  sourcePort: z.string().min(1, 'must not be empty'),
  target: id,
});

export const flowSettingsSchema = z.object({
  /** Said when a node fails for good and has no `error` edge. */
  fallbackMessage: z.string().max(2000).default(DEFAULT_FALLBACK_MESSAGE),
  /** After the fallback message: queue the conversation for a human, or end it. */
  onError: z.enum(['handoff', 'end']).default('handoff'),
  /** Messages the user sends within this many milliseconds of each other are answered as one turn. */
  burstWindowMs: z.number().int().min(0).max(10_000).default(1000),
});

export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  name: z.string().max(200).default(''),
  nodes: z.array(flowNodeSchema).max(2000, 'a flow has at most 2000 nodes'),
  edges: z.array(flowEdgeSchema).max(5000, 'a flow has at most 5000 edges'),
  settings: flowSettingsSchema.default(flowSettingsSchema.parse({})),
});

/** The import/export format of a flow (docs/flow-format.md), after parsing (defaults applied). */
export type FlowDocument = z.output<typeof flowDocumentSchema>;
export type FlowNode = z.output<typeof flowNodeSchema>;
export type FlowEdge = z.output<typeof flowEdgeSchema>;
export type FlowSettings = z.output<typeof flowSettingsSchema>;
/** A flow document as written by hand or by the editor (defaults may be missing). */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;

export function emptyFlow(name = ''): FlowDocument {
  return flowDocumentSchema.parse({
    schemaVersion: FLOW_SCHEMA_VERSION,
    name,
    nodes: [{ id: 'start', type: 'start', config: {} as JsonObject, position: { x: 0, y: 0 } }],
    edges: [],
  });
}
