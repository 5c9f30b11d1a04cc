// The OpenAPI document is true to the server: Schemathesis generates requests from
// /api/openapi.json (valid ones, invalid ones, undeclared methods, sequences that reuse what the
// server answered) and checks every answer against the document with all its checks: no server
// error, only declared status codes and schemas, valid input accepted, invalid input refused,
// credentials enforced. Any failure fails this test, with Schemathesis's report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIME_ZONE_FORMAT } from '@baton/nodes';
import { apiClient, startBaton, type BatonProcess } from '../../support/baton-process.js';
import { ensureSchemathesis, FUZZ_DIR } from '../../support/schemathesis.js';
import { temporalAddress, uniqueName } from '../../support/temporal.js';

const OWNER = { email: 'owner@fuzz.example', password: 'fuzz-owner-password' };
/** Cases per operation and phase: about 4,000 requests, a minute on 2 cores. */
const MAX_EXAMPLES = Number(process.env['BATON_FUZZ_EXAMPLES'] ?? 30);
/** Fixed, so a failure reproduces; set BATON_FUZZ_SEED to explore other cases. */
const SEED = process.env['BATON_FUZZ_SEED'] ?? '1';
const RUN_TIMEOUT_MS = 240_000;

interface Report {
  operations: { total: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number };
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
}

function runSchemathesis(st: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(st, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`Schemathesis took longer than ${RUN_TIMEOUT_MS / 1000} s:\n${output}`));
    }, RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the OpenAPI document, fuzzed against a real server', () => {
  let st: string;
  let baton: BatonProcess;
  let token: string;

  beforeAll(async () => {
    st = ensureSchemathesis();
    baton = await startBaton({
      BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-fuzz-')),
      TEMPORAL_ADDRESS: temporalAddress(),
      BATON_TASK_QUEUE: uniqueName('fuzz'),
      BATON_API_TOKEN: 'fuzz-deployment-token-0123456789',
      BATON_OWNER_EMAIL: OWNER.email,
      BATON_OWNER_PASSWORD: OWNER.password,
    });
    // A person's own token: BATON_API_TOKEN is no person, so the routes that need one (API
    // tokens, presence, takeover) would only ever answer 403 to it.
    const owner = apiClient(baton.url);
    expect((await owner.login(OWNER.email, OWNER.password)).status).toBe(200);
    const created = await owner.call('POST', '/api/tokens', { name: 'schemathesis' });
    expect(created.status).toBe(201);
    token = created.body['token'] as string;
  }, 300_000);

  afterAll(async () => {
    expect(await baton?.stop()).toBe(0);
  });

  it('answers every generated request as the document says (Schemathesis, --checks all)', async () => {
    const reportDir = mkdtempSync(path.join(tmpdir(), 'baton-fuzz-report-'));
    const { code, output } = await runSchemathesis(
      st,
      [
        '--config-file', path.join(FUZZ_DIR, 'schemathesis.toml'),
        'run', new URL('/api/openapi.json', baton.url).href,
        '--checks', 'all',
        '--max-examples', String(MAX_EXAMPLES),
        '--seed', SEED,
        '--workers', '2',
        '--generation-database', 'none',
        '--request-timeout', '30',
        '--no-color',
        '--report', 'json',
        '--report-dir', reportDir,
      ],
      {
        BATON_FUZZ_TOKEN: token,
        BATON_FUZZ_HOOKS: path.join(FUZZ_DIR, 'hooks.py'),
        BATON_TIME_ZONE_FORMAT: TIME_ZONE_FORMAT,
        // The server is a Node process like this one: the same Intl, the same zones.
        BATON_TIME_ZONES: JSON.stringify(Intl.supportedValuesOf('timeZone')),
      },
      reportDir,
    );
    const file = readdirSync(reportDir).find((name) => name.endsWith('.json'));
    const report = file ? (JSON.parse(readFileSync(path.join(reportDir, file), 'utf8')) as Report) : undefined;
    const summary = report
      ? `${report.operations.tested}/${report.operations.total} operations, ${report.test_cases.generated} cases, ` +
        `failures: ${report.failures.map((f) => `${f.code} ${f.title} ${f.count}`).join(', ') || 'none'}`
      : 'no report';
    console.log(`Schemathesis: ${summary}`);
    expect(report, output).toBeDefined();
    expect(report!.failures, output).toEqual([]);
    expect(report!.errors, output).toEqual([]);
    expect(code, output).toBe(0);
    // Every operation of the document was exercised, and not trivially.
    expect(report!.operations.tested, output).toBe(report!.operations.total);
    expect(report!.operations.total, output).toBeGreaterThan(50);
    expect(report!.test_cases.generated, output).toBeGreaterThan(report!.operations.total * 20);
  }, RUN_TIMEOUT_MS + 30_000);
});
