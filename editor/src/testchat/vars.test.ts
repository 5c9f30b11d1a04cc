import { describe, expect, it } from 'vitest';
import { changedPaths, childrenOf, kindOf, previewOf } from './vars.js';

describe('variables view', () => {
  it('names the kind of each value', () => {
    expect([{}, [], 'a', 1, true, null, undefined].map(kindOf)).toEqual(['object', 'array', 'string', 'number', 'boolean', 'null', 'other']);
  });

  it('lists object fields sorted and array items in order', () => {
    expect(childrenOf({ b: 1, a: 2 })).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(childrenOf(['x', 'y'])).toEqual([
      ['0', 'x'],
      ['1', 'y'],
    ]);
    expect(childrenOf('text')).toEqual([]);
  });

  it('previews values on one line', () => {
    expect(previewOf({ a: 1 })).toBe('{ 1 field }');
    expect(previewOf({})).toBe('{}');
    expect(previewOf([1, 2])).toBe('[ 2 items ]');
    expect(previewOf('hello')).toBe('"hello"');
    expect(previewOf('x'.repeat(100), 12)).toBe('"xxxxxxxxx…"');
    expect(previewOf(null)).toBe('null');
    expect(previewOf(3.5)).toBe('3.5');
  });

  it('finds what a turn changed, with the parents of changed fields', () => {
    const before = { question: 'hi', user: { email: 'a@x.io', name: 'A' }, tags: ['a'] };
    const after = { question: 'human', user: { email: 'a@x.io', name: 'A' }, tags: ['a', 'b'], order: { id: 7 } };
    expect([...changedPaths(before, after)].sort()).toEqual(['order', 'order.id', 'question', 'tags', 'tags.1']);
    expect(changedPaths(after, after).size).toBe(0);
  });
});
