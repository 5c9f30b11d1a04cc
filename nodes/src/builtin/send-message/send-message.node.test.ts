import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { sendMessageNode } from './send-message.node.js';

describe('send_message', () => {
  it('says the rendered text and goes to next', () => {
    const out = runStep(sendMessageNode, {
      config: { text: 'Hi {{user.name | there}}, your order {{order.id}} is {{order.status}}.' },
      vars: { user: { name: 'Ann' }, order: { id: 7, status: 'shipped' } },
    });
    expect(out).toEqual({ say: ['Hi Ann, your order 7 is shipped.'], then: { go: 'next' } });
  });

  it('uses the fallback when the variable is missing', () => {
    const out = runStep(sendMessageNode, { config: { text: 'Hi {{user.name | there}}!' }, vars: { user: {} } });
    expect(out.say).toEqual(['Hi there!']);
  });

  it('refuses an empty message', () => {
    expect(() => runStep(sendMessageNode, { config: { text: '   ' } })).toThrow(/invalid config: text: must not be empty/);
    expect(() => runStep(sendMessageNode, { config: {} as { text: string } })).toThrow(/invalid config: text:/);
  });
});
