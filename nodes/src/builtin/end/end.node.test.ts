import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { endNode } from './end.node.js';

describe('end', () => {
  it('ends silently by default', () => {
    expect(runStep(endNode, { config: {} })).toEqual({ say: [], then: { end: true } });
  });

  it('says the rendered last message and ends', () => {
    const out = runStep(endNode, { config: { message: 'Bye {{user.name | there}}!' }, vars: { user: { name: 'Ann' } } });
    expect(out).toEqual({ say: ['Bye Ann!'], then: { end: true } });
  });

  it('with a record URL, says the message and calls the activity with the variables, then ends', () => {
    const vars = { user: { email: 'ann@example.com' }, order: { id: 7 } };
    const out = runStep(endNode, {
      config: { message: 'Bye', recordUrl: 'https://crm.example.com/hook' },
      vars,
      nodeId: 'finish',
      now: '2026-03-01T12:00:00.000Z',
    });
    expect(out.say).toEqual(['Bye']);
    expect(out.then).toEqual({
      call: { url: 'https://crm.example.com/hook', record: { endedAt: '2026-03-01T12:00:00.000Z', nodeId: 'finish', variables: vars } },
    });

    const after = runStep(endNode, { config: { message: 'Bye', recordUrl: 'https://crm.example.com/hook' }, result: { delivered: false } });
    expect(after).toEqual({ say: [], then: { end: true } });
  });

  it('refuses a record URL that is not http(s)', () => {
    expect(() => runStep(endNode, { config: { recordUrl: 'ftp://example.com/x' } })).toThrow(/recordUrl: /);
    expect(() => runStep(endNode, { config: { recordUrl: 'not a url' } })).toThrow(/recordUrl: /);
  });

  it('has no ports', () => {
    expect(endNode.ports).toEqual([]);
  });
});
