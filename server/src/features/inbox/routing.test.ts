import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../db/database.js';
import { teamMembers, teams, users } from '../../db/schema.js';
import { onlineCount, pickAssignee, routingTarget } from './routing.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-routing-'));
  db = openDatabase(path.join(dir, 'baton.db'));
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

type Presence = 'online' | 'away' | 'offline';

/** A person; `lastAssignedAt` in minutes ago (undefined: never given a conversation). */
function person(id: string, presence: Presence, lastAssignedMinutesAgo?: number): string {
  db.insert(users)
    .values({
      id,
      email: `${id}@test.local`,
      name: id,
      role: 'agent',
      passwordHash: 'not-a-real-hash',
      presence,
      lastAssignedAt: lastAssignedMinutesAgo === undefined ? null : new Date(Date.now() - lastAssignedMinutesAgo * 60_000),
    })
    .run();
  return id;
}

function team(id: string, memberIds: string[]): string {
  db.insert(teams).values({ id, name: id }).run();
  for (const userId of memberIds) db.insert(teamMembers).values({ teamId: id, userId }).run();
  return id;
}

const lastAssigned = (id: string) => db.select({ at: users.lastAssignedAt }).from(users).where(eq(users.id, id)).get()!.at;

describe('routingTarget', () => {
  test("reads an assign_to_user node's target; anything else is anyone", () => {
    expect(routingTarget({ kind: 'inbox', assignTo: 'team', teamId: 'team_a' })).toEqual({ assignTo: 'team', teamId: 'team_a' });
    expect(routingTarget({ kind: 'inbox', assignTo: 'user', userId: 'usr_a' })).toEqual({ assignTo: 'user', userId: 'usr_a' });
    expect(routingTarget({ kind: 'inbox' })).toEqual({ assignTo: 'anyone' });
    expect(routingTarget({ assignTo: 'everybody', teamId: 7 })).toEqual({ assignTo: 'anyone' });
  });
});

describe('pickAssignee', () => {
  test('round robin: the online person idle the longest gets it, and is marked so that the next goes to someone else', () => {
    person('recent', 'online', 1);
    person('idle', 'online', 30);
    person('never', 'online');
    const before = Date.now();
    expect(pickAssignee(db, { assignTo: 'anyone' })).toBe('never');
    expect(lastAssigned('never')!.getTime()).toBeGreaterThanOrEqual(before);
    expect(pickAssignee(db, { assignTo: 'anyone' })).toBe('idle');
    expect(pickAssignee(db, { assignTo: 'anyone' })).toBe('recent');
  });

  test('people away or offline get nothing, however long idle', () => {
    person('away', 'away');
    person('offline', 'offline');
    person('busy', 'online', 1);
    expect(pickAssignee(db, { assignTo: 'anyone' })).toBe('busy');
    expect(lastAssigned('away')).toBeNull();
    expect(lastAssigned('offline')).toBeNull();
  });

  test('nobody online: nobody, and nobody is marked', () => {
    person('away', 'away');
    person('offline', 'offline', 10);
    expect(pickAssignee(db, { assignTo: 'anyone' })).toBeUndefined();
    expect(lastAssigned('away')).toBeNull();
  });

  test('a team: only its online members, longest idle first', () => {
    const outsider = person('outsider', 'online');
    const a = person('a', 'online', 5);
    const b = person('b', 'online', 50);
    const c = person('c', 'offline');
    const support = team('team_support', [a, b, c]);
    expect(pickAssignee(db, { assignTo: 'team', teamId: support })).toBe(b);
    expect(pickAssignee(db, { assignTo: 'team', teamId: support })).toBe(a);
    expect(lastAssigned(outsider)).toBeNull();
  });

  test('a team without anyone online, an unknown team or no team at all: nobody', () => {
    person('outsider', 'online');
    const a = person('a', 'away');
    team('team_support', [a]);
    expect(pickAssignee(db, { assignTo: 'team', teamId: 'team_support' })).toBeUndefined();
    expect(pickAssignee(db, { assignTo: 'team', teamId: 'team_unknown' })).toBeUndefined();
    expect(pickAssignee(db, { assignTo: 'team' })).toBeUndefined();
  });

  test('a named person gets it when online, even if others have waited longer; not when away', () => {
    person('idle', 'online');
    const named = person('named', 'online', 1);
    const away = person('away', 'away');
    expect(pickAssignee(db, { assignTo: 'user', userId: named })).toBe(named);
    expect(pickAssignee(db, { assignTo: 'user', userId: away })).toBeUndefined();
    expect(pickAssignee(db, { assignTo: 'user', userId: 'usr_unknown' })).toBeUndefined();
    expect(pickAssignee(db, { assignTo: 'user' })).toBeUndefined();
  });

  test('exclude: a reroute goes to someone else, or to nobody when the excluded one is the only one online', () => {
    const first = person('first', 'online');
    const second = person('second', 'online', 10);
    expect(pickAssignee(db, { assignTo: 'anyone' }, { exclude: first })).toBe(second);
    expect(pickAssignee(db, { assignTo: 'anyone' }, { exclude: second })).toBe(first);
    db.update(users).set({ presence: 'offline' }).where(eq(users.id, second)).run();
    expect(pickAssignee(db, { assignTo: 'anyone' }, { exclude: first })).toBeUndefined();
    expect(pickAssignee(db, { assignTo: 'user', userId: first }, { exclude: first })).toBeUndefined();
  });
});

describe('onlineCount', () => {
  test('counts the online people of a target', () => {
    const a = person('a', 'online');
    const b = person('b', 'online');
    person('c', 'away');
    person('d', 'offline');
    team('team_support', [a, 'c']);
    expect(onlineCount(db)).toBe(2);
    expect(onlineCount(db, { assignTo: 'team', teamId: 'team_support' })).toBe(1);
    expect(onlineCount(db, { assignTo: 'user', userId: b })).toBe(1);
    expect(onlineCount(db, { assignTo: 'user', userId: 'c' })).toBe(0);
    expect(onlineCount(db, { assignTo: 'team', teamId: 'team_unknown' })).toBe(0);
  });

  test('nobody at all: zero', () => {
    expect(onlineCount(db)).toBe(0);
  });
});
