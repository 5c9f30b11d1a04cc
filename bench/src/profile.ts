// `pnpm bench:profile`: where Baton's CPU goes under load. Starts the embedded stack with
// `node --cpu-prof` (every thread: the main thread and the workflow thread), runs the throughput
// load (50 conversations × 20 messages), stops it, and prints the heaviest functions of each
// thread by self time, grouped by where their code lives. The profiler slows the app down: read
// shares, not absolute times. Profiles stay in the printed folder for Chrome's DevTools.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findTemporalCli, freePort } from '@baton/engine/dev-server';
import { startFakeOpenAI } from '../../test/fakes/openai/fake-openai.js';
import { createBot } from './api.js';
import { llmAnswer, representativeFlow } from './flows.js';
import { throughput } from './phases/throughput.js';
import { batonStarted, killAll, repoRoot, spawnChild } from './processes.js';
import { batonTarget } from './targets.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

const CONVERSATIONS = Number(process.env['PROFILE_CONVERSATIONS'] ?? 50);
const MESSAGES = 20;

/** Where a function's code lives, coarse enough to read a profile at a glance. */
function area(url: string, name: string): string {
  if (name === '(garbage collector)' || name === '(idle)' || name === '(program)') return name;
  if (url.includes('/@temporalio/')) return `temporal sdk (${/@temporalio\/([^/]+)/.exec(url)?.[1] ?? '?'})`;
  if (/workflow-bundle|baton-conversations|webpack/.test(url)) return 'workflow bundle';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/(nodes|engine|server)\/src\/([^/]+)/.exec(url);
  if (own) return `baton ${own[1]}/${own[2]}`;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url.replace(repoRoot, '');
}

function summarize(file: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const idle = [...hits].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((sum, [, n]) => sum + n, 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, count] of hits) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const where = area(url, functionName);
    areas.set(where, (areas.get(where) ?? 0) + count);
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + count);
  }
  const busy = total - idle;
  const pct = (n: number) => `${((100 * n) / Math.max(1, busy)).toFixed(1)}%`;
  const lines = [`${path.basename(file)}: busy ${((100 * busy) / Math.max(1, total)).toFixed(0)}% of ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`];
  lines.push('  by area (share of busy time):');
  for (const [where, n] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 14)) lines.push(`    ${pct(n).padStart(6)}  ${where}`);
  lines.push('  heaviest functions (self time):');
  for (const [key, n] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`    ${pct(n).padStart(6)}  ${key}`);
  return lines.join('\n');
}

const profileDir = mkdtempSync(path.join(tmpdir(), 'baton-profile-'));
const token = randomBytes(24).toString('hex');
const fake = await startFakeOpenAI({
  defaultReply: (request) => {
    const last = request.messages.filter((m) => m.role === 'user').at(-1);
    return { text: llmAnswer(typeof last?.content === 'string' ? last.content : '') };
  },
});
const baton = spawnChild(
  'baton (profiled)',
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', path.join(repoRoot, 'server', 'bin', 'baton.ts'), 'start'],
  {
    BATON_HOST: '127.0.0.1',
    PORT: String(await freePort()),
    BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'baton-profile-data-')),
    BATON_API_TOKEN: token,
    BATON_OWNER_PASSWORD: randomBytes(12).toString('hex'),
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.baseURL,
    TEMPORAL_CLI_PATH: await findTemporalCli(),
  },
);
try {
  const { url } = await batonStarted(baton, 180_000);
  const target = batonTarget(url, await createBot(url, token, representativeFlow(0), { publish: true }));
  const result = await throughput(target, CONVERSATIONS, MESSAGES, 60_000, { baton: baton.pid }, new AbortController().signal);
  process.stderr.write(`[profile] ${result.messages} messages, ${result.messagesPerSecond} msg/s under the profiler, errors ${result.errors}\n`);
} finally {
  // A clean stop writes the profiles.
  await baton.stop();
  await fake.close();
  killAll();
}
const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
for (const file of files) process.stdout.write(`\n${summarize(path.join(profileDir, file))}\n`);
process.stdout.write(`\nprofiles: ${profileDir}\n`);
