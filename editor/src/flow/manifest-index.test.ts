import { describe, expect, it } from 'vitest';
import { indexManifest, paletteGroups } from './manifest-index.js';
import { builtinManifests, manifestOf } from '../../testing/test-manifest.js';

describe('manifest index', () => {
  it('finds a version, falling back to the newest', () => {
    const v1 = { ...manifestOf('end'), version: 1, title: 'Old end' };
    const v2 = { ...manifestOf('end'), version: 2, title: 'New end' };
    const index = indexManifest([v2, v1]);
    expect(index.get('end', 1)?.title).toBe('Old end');
    expect(index.get('end')?.title).toBe('New end');
    expect(index.get('end', 7)?.title).toBe('New end');
    expect(index.latest).toHaveLength(1);
  });
});

describe('palette', () => {
  it('groups every node type by category in building order', () => {
    const groups = paletteGroups(builtinManifests, '');
    expect(groups.map((g) => g.label)).toEqual(['Start and end', 'Messages', 'Questions', 'AI', 'Logic', 'Integrations', 'Humans']);
    expect(groups.flatMap((g) => g.items)).toHaveLength(builtinManifests.length);
    expect(groups[1]!.items.map((m) => m.type)).toEqual(['send_message']);
    expect(paletteGroups([...builtinManifests].reverse(), '')[0]!.items.map((m) => m.type)).toEqual(['start', 'end']);
  });

  it('filters by every word of the search in title, description, type or category', () => {
    expect(paletteGroups(builtinManifests, 'email').flatMap((g) => g.items.map((m) => m.type))).toContain('collect_email');
    expect(paletteGroups(builtinManifests, 'HUMANS').map((g) => g.category)).toContain('handoff');
    expect(paletteGroups(builtinManifests, 'http request').flatMap((g) => g.items.map((m) => m.type))).toEqual(['http_request']);
    expect(paletteGroups(builtinManifests, 'zzzz')).toEqual([]);
  });
});
