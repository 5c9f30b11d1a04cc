// `pnpm bench`: Baton's benchmarks on the embedded stack, against bare Temporal in the same run.
// Prints a table and writes bench/results/latest.{json,md}. See docs/benchmarks.md.
//
//   pnpm bench                          everything (about 8 minutes on 2 cores)
//   pnpm bench --only=latency,editor    some phases: latency, throughput, editor, startup, memory
//   pnpm bench --quick                  smaller counts, to try the harness
//   pnpm bench --baseline=<dir>         also run Baton from another checkout (e.g. the code before a
//                                       change), interleaved in the latency phase and in throughput
//
// Partial, quick and baseline runs write bench/results/partial-<time>.{json,md} (gitignored);
// only a plain full run replaces latest.{json,md}.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { findTemporalCli, freePort } from '@baton/engine/dev-server';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fakes/openai/fake-openai.js';
import { createBot } from './api.js';
import { llmAnswer, representativeFlow } from './flows.js';
import { machine } from './machine.js';
import { breakdown } from './phases/breakdown.js';
import { editor } from './phases/editor.js';
import { interleavedLatency, seriesResult, sequentialMessages, type Sample } from './phases/latency.js';
import { memory } from './phases/memory.js';
import { sandbox } from './phases/sandbox.js';
import { startAndTime, type StartedStack } from './phases/startup.js';
import { throughput } from './phases/throughput.js';
import { batonStarted, childPids, killAll, repoRoot, spawnBaton, spawnChild, withTimeout, type Child } from './processes.js';
import { markdownReport } from './report.js';
import type { Results, Settings } from './results.js';
import { ratio, round } from './stats.js';
import { batonTarget, floorTarget, type Target } from './targets.js';

const PHASES = ['latency', 'throughput', 'editor', 'startup', 'memory', 'sandbox'] as const;
type Phase = (typeof PHASES)[number];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const baselineDir = args.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
const only = new Set<Phase>(onlyArg ? onlyArg.split(',').filter((p): p is Phase => (PHASES as readonly string[]).includes(p)) : PHASES);
if ((onlyArg && only.size === 0) || args.some((a) => !/^--(quick|only=.*|baseline=.+)$/.test(a))) {
  console.error(`Usage: pnpm bench [--quick] [--only=${PHASES.join(',')}] [--baseline=<another checkout>]`);
  process.exit(2);
}
if (baselineDir && !existsSync(path.join(baselineDir, 'server', 'bin', 'baton.ts'))) {
  console.error(`--baseline: ${baselineDir} is not a Baton checkout (with its dependencies installed)`);
  process.exit(2);
}

const settings: Settings = {
  latency: { messages: quick ? 60 : 300, perConversation: 30, warmup: quick ? 10 : 30 },
  defaultWindow: { messages: quick ? 5 : 10 },
  throughput: { levels: quick ? [10, 20] : [50, 200], messagesEach: 20, sendForS: 60 },
  memory: {
    // What an idle conversation costs when every one stays cached (the worker's default memory, here the heap limit)…
    counts: quick ? [20, 100] : [20, 500, 1000],
    // …and a worker given 512 MiB (a cache of 512), past its cache with a few thousand conversations.
    boundedMemoryMiB: 512,
    boundedCounts: quick ? [200, 600] : [250, 500, 1000, 2000, 3000],
    askEvicted: quick ? 10 : 50,
    concurrency: 20,
  },
  editor: { nodes: 500, loads: quick ? 1 : 3, panMs: 3000 },
  sandbox: { workflows: quick ? 100 : 400 },
  burstWindowMs: 0,
  note: 'Headline latency and throughput use a flow with settings.burstWindowMs = 0; defaultBurstWindow uses the default (1000 ms).',
};

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Data folders of the stacks measured, removed at the end of the run. */
const scratchDirs: string[] = [];
const scratchDir = (prefix: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};

