import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { escalateNode } from './escalate.node.js';

describe('escalate', () => {
  it('hands off to the configured desk with the handoff settings', () => {
    const out = runStep(escalateNode, {
      config: { provider: 'intercom', waitTimeoutSeconds: 90, sessionTimeoutSeconds: 300, historyRounds: 5, requireEmail: true },
    });
    expect(out).toEqual({
      say: [],
      then: {
        handoff: {
          target: { kind: 'desk', provider: 'intercom' },
          waitTimeoutSeconds: 90,
          sessionTimeoutSeconds: 300,
          historyRounds: 5,
          requireEmail: true,
          texts: {},
        },
      },
    });
  });

  it('uses the documented defaults (60 s wait, 180 s session)', () => {
    expect(runStep(escalateNode, { config: { provider: 'webhook' } }).then).toEqual({
      handoff: { target: { kind: 'desk', provider: 'webhook' }, waitTimeoutSeconds: 60, sessionTimeoutSeconds: 180, historyRounds: 10, requireEmail: false, texts: {} },
    });
  });

  it('maps each handoff outcome to the port of the same name', () => {
    for (const outcome of ['resolved', 'no_agent', 'off_hours', 'unavailable'] as const) {
      expect(runStep(escalateNode, { config: { provider: 'livechat' }, outcome }).then).toEqual({ go: outcome });
    }
  });

  it('says the off-hours message only when off hours', () => {
    const config = { provider: 'livechat' as const, offHoursMessage: 'We open at {{serviceHours.nextOpenAt | 9}}.' };
    expect(runStep(escalateNode, { config, outcome: 'off_hours' }).say).toEqual(['We open at 9.']);
    expect(runStep(escalateNode, { config, outcome: 'unavailable' }).say).toEqual([]);
  });

  it('requires a known provider', () => {
    expect(() => runStep(escalateNode, { config: {} as never })).toThrow(/invalid config: provider:/);
    expect(() => runStep(escalateNode, { config: { provider: 'zendesk' as never } })).toThrow(/provider:/);
  });
});
