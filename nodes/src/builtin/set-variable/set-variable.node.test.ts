import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { setVariableNode } from './set-variable.node.js';

describe('set_variable', () => {
  it('renders a template into a string', () => {
    const out = runStep(setVariableNode, { config: { name: 'greeting', value: 'Hi {{user.name}} ({{order.id}})' }, vars: { user: { name: 'Ann' }, order: { id: 7 } } });
    expect(out).toEqual({ say: [], set: { greeting: 'Hi Ann (7)' }, then: { go: 'next' } });
  });

  it('copies the typed value when the value is exactly one placeholder', () => {
    const vars = { order: { id: 7, items: [{ sku: 'a' }], paid: false } };
    expect(runStep(setVariableNode, { config: { name: 'id', value: '{{order.id}}' }, vars }).set).toEqual({ id: 7 });
    expect(runStep(setVariableNode, { config: { name: 'copy', value: ' {{ order }} ' }, vars }).set).toEqual({ copy: vars.order });
    expect(runStep(setVariableNode, { config: { name: 'paid', value: '{{order.paid}}' }, vars }).set).toEqual({ paid: false });
  });

  it('sets an empty string when the copied variable is missing', () => {
    expect(runStep(setVariableNode, { config: { name: 'x', value: '{{nope}}' } }).set).toEqual({ x: '' });
  });

  it('renders a placeholder with a fallback as text', () => {
    expect(runStep(setVariableNode, { config: { name: 'x', value: '{{nope | none}}' } }).set).toEqual({ x: 'none' });
  });

  it('writes nested paths and defaults to an empty value', () => {
    expect(runStep(setVariableNode, { config: { name: 'order.status' } }).set).toEqual({ 'order.status': '' });
    expect(setVariableNode.setsVariables?.({ name: 'order.status', value: '' })).toEqual(['order.status']);
  });

  it('refuses an invalid variable name', () => {
    expect(() => runStep(setVariableNode, { config: { name: 'order status' } })).toThrow(/invalid config: name: must be a variable name/);
    expect(() => runStep(setVariableNode, { config: { name: '__proto__.x' } })).toThrow(/name: must be a variable name/);
  });
});
