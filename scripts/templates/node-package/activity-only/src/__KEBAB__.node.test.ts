import { describe, expect, it } from 'vitest';
import { resolvePorts } from '@baton/nodes';
import { runStep } from '@baton/nodes/testing';
import { __CAMEL__Node } from './__KEBAB__.node.js';

const config = { url: 'https://api.example.com/lookup', apiKey: 'example_api_key' };

describe('__TYPE__', () => {
  it('refuses a config the editor and the server would refuse', () => {
    expect(() => runStep(__CAMEL__Node, { config: { ...config, apiKey: 'sk-live-123' } })).toThrow(/apiKey/);
    expect(() => runStep(__CAMEL__Node, { config: { ...config, url: 'not a url' } })).toThrow(/url/);
  });

  it('hands its config, defaults applied, and the variables to its activity', () => {
    const entered = runStep(__CAMEL__Node, { config, vars: { lastMessage: 'Where is order 42?' } });
    expect(entered.then).toEqual({
      call: { config: { ...config, query: '{{lastMessage}}' }, vars: { lastMessage: 'Where is order 42?' } },
    });
  });

  it('leaves through the port its activity answers, and declares `error` for failures', () => {
    const done = runStep(__CAMEL__Node, { config, result: { port: 'ok', set: { __TYPE__: { status: 'shipped' } } } });
    expect(done).toEqual({ say: [], set: { __TYPE__: { status: 'shipped' } }, then: { go: 'ok' } });
    // The engine routes an activity that failed for good to `error`.
    expect(resolvePorts(__CAMEL__Node.ports, config).map((port) => port.id)).toEqual(['ok', 'error']);
    expect(() => runStep(__CAMEL__Node, { config, result: { port: 'elsewhere' } })).toThrow(/does not declare/);
  });
});
