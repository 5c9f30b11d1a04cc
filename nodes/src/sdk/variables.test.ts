import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { getVariable, isVariablePath, setVariable } from './variables.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('getVariable', () => {
  const vars: JsonObject = { user: { email: 'a@b.co', tags: ['x'] }, zero: 0, nothing: null };

  it('reads top-level and nested paths', () => {
    expect(getVariable(vars, 'zero')).toBe(0);
    expect(getVariable(vars, 'nothing')).toBeNull();
    expect(getVariable(vars, 'user.email')).toBe('a@b.co');
    expect(getVariable(vars, 'user')).toEqual({ email: 'a@b.co', tags: ['x'] });
  });

  it('is undefined when a segment is missing or not an object', () => {
    expect(getVariable(vars, 'missing')).toBeUndefined();
    expect(getVariable(vars, 'user.name')).toBeUndefined();
    expect(getVariable(vars, 'user.email.domain')).toBeUndefined();
    expect(getVariable(vars, 'user.tags.0')).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(getVariable(vars, '__proto__')).toBeUndefined();
    expect(getVariable(vars, 'user.constructor')).toBeUndefined();
    expect(getVariable(vars, 'hasOwnProperty')).toBeUndefined();
  });
});

describe('setVariable', () => {
  it('sets top-level and nested paths, creating objects on the way', () => {
    expect(setVariable({}, 'a', 1)).toEqual({ a: 1 });
    expect(setVariable({}, 'order.id', '42')).toEqual({ order: { id: '42' } });
    expect(setVariable({ order: { id: 1, total: 9 } }, 'order.id', 2)).toEqual({ order: { id: 2, total: 9 } });
  });

  it('replaces a non-object on the way', () => {
    expect(setVariable({ order: 'pending' }, 'order.id', 1)).toEqual({ order: { id: 1 } });
    expect(setVariable({ order: [1, 2] }, 'order.id', 1)).toEqual({ order: { id: 1 } });
  });

  it('removes a variable when the value is undefined', () => {
    expect(setVariable({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
    expect(setVariable({ user: { email: 'x', name: 'y' } }, 'user.email', undefined)).toEqual({ user: { name: 'y' } });
  });

  it('never mutates its input and shares untouched branches', () => {
    const vars = deepFreeze({ user: { email: 'a@b.co' }, order: { id: 1 } });
    const next = setVariable(vars, 'user.name', 'Ann');
    expect(vars).toEqual({ user: { email: 'a@b.co' }, order: { id: 1 } });
    expect(next).toEqual({ user: { email: 'a@b.co', name: 'Ann' }, order: { id: 1 } });
    expect(next.order).toBe(vars.order);
    expect(() => setVariable(vars, 'order', undefined)).not.toThrow();
  });

  it('refuses invalid names', () => {
    for (const path of ['', '1a', 'a b', 'a..b', '.a', 'a.', 'a-b', 'a.1']) {
      expect(() => setVariable({}, path, 1), path).toThrow(`invalid variable name "${path}"`);
    }
  });

  it('refuses __proto__, prototype and constructor anywhere in the path', () => {
    for (const path of ['__proto__', 'a.__proto__', '__proto__.polluted', 'constructor.prototype', 'a.prototype']) {
      expect(() => setVariable({}, path, 1), path).toThrow(/invalid variable name/);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('isVariablePath', () => {
  it('accepts dotted identifiers only', () => {
    expect(isVariablePath('user.email')).toBe(true);
    expect(isVariablePath('_private.x_1')).toBe(true);
    expect(isVariablePath('user.__proto__')).toBe(false);
    expect(isVariablePath('user email')).toBe(false);
  });
});
