import { describe, expect, it } from 'vitest';
import { renderTemplate, templateVariables } from './templates.js';

describe('renderTemplate', () => {
  it('replaces placeholders, with or without spaces inside the braces', () => {
    expect(renderTemplate('Hi {{name}} and {{ name }}!', { name: 'Ann' })).toBe('Hi Ann and Ann!');
  });

  it('reads nested paths', () => {
    expect(renderTemplate('{{order.customer.name}} #{{order.id}}', { order: { id: 7, customer: { name: 'Ann' } } })).toBe('Ann #7');
  });

  it('renders a missing variable as empty text', () => {
    expect(renderTemplate('[{{nope}}][{{order.missing}}][{{order.id.deeper}}]', { order: { id: 7 } })).toBe('[][][]');
  });

  it('uses the fallback for missing, null and empty values, and trims it', () => {
    const vars = { empty: '', nothing: null, zero: 0, no: false };
    expect(renderTemplate('{{user.name | there}}/{{empty|none}}/{{nothing | -}}', vars)).toBe('there/none/-');
    expect(renderTemplate('{{zero | x}} {{no | x}}', vars)).toBe('0 false');
    expect(renderTemplate('Hi {{user.name | dear customer }}!', {})).toBe('Hi dear customer!');
  });

  it('renders objects and arrays as JSON and numbers and booleans as text', () => {
    const vars = { order: { id: 7, tags: ['a', 'b'] }, n: 1.5, ok: true };
    expect(renderTemplate('{{order}}', vars)).toBe('{"id":7,"tags":["a","b"]}');
    expect(renderTemplate('{{order.tags}} {{n}} {{ok}}', vars)).toBe('["a","b"] 1.5 true');
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(renderTemplate('{{ 1abc }} {single} {{}} plain', { abc: 'x' })).toBe('{{ 1abc }} {single} {{}} plain');
  });

  it('does not read inherited properties', () => {
    expect(renderTemplate('[{{constructor}}][{{a.toString}}]', { a: {} })).toBe('[][]');
  });
});

describe('templateVariables', () => {
  it('lists the paths a template reads, once each, in order of first use', () => {
    expect(templateVariables('{{a}} and {{b.c | x}} and {{a}} and {{ d }}')).toEqual(['a', 'b.c', 'd']);
  });

  it('is empty for plain text', () => {
    expect(templateVariables('no placeholders {here}')).toEqual([]);
  });
});
