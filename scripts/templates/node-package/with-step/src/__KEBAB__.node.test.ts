import { describe, expect, it } from 'vitest';
import { resolvePorts } from '@baton/nodes';
import { runStep, TEST_NOW } from '@baton/nodes/testing';
import { __CAMEL__Node } from './__KEBAB__.node.js';

const config = { url: 'https://api.example.com/lookup', apiKey: 'example_api_key' };

describe('__TYPE__', () => {
  it('refuses a config the editor and the server would refuse', () => {
    expect(() => runStep(__CAMEL__Node, { config: { ...config, apiKey: 'sk-live-123' } })).toThrow(/apiKey/);
    expect(() => runStep(__CAMEL__Node, { config: { ...config, url: 'not a url' } })).toThrow(/url/);
  });

  it('renders the query and calls its activity, the same way every time', () => {
    const context = { config: { ...config, query: 'Status of order {{order.id}}' }, vars: { order: { id: 42 } } };
    const entered = runStep(__CAMEL__Node, context);
    expect(entered.then).toEqual({
      call: { url: config.url, query: 'Status of order 42', apiKey: 'example_api_key', sentAt: TEST_NOW },
    });
    // A replay gets the same context: it must get the same answer.
    expect(runStep(__CAMEL__Node, context)).toEqual(entered);
  });

  it('saves the answer and leaves through `ok`, and declares `error` for failures', () => {
    const done = runStep(__CAMEL__Node, { config, result: { answer: { status: 'shipped' } } });
    expect(done).toEqual({ say: [], set: { __TYPE__: { status: 'shipped' } }, then: { go: 'ok' } });
    // The engine routes an activity that failed for good to `error`.
    expect(resolvePorts(__CAMEL__Node.ports, config).map((port) => port.id)).toEqual(['ok', 'error']);
  });
});
