// Keeps the code in nodes/README.md true: excerpts of this package must match its files, and every
// other TypeScript snippet must compile against the real SDK.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repo = path.resolve(packageDir, '..', '..', '..');
const README = path.join(repo, 'nodes', 'README.md');

interface Block {
  lang: string;
  code: string;
  /** `<!-- excerpt: path -->` (a verbatim part of that file) or `<!-- snippet: name.ts -->` (compiled under that name). */
  marker?: { kind: 'excerpt' | 'snippet'; value: string };
  line: number;
}

function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README line ${i + 1}: unclosed code block`);
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const marker = /^<!-- (excerpt|snippet): (\S+) -->$/.exec(lines[before] ?? '');
    found.push({
      lang: open[1]!,
      code: lines.slice(i + 1, end).join('\n'),
      ...(marker ? { marker: { kind: marker[1] as 'excerpt' | 'snippet', value: marker[2]! } } : {}),
      line: i + 1,
    });
    i = end;
  }
  return found;
}

const blocks = codeBlocks(readFileSync(README, 'utf8'));
const excerpts = blocks.filter((b) => b.marker?.kind === 'excerpt');
const snippets = blocks.filter((b) => b.lang === 'ts' && b.marker?.kind !== 'excerpt');

describe('nodes/README.md', () => {
  it('walks through this package and shows compiled examples', () => {
    expect(excerpts.length).toBeGreaterThanOrEqual(5);
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    expect(excerpts.filter((b) => b.lang !== 'ts')).toEqual([]);
  });

  it.each(excerpts.map((b) => [`line ${b.line}: ${b.marker!.value}`, b] as const))('quotes %s verbatim', (_name, block) => {
    const file = readFileSync(path.join(repo, block.marker!.value), 'utf8').split('\n');
    const quoted = block.code.split('\n');
    const at = file.findIndex((_, i) => quoted.every((line, j) => file[i + j] === line));
    expect(at, `README line ${block.line} is not a verbatim part of ${block.marker!.value}`).toBeGreaterThanOrEqual(0);
  });

  it('has TypeScript snippets that compile against the SDK', () => {
    // In a temporary folder that resolves packages through this package's node_modules.
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-readme-'));
    try {
      symlinkSync(path.join(packageDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const files = snippets.map((block, i) => {
        const file = path.join(dir, block.marker?.value ?? `snippet-${i + 1}.ts`);
        writeFileSync(file, `${block.code}\n`);
        return { file, block };
      });
      const config = ts.readConfigFile(path.join(packageDir, 'tsconfig.json'), (f) => ts.sys.readFile(f));
      const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, packageDir);
      const program = ts.createProgram({ rootNames: files.map((f) => f.file), options: { ...options, noEmit: true } });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        const source = files.find((f) => f.file === d.file?.fileName);
        if (!d.file || d.start === undefined) return message;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        return source ? `README line ${source.block.line + 1 + line}: ${message}` : `${d.file.fileName}:${line + 1}: ${message}`;
      });
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
