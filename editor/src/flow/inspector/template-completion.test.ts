import { describe, expect, it } from 'vitest';
import { applyCompletion, completionAt, suggestVariables } from './template-completion.js';

describe('{{variable}} autocomplete', () => {
  it('notices a placeholder being typed at the caret', () => {
    expect(completionAt('Hi {{us', 7)).toEqual({ from: 3, query: 'us' });
    expect(completionAt('Hi {{', 5)).toEqual({ from: 3, query: '' });
    expect(completionAt('Hi {{ user.na', 13)).toEqual({ from: 3, query: 'user.na' });
    expect(completionAt('Hi {{user}} there', 17)).toBeUndefined();
    expect(completionAt('Hi {{user | fr', 14)).toBeUndefined();
    expect(completionAt('Hi there', 8)).toBeUndefined();
  });

  it('suggests names starting with the query first', () => {
    const vars = ['lastMessage', 'user.email', 'user.name', 'order.user'];
    expect(suggestVariables(vars, 'user')).toEqual(['user.email', 'user.name', 'order.user']);
    expect(suggestVariables(vars, '')).toEqual(vars);
    expect(suggestVariables(vars, 'zzz')).toEqual([]);
  });

  it('inserts the name with closing braces and puts the caret after them', () => {
    expect(applyCompletion('Hi {{us', 3, 7, 'user.name')).toEqual({ text: 'Hi {{user.name}}', caret: 16 });
    expect(applyCompletion('Hi {{us}}!', 3, 7, 'user.name')).toEqual({ text: 'Hi {{user.name}}!', caret: 16 });
  });
});
