import type { FlowIssue } from '@baton/nodes';
import { describe, expect, it } from 'vitest';
import { configPath, countIssues, fieldMessage, firstErrorNodeId, groupIssues, hasIssueWithin, pathKey, placeIssues } from './flow-issues.js';
import { createNodeViewStore } from './node-view-store.js';

const issues: FlowIssue[] = [
  { severity: 'warning', code: 'unreachable_node', message: 'Node "a" can never be reached from the start node', nodeId: 'a', path: ['nodes', 1] },
  { severity: 'error', code: 'invalid_config', message: 'Node "b" (Condition): rules.0.port: must be letters, digits, _ or -', nodeId: 'b', path: ['nodes', 2, 'config', 'rules', 0, 'port'] },
  { severity: 'error', code: 'edge_unknown_port', message: 'Edge "e1" leaves …', edgeId: 'e1', path: ['edges', 0, 'sourcePort'] },
  { severity: 'error', code: 'no_start', message: 'The flow has no start node', path: ['nodes'] },
];

describe('issues', () => {
  it('groups by node, edge and flow', () => {
    const grouped = groupIssues(issues);
    expect(grouped.byNode.get('b')).toEqual([issues[1]]);
    expect(grouped.byEdge.get('e1')).toEqual([issues[2]]);
    expect(grouped.general).toEqual([issues[3]]);
    expect(countIssues(issues)).toEqual({ errors: 3, warnings: 1 });
  });

  it('finds the config field of an issue and its message without the node and field', () => {
    expect(configPath(issues[1]!)).toEqual(['rules', 0, 'port']);
    expect(configPath(issues[0]!)).toBeUndefined();
    expect(fieldMessage(issues[1]!)).toBe('Must be letters, digits, _ or -');
    expect(fieldMessage({ path: ['nodes', 1, 'config', 'text'], message: 'Node "a" (Send message): text: is required' })).toBe('Required');
    expect(fieldMessage(issues[0]!)).toBe(issues[0]!.message);
  });

  it('names the first node with an error', () => {
    expect(firstErrorNodeId(issues)).toBe('b');
    expect(firstErrorNodeId([issues[0]!])).toBeUndefined();
  });

  it('places an issue on the deepest shown field containing its path', () => {
    const shown = new Set([pathKey(['rules']), pathKey(['rules', 0]), pathKey(['rules', 0, 'port']), pathKey(['days'])]);
    const { byPath, unplaced } = placeIssues(
      [
        { path: ['rules', 0, 'port'], message: 'bad port' },
        { path: ['rules', 0], message: 'bad rule' },
        { path: ['days', 2], message: 'bad day' },
        { path: ['hidden'], message: 'hidden field' },
        { path: [], message: 'whole config' },
      ],
      shown,
    );
    expect(byPath.get(pathKey(['rules', 0, 'port']))).toEqual(['bad port']);
    expect(byPath.get(pathKey(['rules', 0]))).toEqual(['bad rule']);
    expect(byPath.get(pathKey(['days']))).toEqual(['bad day']);
    expect(unplaced).toEqual(['hidden field', 'whole config']);
  });
});

describe('per-card view store', () => {
  it('keeps the same view for a card whose issues did not change and notifies on changes', () => {
    const store = createNodeViewStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.setIssues(issues);
    const a = store.view('a');
    const b = store.view('b');
    expect(b).toEqual({ errors: [issues[1]!.message], warnings: [], highlighted: false });
    expect(a.warnings).toHaveLength(1);
    store.setIssues(issues.map((i) => ({ ...i })));
    expect(store.view('a')).toBe(a);
    expect(notified).toBe(1);
    store.setIssues([issues[0]!]);
    expect(store.view('a')).toBe(a);
    expect(store.view('b').errors).toEqual([]);
    store.setHighlight('b');
    expect(store.view('b').highlighted).toBe(true);
    expect(store.view('a')).toBe(a);
    expect(notified).toBe(3);
  });
});

describe('issues within a field', () => {
  it('finds issues on a path or below it', () => {
    const byPath = new Map([[pathKey(['texts', 'waiting']), ['x']]]);
    expect(hasIssueWithin(byPath, ['texts'])).toBe(true);
    expect(hasIssueWithin(byPath, ['texts', 'waiting'])).toBe(true);
    expect(hasIssueWithin(byPath, ['text'])).toBe(false);
    expect(hasIssueWithin(byPath, ['texts', 'waiting', 0])).toBe(false);
  });
});
