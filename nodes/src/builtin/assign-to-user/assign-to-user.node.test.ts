import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { assignToUserNode } from './assign-to-user.node.js';

describe('assign_to_user', () => {
  it('hands off to the inbox with the defaults', () => {
    expect(runStep(assignToUserNode, { config: {} })).toEqual({
      say: [],
      then: {
        handoff: {
          target: { kind: 'inbox', assignTo: 'anyone', rerouteAfterSeconds: 0 },
          waitTimeoutSeconds: 60,
          sessionTimeoutSeconds: 180,
          historyRounds: 10,
          requireEmail: false,
          texts: {},
        },
      },
    });
  });

  it('hands off to a user or a team with the configured timeouts', () => {
    const toUser = runStep(assignToUserNode, {
      config: { assignTo: 'user', userId: 'u1', waitTimeoutSeconds: 30, sessionTimeoutSeconds: 600, historyRounds: 3, requireEmail: true, rerouteAfterSeconds: 120 },
    });
    expect(toUser.then).toEqual({
      handoff: {
        target: { kind: 'inbox', assignTo: 'user', userId: 'u1', rerouteAfterSeconds: 120 },
        waitTimeoutSeconds: 30,
        sessionTimeoutSeconds: 600,
        historyRounds: 3,
        requireEmail: true,
        texts: {},
      },
    });
    const toTeam = runStep(assignToUserNode, { config: { assignTo: 'team', teamId: 't1' } });
    expect(toTeam.then).toMatchObject({ handoff: { target: { kind: 'inbox', assignTo: 'team', teamId: 't1' } } });
  });

  it('maps each handoff outcome to its port', () => {
    const port = (outcome: 'resolved' | 'no_agent' | 'unavailable' | 'off_hours') => runStep(assignToUserNode, { config: {}, outcome }).then;
    expect(port('resolved')).toEqual({ go: 'resolved' });
    expect(port('no_agent')).toEqual({ go: 'no_agent' });
    expect(port('unavailable')).toEqual({ go: 'no_agent' });
    expect(port('off_hours')).toEqual({ go: 'off_hours' });
  });

  it('says the off-hours message, rendered, only for off_hours', () => {
    const config = { offHoursMessage: 'Back at 9, {{user.name | friend}}.' };
    expect(runStep(assignToUserNode, { config, outcome: 'off_hours', vars: { user: { name: 'Ann' } } }).say).toEqual(['Back at 9, Ann.']);
    expect(runStep(assignToUserNode, { config, outcome: 'resolved' }).say).toEqual([]);
  });

  it('requires the user or the team it assigns to', () => {
    expect(() => runStep(assignToUserNode, { config: { assignTo: 'user' } })).toThrow(/userId: is required to assign to a user/);
    expect(() => runStep(assignToUserNode, { config: { assignTo: 'team' } })).toThrow(/teamId: is required to assign to a team/);
    expect(() => runStep(assignToUserNode, { config: { waitTimeoutSeconds: 1 } })).toThrow(/waitTimeoutSeconds:/);
  });
});
