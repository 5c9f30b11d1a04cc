import { describe, expect, it } from 'vitest';
import { BUILTIN_VARIABLES, knownVariables } from './known-variables.js';
import { builtinIndex, sampleFlow } from '../../testing/test-manifest.js';

describe('knownVariables', () => {
  it('lists the built-ins, then what nodes write and the names in variable fields', () => {
    const flow = sampleFlow();
    flow.nodes.push(
      { id: 'ask', type: 'wait_for_reply', config: { saveAs: 'answer' }, position: { x: 0, y: 0 } },
      { id: 'mail', type: 'collect_email', config: {}, position: { x: 0, y: 0 } },
      { id: 'hours', type: 'check_service_hours', config: {}, position: { x: 0, y: 0 } },
      { id: 'set', type: 'set_variable', config: { name: 'plan', value: 'gold' }, position: { x: 0, y: 0 } },
      { id: 'bad', type: 'set_variable', config: { name: 'not a name' }, position: { x: 0, y: 0 } },
      { id: 'odd', type: 'unknown_type', config: { saveAs: 'ignored' }, position: { x: 0, y: 0 } },
    );
    expect(knownVariables(flow, builtinIndex)).toEqual([...BUILTIN_VARIABLES, 'answer', 'plan', 'serviceHours.nextOpenAt', 'serviceHours.open']);
  });

  it('reads variable fields inside lists', () => {
    const flow = { nodes: [{ id: 'c', type: 'condition', config: { rules: [{ port: 'a', variable: 'order.status' }] }, position: { x: 0, y: 0 } }] };
    expect(knownVariables(flow, builtinIndex)).toContain('order.status');
  });
});
