import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { collectEmailNode } from './collect-email.node.js';

const config = { prompt: 'Your email, {{user.name | friend}}?', invalidMessage: 'Hmm, "{{lastMessage}}" is not an email.' };

describe('collect_email', () => {
  it('asks and waits without a timeout when no email is known', () => {
    const out = runStep(collectEmailNode, { config, vars: { user: { name: 'Ann' } } });
    expect(out).toEqual({ say: ['Your email, Ann?'], local: { attempts: 0 }, then: { wait: {} } });
  });

  it('skips when user.email is already known', () => {
    const out = runStep(collectEmailNode, { config, vars: { user: { email: 'ann@example.com' } } });
    expect(out).toEqual({ say: [], set: { 'user.email': 'ann@example.com' }, then: { go: 'next' } });
  });

  it('copies a known user.email into another saveAs when skipping', () => {
    const out = runStep(collectEmailNode, { config: { saveAs: 'contact' }, vars: { user: { email: 'ann@example.com' } } });
    expect(out.set).toEqual({ contact: 'ann@example.com' });
    expect(out.then).toEqual({ go: 'next' });
  });

  it('skips on a known user.email even when saveAs holds something that is not an email', () => {
    const out = runStep(collectEmailNode, { config: { saveAs: 'contact' }, vars: { contact: '', user: { email: 'ann@example.com' } } });
    expect(out.set).toEqual({ contact: 'ann@example.com' });
    expect(out.then).toEqual({ go: 'next' });
  });

  it('prefers an email already saved under saveAs', () => {
    const out = runStep(collectEmailNode, { config: { saveAs: 'contact' }, vars: { contact: 'work@example.com', user: { email: 'ann@example.com' } } });
    expect(out.set).toEqual({ contact: 'work@example.com' });
  });

  it('asks anyway when skipIfKnown is off, or when the known value is not an email', () => {
    const vars = { user: { email: 'ann@example.com' } };
    expect(runStep(collectEmailNode, { config: { skipIfKnown: false }, vars }).then).toEqual({ wait: {} });
    expect(runStep(collectEmailNode, { config: {}, vars: { user: { email: 'not an email' } } }).then).toEqual({ wait: {} });
  });

  it('takes an email out of a sentence, lower-cased, and goes to next', () => {
    const out = runStep(collectEmailNode, { config, reply: 'Sure, it is Ann.Lee@Example.com, thanks!', local: { attempts: 0 } });
    expect(out).toEqual({ say: [], set: { 'user.email': 'ann.lee@example.com' }, then: { go: 'next' } });
  });

  it('with saveAs other than user.email, also fills an unknown user.email', () => {
    const out = runStep(collectEmailNode, { config: { saveAs: 'contact' }, reply: 'ann@example.com', vars: { user: {} } });
    expect(out.set).toEqual({ contact: 'ann@example.com', 'user.email': 'ann@example.com' });
  });

  it('with saveAs other than user.email, keeps a known user.email', () => {
    const out = runStep(collectEmailNode, {
      config: { saveAs: 'contact', skipIfKnown: false },
      reply: 'other@example.com',
      vars: { user: { email: 'ann@example.com' } },
    });
    expect(out.set).toEqual({ contact: 'other@example.com' });
  });

  it('re-asks with the invalid message and counts attempts', () => {
    const first = runStep(collectEmailNode, { config, reply: 'no idea', vars: { lastMessage: 'no idea' }, local: { attempts: 0 } });
    expect(first).toEqual({ say: ['Hmm, "no idea" is not an email.'], local: { attempts: 1 }, then: { wait: {} } });
    const second = runStep(collectEmailNode, { config, reply: 'ann@', local: first.local ?? {} });
    expect(second.local).toEqual({ attempts: 2 });
    expect(second.then).toEqual({ wait: {} });
  });

  it('gives up after maxAttempts wrong answers and goes on without an email', () => {
    const out = runStep(collectEmailNode, { config: { maxAttempts: 3 }, reply: 'still no', local: { attempts: 2 } });
    expect(out).toEqual({ say: [], then: { go: 'next' } });
    const once = runStep(collectEmailNode, { config: { maxAttempts: 1 }, reply: 'nope', local: { attempts: 0 } });
    expect(once.then).toEqual({ go: 'next' });
    expect(once.set).toBeUndefined();
  });

  it('declares the variable it writes', () => {
    expect(collectEmailNode.setsVariables?.(collectEmailNode.config.parse({ saveAs: 'contact' }))).toEqual(['contact']);
  });
});
