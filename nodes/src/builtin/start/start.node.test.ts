import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { startNode } from './start.node.js';

describe('start', () => {
  it('is the entry node and goes straight to next without saying anything', () => {
    expect(startNode.entry).toBe(true);
    const out = runStep(startNode, { config: {} });
    expect(out).toEqual({ say: [], then: { go: 'next' } });
  });
});
