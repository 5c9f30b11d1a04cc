import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/temporal.js';

// One folder per workflow type that may still have running conversations.
const historiesDir = fileURLToPath(new URL('./histories/', import.meta.url));
const fixtures = readdirSync(historiesDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.json'))
  .sort();

/**
 * Every stored history must replay on today's workflow code: a conversation that is running when
 * a new version is deployed continues on it. See README.md in this folder.
 */
describe('stored conversation histories replay on the current workflow code', () => {
  const results = new Map<string, ReplayResult>();

  beforeAll(async () => {
    // Replay failures are reported below; core's own logging of them would only repeat them.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const histories = fixtures.map((file) => ({
      workflowId: file,
      history: JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as unknown,
    }));
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      results.set(result.workflowId, result);
    }
  });

  it('has the recorded fixtures', () => {
    expect(fixtures.filter((f) => f.startsWith('conversationWorkflow/')).length).toBeGreaterThanOrEqual(18);
    expect(results.size).toBe(fixtures.length);
  });

  it.each(fixtures)('%s', (file) => {
    const result = results.get(file);
    expect(result, `${file} was not replayed`).toBeDefined();
    expect(result!.error, String(result!.error)).toBeUndefined();
  });
});
