import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinNodes } from '../builtin/index.js';
import { defineNode, type AnyNodeDefinition } from './define-node.js';
import type { PortSpec } from './ports.js';
import { createRegistry, NodeRegistryError } from './registry.js';

function node(type: string, version = 1, ports: PortSpec = ['next']): AnyNodeDefinition {
  return defineNode({
    type,
    version,
    title: `${type} v${version}`,
    description: '',
    category: 'logic',
    config: z.object({}),
    ports,
    step: () => ({ then: { go: 'next' } }),
  });
}

describe('createRegistry', () => {
  it('registers every built-in node', () => {
    const registry = createRegistry(builtinNodes);
    expect(registry.latest().map((d) => d.type)).toEqual([
      'assign_to_user',
      'check_service_hours',
      'collect_email',
      'condition',
      'end',
      'escalate',
      'http_request',
      'llm_reply',
      'send_message',
      'set_variable',
      'start',
      'wait_for_reply',
    ]);
  });

  it('throws on a duplicate type@version, naming both sources', () => {
    const sources = new Map<AnyNodeDefinition, string>();
    const first = node('lookup');
    const second = node('lookup');
    sources.set(first, '@acme/nodes');
    sources.set(second, '@other/nodes');
    const create = () => createRegistry([first, node('other'), second], (d) => sources.get(d) ?? 'unknown');
    expect(create).toThrow(NodeRegistryError);
    expect(create).toThrow('node lookup@1 is declared twice: by @acme/nodes and by @other/nodes');
  });

  it('throws on a duplicate built-in', () => {
    expect(() => createRegistry([...builtinNodes, builtinNodes[1]!])).toThrow(/node send_message@1 is declared twice/);
  });

  it('throws on a bad port id', () => {
    expect(() => createRegistry([node('bad', 1, ['has space'])])).toThrow(/node bad@1: port id "has space" must match/);
    expect(() => createRegistry([node('bad', 1, [{ id: '' }])])).toThrow(/port id "" must match/);
    expect(() => createRegistry([node('bad', 1, ['x'.repeat(65)])])).toThrow(/must match/);
  });

  it('throws on a duplicate port id, also between a string and a declaration', () => {
    expect(() => createRegistry([node('dup', 1, ['next', { id: 'next', label: 'Next' }])])).toThrow('node dup@1: port "next" is declared twice');
  });

  it('does not check ports that come from the config', () => {
    expect(() => createRegistry([node('rules', 1, [{ fromConfig: 'rules', idField: 'port' }, 'else'])])).not.toThrow();
  });

  it('gets the latest version without a version, and an exact version with one', () => {
    const registry = createRegistry([node('lookup', 2), node('lookup', 1), node('lookup', 3), node('alpha')]);
    expect(registry.get('lookup')?.version).toBe(3);
    expect(registry.get('lookup', 1)?.title).toBe('lookup v1');
    expect(registry.get('lookup', 2)?.title).toBe('lookup v2');
    expect(registry.get('lookup', 4)).toBeUndefined();
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.versions('lookup')).toEqual([1, 2, 3]);
    expect(registry.versions('missing')).toEqual([]);
    expect(registry.latest().map((d) => `${d.type}@${d.version}`)).toEqual(['alpha@1', 'lookup@3']);
    expect(registry.all().map((d) => `${d.type}@${d.version}`)).toEqual(['alpha@1', 'lookup@1', 'lookup@2', 'lookup@3']);
  });
});

describe('defineNode', () => {
  it('refuses a type that is not snake_case and a version that is not a positive integer', () => {
    expect(() => node('SendMessage')).toThrow('node type "SendMessage" must be snake_case');
    expect(() => node('x', 0)).toThrow('node x: version must be a positive integer');
    expect(() => node('x', 1.5)).toThrow(/version must be a positive integer/);
  });
});
