import { isJsonObject, type Json, type JsonObject } from '../json.js';

/**
 * Variables are one JSON object; dotted paths reach into it (`user.email`).
 * Every conversation has `lastMessage`, `user.email`, `user.name`, `user.externalId`
 * and `conversation.id`.
 */
export const VARIABLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export function isVariablePath(path: string): boolean {
  return VARIABLE_PATH.test(path) && !path.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s));
}

/**
 * Reads a dotted path; `undefined` when any segment is missing.
 *
 * @example
 * getVariable({ user: { email: 'a@b.co' } }, 'user.email') // 'a@b.co'
 */
export function getVariable(vars: Readonly<JsonObject>, path: string): Json | undefined {
  let current: Json | undefined = vars;
  for (const segment of path.split('.')) {
    if (!isJsonObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * Returns a copy of `vars` with `path` set (intermediate objects are created, non-objects
 * on the way are replaced). `undefined` removes the variable. The input is never mutated.
 *
 * @example
 * setVariable({}, 'order.id', '42') // { order: { id: '42' } }
 */
export function setVariable(vars: Readonly<JsonObject>, path: string, value: Json | undefined): JsonObject {
  if (!isVariablePath(path)) throw new Error(`invalid variable name "${path}"`);
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const copy: JsonObject = { ...vars };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  copy[head] = setVariable(isJsonObject(child) ? child : {}, rest.join('.'), value);
  return copy;
}
