import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinNodes } from '../builtin/index.js';
import { defineNode } from './define-node.js';
import { nodeTypeManifest, registryManifest } from './manifest.js';
import { createRegistry } from './registry.js';
import { ui } from './ui.js';

type JsonSchemaObject = { type?: string; properties?: Record<string, Record<string, unknown>> };

describe('nodeTypeManifest', () => {
  it.each(builtinNodes.map((d) => [`${d.type}@${d.version}`, d] as const))('%s: a JSON object schema with x-ui hints on every field', (_key, definition) => {
    const manifest = nodeTypeManifest(definition);
    const schema = manifest.configSchema as JsonSchemaObject;
    expect(schema.type).toBe('object');
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      expect(property['x-ui'], `${definition.type}.${field}`).toEqual(expect.any(Object));
    }
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest).toMatchObject({ type: definition.type, version: definition.version, title: definition.title, hasActivity: definition.activity !== undefined });
  });

  it('carries the hints of a field as written', () => {
    const schema = nodeTypeManifest(builtinNodes.find((d) => d.type === 'send_message')!).configSchema as JsonSchemaObject;
    expect(schema.properties?.['text']?.['x-ui']).toEqual({ widget: 'template', label: 'Message', placeholder: 'Hi {{user.name | there}}! How can I help?' });
    expect(schema).toMatchObject({ required: ['text'] });
  });

  it('gives the default config of a fresh node, or {} when it needs input', () => {
    const byType = Object.fromEntries(builtinNodes.map((d) => [d.type, nodeTypeManifest(d)]));
    expect(byType['wait_for_reply']?.defaultConfig).toEqual({ timeoutSeconds: 300 });
    expect(byType['condition']?.defaultConfig).toEqual({ rules: [], ignoreCase: true });
    expect(byType['send_message']?.defaultConfig).toEqual({});
    expect(byType['start']).toMatchObject({ entry: true, ports: ['next'], hasActivity: false });
    expect(byType['llm_reply']?.hasActivity).toBe(true);
    expect(byType['collect_email']?.setsVariables).toEqual(['user.email']);
  });

  it('throws for a config the editor could not render, such as a transform', () => {
    const transformed = defineNode({
      type: 'transformed',
      version: 1,
      title: 'T',
      description: '',
      category: 'logic',
      config: z.object({ n: z.string().transform((s) => s.length).meta(ui({ label: 'N' })) }),
      ports: ['next'],
      step: () => ({ then: { go: 'next' } }),
    });
    expect(() => nodeTypeManifest(transformed)).toThrow(/Transforms cannot be represented/);
  });

  it('throws for a custom type', () => {
    const custom = defineNode({
      type: 'custom_type',
      version: 1,
      title: 'C',
      description: '',
      category: 'logic',
      config: z.object({ when: z.custom<`${number}`>((v) => typeof v === 'string' && /^\d+$/.test(v)) }),
      ports: ['next'],
      step: () => ({ then: { go: 'next' } }),
    });
    expect(() => nodeTypeManifest(custom)).toThrow();
  });
});

describe('registryManifest', () => {
  it('lists the latest versions, or all versions on request', () => {
    const v1 = defineNode({ type: 'lookup', version: 1, title: 'L1', description: '', category: 'logic', config: z.object({}), ports: ['next'], step: () => ({ then: { go: 'next' } }) });
    const v2 = defineNode({ ...v1, version: 2, title: 'L2' });
    const registry = createRegistry([v2, v1]);
    expect(registryManifest(registry).map((m) => m.title)).toEqual(['L2']);
    expect(registryManifest(registry, { allVersions: true }).map((m) => m.title)).toEqual(['L1', 'L2']);
  });
});
