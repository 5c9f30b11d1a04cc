import { describe, expect, it } from 'vitest';
import { builtinNodes } from '../builtin/index.js';
import type { JsonObject } from '../json.js';
import { createRegistry } from '../sdk/registry.js';
import type { FlowDocumentInput } from './flow-document.js';
import { hasErrors, type FlowIssue } from './issues.js';
import { validateFlow } from './validate-flow.js';

const registry = createRegistry(builtinNodes);

type NodeInput = { id: string; type: string; typeVersion?: number; config?: JsonObject };
type EdgeInput = [id: string, source: string, sourcePort: string, target: string];

function flow(nodes: NodeInput[], edges: EdgeInput[] = []): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name: 'test',
    nodes: nodes.map((n) => ({ ...n, config: n.config ?? {}, position: { x: 0, y: 0 } })),
    edges: edges.map(([id, source, sourcePort, target]) => ({ id, source, sourcePort, target })),
  };
}

const start: NodeInput = { id: 'start', type: 'start' };
const say = (id: string, text = 'Hello'): NodeInput => ({ id, type: 'send_message', config: { text } });
const wait = (id: string): NodeInput => ({ id, type: 'wait_for_reply', config: { timeoutSeconds: 60 } });
const end = (id: string): NodeInput => ({ id, type: 'end' });

/** The issues without their messages, which are for people. */
const summary = (issues: FlowIssue[]) => issues.map(({ message: _message, ...rest }) => rest);