async function main(): Promise<void> {
  const began = Date.now();
  const cliPath = await findTemporalCli({ log });
  const owner = { email: 'bench@baton.local', password: randomBytes(12).toString('hex') };
  const token = randomBytes(24).toString('hex');
  const fake: FakeOpenAI = await startFakeOpenAI({
    // Answers at once, with a text derived from the question so that every reply can be matched.
    defaultReply: (request) => {
      const last = request.messages.filter((m) => m.role === 'user').at(-1);
      return { text: llmAnswer(typeof last?.content === 'string' ? last.content : '') };
    },
  });
  const env = {
    BATON_OWNER_EMAIL: owner.email,
    BATON_OWNER_PASSWORD: owner.password,
    BATON_API_TOKEN: token,
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.baseURL,
    TEMPORAL_CLI_PATH: cliPath,
  };
  const results: Results = {
    schemaVersion: 1,
    quick,
    startedAt: new Date(began).toISOString(),
    durationS: 0,
    machine: machine(cliPath),
    settings,
    baton: null,
    floor: null,
    floorActivity: null,
    ratioP50: null,
    ratioP95: null,
    ratioP99: null,
    baseline: null,
    defaultBurstWindow: null,
    breakdown: null,
    throughput: [],
    memory: [],
    startup: { coldMs: null, warmMs: null },
    editor: null,
    sandbox: null,
    failures: [],
  };
  const phase = async <T>(name: string, timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> => {
    log(`${name}…`);
    const started = Date.now();
    try {
      const value = await withTimeout(name, timeoutMs, fn);
      log(`${name}: done in ${round((Date.now() - started) / 1000, 1)} s`);
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${name}: FAILED: ${message}`);
      results.failures.push({ phase: name, message: message.slice(0, 2000) });
      return undefined;
    }
  };

  let stack: StartedStack | undefined;
  let floor: Child | undefined;
  let baseline: Child | undefined;
  const connections: Connection[] = [];
  try {
    const needsStack = only.has('latency') || only.has('throughput') || only.has('editor') || only.has('startup');
    const dataDir = scratchDir('baton-bench-');
    const port = await freePort();
    if (needsStack) {
      // The embedded stack, started by the start command: its start-up on a fresh data folder is measured too.
      stack = await phase('start-up (fresh data folder)', 180_000, () => startAndTime({ ...env, BATON_DATA_DIR: dataDir }, port, 170_000));
      if (!stack) throw new Error('the embedded stack did not start');
      results.startup.coldMs = Math.round(stack.healthyMs);
      log(`  Baton at ${stack.url}, Temporal at ${stack.temporalAddress}`);
    }

    if (stack && (only.has('latency') || only.has('throughput'))) {
      const target = batonTarget(stack.url, await createBot(stack.url, token, representativeFlow(0), { publish: true }));
      // The floor: its own process (worker and HTTP server) on the same Temporal dev server.
      floor = spawnChild('floor', process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'src', 'floor', 'server.ts')], {
        TEMPORAL_ADDRESS: stack.temporalAddress,
        PORT: '0',
        OPENAI_API_KEY: fake.apiKey,
        OPENAI_BASE_URL: fake.baseURL,
      });
      const floorUrl = (await floor.waitFor(/Floor is running at (\S+)/, 120_000))[1]!;
      const floorT = floorTarget(floorUrl);
      const floorActivityT = floorTarget(floorUrl, true);
      let baselineT: Target | undefined;
      let baselineTemporal: string | undefined;
      let baselinePid: number | undefined;
      if (baselineDir) {
        baseline = spawnBaton('start', { ...env, BATON_DATA_DIR: scratchDir('baton-bench-baseline-'), PORT: String(await freePort()) }, path.resolve(baselineDir));
        const started = await batonStarted(baseline, 180_000);
        baselineTemporal = started.temporalAddress;
        baselinePid = baseline.pid;
        baselineT = batonTarget(started.url, await createBot(started.url, token, representativeFlow(0), { publish: true }), 'baseline');
        log(`  baseline Baton (${baselineDir}) at ${started.url}`);
      }

      if (only.has('latency')) {
        const targets = [target, floorT, floorActivityT, ...(baselineT ? [baselineT] : [])];
        const run = await phase('latency (interleaved)', 420_000, (signal) => interleavedLatency(targets, settings.latency, signal));
        if (run) {
          results.baton = seriesResult(run.samples.get('baton')!);
          results.floor = seriesResult(run.samples.get('floor')!);
          results.ratioP50 = ratio(results.baton.p50Ms, results.floor.p50Ms);
          results.ratioP95 = ratio(results.baton.p95Ms, results.floor.p95Ms);
          results.ratioP99 = ratio(results.baton.p99Ms, results.floor.p99Ms);
          const withActivity = seriesResult(run.samples.get('floorActivity')!);
          results.floorActivity = { ...withActivity, ratioP50: ratio(results.baton.p50Ms, withActivity.p50Ms) };
          log(`  Baton p50 ${results.baton.p50Ms} ms, floor p50 ${results.floor.p50Ms} ms: ×${results.ratioP50}`);
          log(`  floor with one activity p50 ${withActivity.p50Ms} ms: Baton is ×${results.floorActivity.ratioP50} of it`);
          if (baselineT) {
            const series = seriesResult(run.samples.get('baseline')!);
            results.baseline = { ...series, dir: baselineDir!, ratioP50: ratio(series.p50Ms, results.floor.p50Ms) };
            log(`  baseline p50 ${series.p50Ms} ms: ×${results.baseline.ratioP50}`);
          }
          await phase('where the time goes (histories)', 120_000, async () => {
            const clientFor = async (address: string) => {
              const connection = await Connection.connect({ address });
              connections.push(connection);
              return new Client({ connection });
            };
            const client = await clientFor(stack!.temporalAddress);
            const messageId = (s: Sample) => `${s.conversation.id}-u-${s.clientMessageId}`;
            results.breakdown = {
              baton: await breakdown(client, target, run.samples.get('baton')!, messageId),
              floor: await breakdown(client, floorT, run.samples.get('floor')!, messageId),
              floorActivity: await breakdown(client, floorActivityT, run.samples.get('floorActivity')!, messageId),
              ...(baselineT && baselineTemporal ? { baseline: await breakdown(await clientFor(baselineTemporal), baselineT, run.samples.get('baseline')!, messageId) } : {}),
            };
          });
        }
        await phase('latency with the default burst window', 120_000, async (signal) => {
          const slow = batonTarget(stack!.url, await createBot(stack!.url, token, representativeFlow(undefined), { publish: true }));
          results.defaultBurstWindow = seriesResult(await sequentialMessages(slow, await slow.open(), settings.defaultWindow.messages, 'window', signal));
        });
      }

      if (only.has('throughput')) {
        for (const [level, conversations] of settings.throughput.levels.entries()) {
          // The floor under the same load first (a few seconds): what the dev server itself sustains.
          const runs: [Target, Record<string, number | undefined>][] = [
            [floorT, { floor: floor.pid, temporal: stack.temporalPid }],
            [target, { baton: stack.batonPid, temporal: stack.temporalPid }],
          ];
          // The baseline at the first level only: the comparison, without doubling the run time.
          if (baselineT && level === 0) runs.push([baselineT, { baseline: baselinePid, temporal: baselinePid === undefined ? undefined : childPids(baselinePid)[0] }]);
          for (const [t, pids] of runs) {
            const result = await phase(`throughput, ${t.name} (${conversations} conversations × ${settings.throughput.messagesEach} messages)`, (settings.throughput.sendForS + 120) * 1000, (signal) =>
              throughput(t, conversations, settings.throughput.messagesEach, settings.throughput.sendForS * 1000, pids, signal),
            );
            if (!result) continue;
            results.throughput.push(result);
            log(`  ${result.messagesPerSecond} messages/s, p50 ${result.latency.p50Ms} ms, errors ${result.errors}, lost ${result.lostReplies}, duplicated ${result.duplicateReplies}, CPU (cores) ${JSON.stringify(result.cpuCores)}`);
            // Baton must answer every message exactly once; the floor's figures are for comparison only.
            if (t.name !== 'floor' && (result.errors || result.lostReplies || result.duplicateReplies)) {
              results.failures.push({
                phase: `throughput, ${t.name}, ${conversations} conversations`,
                message: `${result.errors} errors, ${result.lostReplies} lost and ${result.duplicateReplies} duplicate replies (all must be 0)${result.firstError ? `; first error: ${result.firstError}` : ''}`,
              });
            }
          }
          fake.requests.length = 0;
        }
      }
      await floor.stop();
      floor = undefined;
      await baseline?.stop();
      baseline = undefined;
    }

    if (stack && only.has('editor')) {
      results.editor = (await phase('editor (bundle, first render, panning)', 180_000, () => editor(stack!.url, token, owner, settings.editor))) ?? null;
    }

    if (stack) {
      await stack.child.stop();
      stack = undefined;
      if (only.has('startup')) {
        // Again on the same data folder: what a restart costs.
        const again = await phase('start-up (restart, same data folder)', 180_000, () => startAndTime({ ...env, BATON_DATA_DIR: dataDir }, port, 170_000));
        if (again) {
          results.startup.warmMs = Math.round(again.healthyMs);
          await again.child.stop();
        }
      }
    }

    if (only.has('memory')) {
      const runs = [
        { label: 'the worker’s default memory', counts: settings.memory.counts },
        {
          label: `BATON_WORKER_MEMORY_MB=${settings.memory.boundedMemoryMiB}`,
          counts: settings.memory.boundedCounts,
          workerEnv: { BATON_WORKER_MEMORY_MB: String(settings.memory.boundedMemoryMiB) },
          askEvicted: settings.memory.askEvicted,
        },
      ];
      for (const run of runs) {
        const result = await phase(`memory (api and worker processes, idle conversations, ${run.label})`, 900_000, (signal) =>
          memory({ cliPath, concurrency: settings.memory.concurrency, env, token, ...run }, log, signal),
        );
        if (!result) continue;
        results.memory.push(result);
        if (result.errors) {
          results.failures.push({ phase: `memory (${run.label})`, message: `${result.errors} conversations could not be opened and answered; first error: ${result.firstError ?? '?'}` });
        }
        if (result.evicted && result.evicted.answered !== result.evicted.asked) {
          results.failures.push({ phase: `memory (${run.label})`, message: `${result.evicted.asked - result.evicted.answered} evicted conversations did not answer right` });
        }
      }
    }

    if (only.has('sandbox')) {
      results.sandbox = (await phase('workflow sandbox memory by bundle (bare, zod, node language)', 600_000, () => sandbox(cliPath, settings.sandbox.workflows))) ?? null;
    }
  } finally {
    for (const connection of connections) await connection.close().catch(() => undefined);
    await floor?.stop();
    await baseline?.stop();
    await stack?.child.stop();
    await fake.close();
    killAll();
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  }

  results.durationS = Math.round((Date.now() - began) / 1000);
  const markdown = markdownReport(results);
  process.stdout.write(`\n${markdown}\n`);
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  // A partial, quick or baseline run does not replace the latest full figures.
  const name = quick || onlyArg || baselineDir ? `partial-${results.startedAt.replace(/[:.]/g, '-')}` : 'latest';
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(dir, `${name}.md`), markdown);
  log(`results written to bench/results/${name}.json and ${name}.md (${results.durationS} s)`);
  if (results.failures.length) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.once('exit', killAll);

main().catch((error: unknown) => {
  console.error(error);
  killAll();
  process.exit(1);
});
