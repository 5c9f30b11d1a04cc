import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../json.js';
import { resolvePorts } from '../../sdk/ports.js';
import { runStep } from '../../testing/index.js';
import { conditionNode } from './condition.node.js';

type Op = 'equals' | 'contains' | 'matches' | 'exists';
const rule = (port: string, variable: string, op: Op, value = '') => ({ port, variable, op, value });
const go = (rules: ReturnType<typeof rule>[], vars: JsonObject, ignoreCase?: boolean) =>
  runStep(conditionNode, {
    config: { rules, ...(ignoreCase === undefined ? {} : { ignoreCase }) },
    vars,
  }).then;

describe('condition', () => {
  it('equals compares trimmed text, ignoring case by default', () => {
    const rules = [rule('yes', 'lastMessage', 'equals', 'Yes')];
    expect(go(rules, { lastMessage: '  yes ' })).toEqual({ go: 'yes' });
    expect(go(rules, { lastMessage: 'yes please' })).toEqual({ go: 'else' });
  });

  it('equals respects case when ignoreCase is off', () => {
    const rules = [rule('yes', 'lastMessage', 'equals', 'Yes')];
    expect(go(rules, { lastMessage: 'yes' }, false)).toEqual({ go: 'else' });
    expect(go(rules, { lastMessage: 'Yes' }, false)).toEqual({ go: 'yes' });
  });

  it('equals compares numbers and booleans by their text', () => {
    expect(go([rule('seven', 'order.count', 'equals', '7')], { order: { count: 7 } })).toEqual({ go: 'seven' });
    expect(go([rule('vip', 'user.vip', 'equals', 'true')], { user: { vip: true } })).toEqual({ go: 'vip' });
  });

  it('contains finds a substring, with and without case folding', () => {
    const rules = [rule('refund', 'lastMessage', 'contains', 'REFUND')];
    expect(go(rules, { lastMessage: 'I want a refund now' })).toEqual({ go: 'refund' });
    expect(go(rules, { lastMessage: 'I want a refund now' }, false)).toEqual({ go: 'else' });
    expect(go(rules, { lastMessage: 'I want a REFUND now' }, false)).toEqual({ go: 'refund' });
  });

  it('matches tests a regular expression, with the i flag only when ignoring case', () => {
    const rules = [rule('order', 'lastMessage', 'matches', '^#?\\d{5}$')];
    expect(go(rules, { lastMessage: '#12345' })).toEqual({ go: 'order' });
    expect(go(rules, { lastMessage: 'order 12345' })).toEqual({ go: 'else' });
    const word = [rule('hi', 'lastMessage', 'matches', '^hello')];
    expect(go(word, { lastMessage: 'HELLO there' })).toEqual({ go: 'hi' });
    expect(go(word, { lastMessage: 'HELLO there' }, false)).toEqual({ go: 'else' });
  });

  it('exists holds for a non-empty value and not for missing, null or blank ones', () => {
    const rules = [rule('known', 'user.email', 'exists')];
    expect(go(rules, { user: { email: 'a@b.co' } })).toEqual({ go: 'known' });
    expect(go(rules, { user: { email: 0 } })).toEqual({ go: 'known' });
    expect(go(rules, { user: {} })).toEqual({ go: 'else' });
    expect(go(rules, { user: { email: null } })).toEqual({ go: 'else' });
    expect(go(rules, { user: { email: '  ' } })).toEqual({ go: 'else' });
  });

  it('takes the first rule that holds', () => {
    const rules = [rule('a', 'lastMessage', 'contains', 'x'), rule('b', 'lastMessage', 'contains', 'x'), rule('c', 'lastMessage', 'contains', 'y')];
    expect(go(rules, { lastMessage: 'xy' })).toEqual({ go: 'a' });
    expect(go(rules, { lastMessage: 'y' })).toEqual({ go: 'c' });
  });

  it('goes to else when no rule holds or there are no rules', () => {
    expect(go([rule('a', 'lastMessage', 'equals', 'x')], { lastMessage: 'z' })).toEqual({ go: 'else' });
    expect(go([], {})).toEqual({ go: 'else' });
  });

  it('has one port per rule, then else', () => {
    const config = conditionNode.config.parse({ rules: [rule('vip', 'a', 'exists'), rule('new', 'b', 'exists')] });
    expect(resolvePorts(conditionNode.ports, config).map((p) => p.id)).toEqual(['vip', 'new', 'else']);
  });

  it('refuses "else" as a rule exit', () => {
    expect(() => runStep(conditionNode, { config: { rules: [rule('else', 'a', 'exists')] } })).toThrow(
      /invalid config: rules\.0\.port: "else" is reserved/,
    );
  });

  it('refuses two rules with the same exit', () => {
    const result = conditionNode.config.safeParse({ rules: [rule('a', 'x', 'exists'), rule('b', 'x', 'exists'), rule('a', 'y', 'exists')] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([[['rules', 2, 'port'], 'exit "a" is used by two rules']]);
  });

  it('refuses a regular expression that does not compile, only for matches', () => {
    const result = conditionNode.config.safeParse({ rules: [rule('a', 'x', 'matches', '(unclosed')] });
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([[['rules', 0, 'value'], 'is not a valid regular expression']]);
    expect(conditionNode.config.safeParse({ rules: [rule('a', 'x', 'contains', '(unclosed')] }).success).toBe(true);
  });

  it('refuses bad exit names and variable names', () => {
    expect(() => runStep(conditionNode, { config: { rules: [rule('has space', 'x', 'exists')] } })).toThrow(/rules\.0\.port: must be letters/);
    expect(() => runStep(conditionNode, { config: { rules: [rule('a', '1x', 'exists')] } })).toThrow(/rules\.0\.variable: must be a variable name/);
  });
});
