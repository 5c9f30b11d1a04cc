import { describe, expect, it } from 'vitest';
import { nodeKey } from '../sdk/define-node.js';
import { builtinNodes } from './index.js';
import { builtinSteps } from './steps.js';

describe('builtinSteps', () => {
  it('holds exactly the step of every built-in node, by type@version', () => {
    expect([...builtinSteps.keys()].sort()).toEqual(builtinNodes.map((node) => nodeKey(node.type, node.version)).sort());
    for (const node of builtinNodes) expect(builtinSteps.get(nodeKey(node.type, node.version)), node.type).toBe(node.step);
  });
});
