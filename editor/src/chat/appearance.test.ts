import { describe, expect, test } from 'vitest';
import { DEFAULT_ACCENT, chosenColor, parseAppearance, resolveColor } from './appearance.js';

describe('resolveColor', () => {
  test("the embed's colour wins over the bot's setting", () => {
    expect(resolveColor('#0f766e', '#12ab34')).toBe('#0f766e');
    expect(resolveColor('#abc', '#12ab34')).toBe('#abc');
  });

  test("without one from the embed, the bot's setting", () => {
    expect(resolveColor(undefined, '#12ab34')).toBe('#12ab34');
    expect(resolveColor('', '#12ab34')).toBe('#12ab34');
  });

  test('neither: the default', () => {
    expect(resolveColor(undefined, undefined)).toBe(DEFAULT_ACCENT);
    expect(DEFAULT_ACCENT).toBe('#3355ff');
  });

  test('an invalid colour counts as not given', () => {
    expect(resolveColor('red', '#12ab34')).toBe('#12ab34');
    expect(resolveColor('#12ab34; background: url(x)', undefined)).toBe(DEFAULT_ACCENT);
    expect(resolveColor(undefined, 'javascript:alert(1)')).toBe(DEFAULT_ACCENT);
  });
});

describe('chosenColor (what the widget passes to the chat page)', () => {
  test('the embed, else the setting, else none: the page then uses the setting or its default itself', () => {
    expect(chosenColor('#0f766e', '#12ab34')).toBe('#0f766e');
    expect(chosenColor(undefined, '#12ab34')).toBe('#12ab34');
    expect(chosenColor(undefined, undefined)).toBeUndefined();
    expect(chosenColor('nope', undefined)).toBeUndefined();
  });
});

describe('parseAppearance', () => {
  test('colour and greeting, each only when valid', () => {
    expect(parseAppearance({ color: '#12ab34', greeting: 'Hi! How can we help?' })).toEqual({ color: '#12ab34', greeting: 'Hi! How can we help?' });
    expect(parseAppearance({ color: 'red', greeting: '   ' })).toEqual({});
    expect(parseAppearance({ greeting: '  Hello \n' })).toEqual({ greeting: 'Hello' });
    expect(parseAppearance({ color: 12, greeting: ['x'] })).toEqual({});
  });

  test('anything else is no appearance: the defaults', () => {
    for (const data of [undefined, null, 'text', 42, [], { open: true }]) expect(parseAppearance(data)).toEqual({});
  });

  test('ignores fields it does not know, and caps the greeting', () => {
    expect(parseAppearance({ color: '#000000', allowedOrigins: ['https://shop.example'] })).toEqual({ color: '#000000' });
    expect(parseAppearance({ greeting: 'x'.repeat(600) }).greeting).toHaveLength(500);
  });
});