describe('validateFlow', () => {
  it('returns no issue for a clean flow', () => {
    const doc = flow(
      [start, say('hello'), wait('ask'), { id: 'route', type: 'condition', config: { rules: [{ port: 'yes', variable: 'lastMessage', op: 'equals', value: 'yes' }] } }, end('bye')],
      [
        ['e1', 'start', 'next', 'hello'],
        ['e2', 'hello', 'next', 'ask'],
        ['e3', 'ask', 'replied', 'route'],
        ['e4', 'ask', 'timeout', 'bye'],
        ['e5', 'route', 'yes', 'bye'],
        ['e6', 'route', 'else', 'hello'],
      ],
    );
    expect(validateFlow(doc, registry)).toEqual([]);
  });

  describe('invalid_document', () => {
    it('locates a bad field by its path', () => {
      const doc = flow([start, { id: '', type: 'send_message' }]);
      const issues = validateFlow(doc, registry);
      expect(summary(issues)).toEqual([{ severity: 'error', code: 'invalid_document', path: ['nodes', 1, 'id'] }]);
      expect(issues[0]?.message).toBe('nodes.1.id: must not be empty');
    });

    it('says a missing field is required', () => {
      const issues = validateFlow({ schemaVersion: 1, nodes: [] }, registry);
      expect(summary(issues)).toEqual([{ severity: 'error', code: 'invalid_document', path: ['edges'] }]);
      expect(issues[0]?.message).toBe('edges: is required');
    });

    it('refuses an unknown schema version and a value that is not a document', () => {
      expect(summary(validateFlow({ ...flow([start]), schemaVersion: 2 }, registry))).toEqual([
        { severity: 'error', code: 'invalid_document', path: ['schemaVersion'] },
      ]);
      const issues = validateFlow('not a flow', registry);
      expect(summary(issues)).toEqual([{ severity: 'error', code: 'invalid_document', path: [] }]);
      expect(issues[0]?.message).toMatch(/^document: /);
    });
  });

  it('duplicate_id: for nodes and for edges, at the later one', () => {
    const doc = flow(
      [start, say('a'), say('a', 'again')],
      [
        ['e1', 'start', 'next', 'a'],
        ['e1', 'a', 'next', 'a'],
      ],
    );
    const issues = validateFlow(doc, registry).filter((i) => i.code === 'duplicate_id');
    expect(summary(issues)).toEqual([
      { severity: 'error', code: 'duplicate_id', nodeId: 'a', path: ['nodes', 2, 'id'] },
      { severity: 'error', code: 'duplicate_id', edgeId: 'e1', path: ['edges', 1, 'id'] },
    ]);
  });

  it('unknown_node_type, also when a version is given, without calling the nodes after it unreachable', () => {
    const doc = flow(
      [start, { id: 'x', type: 'teleport' }, { id: 'y', type: 'teleport', typeVersion: 2 }],
      [
        ['e1', 'start', 'next', 'x'],
        ['e2', 'x', 'next', 'y'],
      ],
    );
    expect(summary(validateFlow(doc, registry))).toEqual([
      { severity: 'error', code: 'unknown_node_type', nodeId: 'x', path: ['nodes', 1, 'type'] },
      { severity: 'error', code: 'unknown_node_type', nodeId: 'y', path: ['nodes', 2, 'type'] },
    ]);
  });

  it('unknown_node_version names the installed versions', () => {
    const doc = flow([start, { ...say('a'), typeVersion: 9 }], [['e1', 'start', 'next', 'a']]);
    const issues = validateFlow(doc, registry);
    expect(summary(issues)).toEqual([{ severity: 'error', code: 'unknown_node_version', nodeId: 'a', path: ['nodes', 1, 'typeVersion'] }]);
    expect(issues[0]?.message).toContain('installed: 1');
  });

  it('accepts an explicit installed version', () => {
    const doc = flow([start, { ...end('bye'), typeVersion: 1 }], [['e1', 'start', 'next', 'bye']]);
    expect(validateFlow(doc, registry)).toEqual([]);
  });

  it('invalid_config: a path into the config, one issue per field', () => {
    const doc = flow(
      [start, say('a', ''), { id: 'c', type: 'condition', config: { rules: [{ port: 'else', variable: 'x', op: 'matches', value: '(' }] } }],
      [
        ['e1', 'start', 'next', 'a'],
        ['e2', 'a', 'next', 'c'],
      ],
    );
    const issues = validateFlow(doc, registry);
    expect(summary(issues)).toEqual([
      { severity: 'error', code: 'invalid_config', nodeId: 'a', path: ['nodes', 1, 'config', 'text'] },
      { severity: 'error', code: 'invalid_config', nodeId: 'c', path: ['nodes', 2, 'config', 'rules', 0, 'port'] },
      { severity: 'error', code: 'invalid_config', nodeId: 'c', path: ['nodes', 2, 'config', 'rules', 0, 'value'] },
    ]);
    expect(issues[0]?.message).toBe('Node "a" (Send message): text: must not be empty');
  });

  it('invalid_config: a missing required field is "required"', () => {
    const issues = validateFlow(flow([start, { id: 'd', type: 'escalate' }], [['e1', 'start', 'next', 'd']]), registry);
    expect(summary(issues)).toEqual([{ severity: 'error', code: 'invalid_config', nodeId: 'd', path: ['nodes', 1, 'config', 'provider'] }]);
  });

  it('edge_missing_node: at the source and at the target', () => {
    const doc = flow(
      [start, end('bye')],
      [
        ['e1', 'start', 'next', 'bye'],
        ['e2', 'ghost', 'next', 'bye'],
        ['e3', 'bye', 'next', 'phantom'],
      ],
    );
    expect(summary(validateFlow(doc, registry))).toEqual([
      { severity: 'error', code: 'edge_missing_node', edgeId: 'e2', path: ['edges', 1, 'source'] },
      { severity: 'error', code: 'edge_missing_node', edgeId: 'e3', path: ['edges', 2, 'target'] },
    ]);
  });

  it('edge_unknown_port lists the ports the node has', () => {
    const doc = flow(
      [start, wait('w'), end('bye')],
      [
        ['e1', 'start', 'next', 'w'],
        ['e2', 'w', 'next', 'bye'],
        ['e3', 'w', 'timeout', 'bye'],
      ],
    );
    const issues = validateFlow(doc, registry);
    expect(summary(issues)).toEqual([{ severity: 'error', code: 'edge_unknown_port', edgeId: 'e2', path: ['edges', 1, 'sourcePort'] }]);
    expect(issues[0]?.message).toContain('(ports: replied, timeout)');
  });

  it("accepts condition's rule ports as edge source ports, and refuses ports of rules it does not have", () => {
    const condition: NodeInput = {
      id: 'c',
      type: 'condition',
      config: { rules: [{ port: 'vip', variable: 'user.vip', op: 'exists' }, { port: 'new-user', variable: 'user.new', op: 'exists' }] },
    };
    const doc = flow(
      [start, condition, say('a'), say('b'), say('c2'), end('bye')],
      [
        ['e1', 'start', 'next', 'c'],
        ['e2', 'c', 'vip', 'a'],
        ['e3', 'c', 'new-user', 'b'],
        ['e4', 'c', 'else', 'c2'],
        ['e5', 'a', 'next', 'bye'],
        ['e6', 'b', 'next', 'bye'],
        ['e7', 'c2', 'next', 'bye'],
      ],
    );
    expect(validateFlow(doc, registry)).toEqual([]);
    const withStale = { ...doc, edges: [...doc.edges, { id: 'e8', source: 'c', sourcePort: 'gold', target: 'bye' }] };
    expect(summary(validateFlow(withStale, registry))).toEqual([
      { severity: 'error', code: 'edge_unknown_port', edgeId: 'e8', path: ['edges', 7, 'sourcePort'] },
    ]);
  });

  it('port_multiple_edges at the second edge of a port', () => {
    const doc = flow(
      [start, say('a'), say('b')],
      [
        ['e1', 'start', 'next', 'a'],
        ['e2', 'start', 'next', 'b'],
      ],
    );
    const issues = validateFlow(doc, registry);
    expect(summary(issues)).toEqual([
      { severity: 'error', code: 'port_multiple_edges', edgeId: 'e2', path: ['edges', 1, 'sourcePort'] },
      { severity: 'warning', code: 'unreachable_node', nodeId: 'b', path: ['nodes', 2] },
    ]);
  });

  it('no_start', () => {
    expect(summary(validateFlow(flow([say('a')]), registry))).toEqual([{ severity: 'error', code: 'no_start', path: ['nodes'] }]);
    expect(summary(validateFlow(flow([]), registry))).toEqual([{ severity: 'error', code: 'no_start', path: ['nodes'] }]);
  });

  it('multiple_starts at every start after the first', () => {
    const doc = flow([say('a'), start, { id: 'start2', type: 'start' }, { id: 'start3', type: 'start' }], [['e1', 'start', 'next', 'a']]);
    expect(summary(validateFlow(doc, registry))).toEqual([
      { severity: 'error', code: 'multiple_starts', nodeId: 'start2', path: ['nodes', 2] },
      { severity: 'error', code: 'multiple_starts', nodeId: 'start3', path: ['nodes', 3] },
    ]);
  });

  it('unreachable_node is a warning, also for nodes only reached from unreachable ones', () => {
    const doc = flow(
      [start, end('bye'), say('island'), say('beyond')],
      [
        ['e1', 'start', 'next', 'bye'],
        ['e2', 'island', 'next', 'beyond'],
      ],
    );
    const issues = validateFlow(doc, registry);
    expect(summary(issues)).toEqual([
      { severity: 'warning', code: 'unreachable_node', nodeId: 'island', path: ['nodes', 2] },
      { severity: 'warning', code: 'unreachable_node', nodeId: 'beyond', path: ['nodes', 3] },
    ]);
    expect(hasErrors(issues)).toBe(false);
  });

  describe('busy_loop', () => {
    it('send_message → condition → send_message is an error at the first node of the loop', () => {
      const doc = flow(
        [start, say('a'), { id: 'c', type: 'condition', config: {} }],
        [
          ['e1', 'start', 'next', 'a'],
          ['e2', 'a', 'next', 'c'],
          ['e3', 'c', 'else', 'a'],
        ],
      );
      const issues = validateFlow(doc, registry);
      expect(summary(issues)).toEqual([{ severity: 'error', code: 'busy_loop', nodeId: 'a', path: ['nodes', 1] }]);
      expect(issues[0]?.message).toContain('"a" → "c"');
    });

    it("a loop through wait_for_reply's replied port is fine", () => {
      const doc = flow(
        [start, say('a'), wait('w'), { id: 'c', type: 'condition', config: {} }, end('bye')],
        [
          ['e1', 'start', 'next', 'a'],
          ['e2', 'a', 'next', 'w'],
          ['e3', 'w', 'replied', 'c'],
          ['e4', 'c', 'else', 'a'],
          ['e5', 'w', 'timeout', 'bye'],
        ],
      );
      expect(validateFlow(doc, registry)).toEqual([]);
    });

    it('a self-loop through a port that does not wait is an error', () => {
      const doc = flow(
        [start, { id: 'c', type: 'condition', config: { rules: [{ port: 'again', variable: 'x', op: 'exists' }] } }, end('bye')],
        [
          ['e1', 'start', 'next', 'c'],
          ['e2', 'c', 'again', 'c'],
          ['e3', 'c', 'else', 'bye'],
        ],
      );
      expect(summary(validateFlow(doc, registry))).toEqual([{ severity: 'error', code: 'busy_loop', nodeId: 'c', path: ['nodes', 1] }]);
    });

    it('a self-loop through a waiting port is fine', () => {
      const doc = flow([start, wait('w')], [
        ['e1', 'start', 'next', 'w'],
        ['e2', 'w', 'replied', 'w'],
        ['e3', 'w', 'timeout', 'w'],
      ]);
      expect(validateFlow(doc, registry)).toEqual([]);
    });
  });

  it('unconnected_port: wait_for_reply without a timeout edge is a warning', () => {
    const doc = flow(
      [start, wait('w'), end('bye')],
      [
        ['e1', 'start', 'next', 'w'],
        ['e2', 'w', 'replied', 'bye'],
      ],
    );
    const issues = validateFlow(doc, registry);
    expect(summary(issues)).toEqual([{ severity: 'warning', code: 'unconnected_port', nodeId: 'w', path: ['nodes', 1] }]);
    expect(issues[0]?.message).toContain('port "timeout"');
    expect(hasErrors(issues)).toBe(false);
  });
});
