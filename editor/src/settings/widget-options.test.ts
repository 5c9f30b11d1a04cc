import { describe, expect, it } from 'vitest';
import { filterTimeZones } from './time-zones.js';
import { embedSnippet, iframeUrl, isHexColor, parseOrigin } from './widget-options.js';

describe('allowed origins', () => {
  it('accepts an origin and tidies what people paste', () => {
    expect(parseOrigin('https://www.example.com')).toEqual({ origin: 'https://www.example.com' });
    expect(parseOrigin('  https://Shop.Example.com/ ')).toEqual({ origin: 'https://shop.example.com' });
    expect(parseOrigin('http://localhost:8080')).toEqual({ origin: 'http://localhost:8080' });
  });

  it('refuses what the server would refuse, saying why', () => {
    expect(parseOrigin('')).toEqual({ error: expect.stringMatching(/Type an origin/) });
    expect(parseOrigin('www.example.com')).toEqual({ error: expect.stringMatching(/Start with https:\/\//) });
    expect(parseOrigin('https://www.example.com/shop')).toEqual({ error: expect.stringMatching(/without a path/) });
    expect(parseOrigin('ftp://x.io')).toEqual({ error: expect.stringMatching(/Start with https/) });
  });

  it('refuses duplicates and a full list', () => {
    expect(parseOrigin('https://a.io/', ['https://a.io'])).toEqual({ error: 'https://a.io is already in the list' });
    const full = Array.from({ length: 50 }, (_, i) => `https://s${i}.io`);
    expect(parseOrigin('https://new.io', full)).toEqual({ error: 'At most 50 origins' });
  });
});

describe('widget snippets', () => {
  it('builds the script tag and the iframe URL', () => {
    expect(embedSnippet('https://baton.example.com', 'bot_1')).toBe('<script src="https://baton.example.com/widget.js" data-bot="bot_1"></script>');
    expect(iframeUrl('https://baton.example.com', 'bot_1')).toBe('https://baton.example.com/chat/bot_1');
    expect(iframeUrl('https://baton.example.com', 'bot_1', 'jo+1@example.com')).toBe('https://baton.example.com/chat/bot_1?email=jo%2B1%40example.com');
  });

  it('checks colours like the server', () => {
    expect(isHexColor('#3355ff')).toBe(true);
    expect(isHexColor('#35f')).toBe(false);
    expect(isHexColor('blue')).toBe(false);
  });
});

describe('time zone search', () => {
  const zones = ['America/New_York', 'America/Newfoundland', 'Asia/Shanghai', 'Europe/Paris', 'UTC'];

  it('finds zones by any words, ignoring case, slashes and underscores', () => {
    expect(filterTimeZones(zones, 'new york', '')).toEqual(['America/New_York']);
    expect(filterTimeZones(zones, 'PARIS', '')).toEqual(['Europe/Paris']);
    expect(filterTimeZones(zones, 'asia/sh', '')).toEqual(['Asia/Shanghai']);
    expect(filterTimeZones(zones, '', '')).toEqual(zones);
  });

  it('keeps the current zone so the select still shows it', () => {
    expect(filterTimeZones(zones, 'paris', 'Asia/Shanghai')).toEqual(['Asia/Shanghai', 'Europe/Paris']);
  });
});
