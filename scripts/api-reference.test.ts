import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { API_REFERENCE, EDITOR_TYPES, apiDocument, apiMarkdown, editorTypes, type ApiDocument } from './api-reference.js';

let document: ApiDocument;
beforeAll(async () => {
  document = await apiDocument();
});

describe('what the route declarations give the repository', () => {
  test('editor/src/api/generated.ts is up to date (else: pnpm api:generate)', async () => {
    expect(readFileSync(EDITOR_TYPES, 'utf8') === (await editorTypes(document)), 'editor/src/api/generated.ts is stale: run pnpm api:generate').toBe(true);
  });

  test('docs/api.md is up to date (else: pnpm api:generate)', () => {
    expect(readFileSync(API_REFERENCE, 'utf8') === apiMarkdown(document), 'docs/api.md is stale: run pnpm api:generate').toBe(true);
  });

  test('the reference has every operation and every schema, and every link lands', () => {
    const markdown = apiMarkdown(document);
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) expect(markdown).toContain(`### \`${method.toUpperCase()} ${path}\``);
    }
    const anchors = new Set([...markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((match) => match[1]));
    for (const name of Object.keys(document.components.schemas)) expect(anchors).toContain(`schema-${name.toLowerCase()}`);
    for (const [, target] of markdown.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors, target).toContain(target);
  });
});
