import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export interface FindTemporalCliOptions {
  /** Build it with `go install` when it is found nowhere (default true). */
  install?: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Where `go install` puts the CLI: a cache shared by every checkout on the machine. */
export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env['XDG_CACHE_HOME'] || path.join(homedir(), '.cache');
  return path.join(cacheHome, 'baton', `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the Temporal CLI, in this order: `TEMPORAL_CLI_PATH`, `temporal` on the PATH, the cached
 * build, and finally `go install` of v1.5.1 into the cache (a few minutes, with progress). Nothing
 * is downloaded from temporal.io: build machines only reach package registries.
 */
export async function findTemporalCli(options: FindTemporalCliOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const explicit = env['TEMPORAL_CLI_PATH'];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH is set to ${explicit}, which is not an executable file`);
    return explicit;
  }
  const fromPath = onPath(env);
  if (fromPath) return fromPath;
  const cached = cachedCliPath(env);
  if (isExecutable(cached)) return cached;
  if (options.install === false) {
    throw new Error(`The Temporal CLI was not found (TEMPORAL_CLI_PATH, PATH, ${cached}); run \`pnpm temporal:cli\` to build it`);
  }
  await goInstall(cached, env, log);
  return cached;
}

async function goInstall(target: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const go = spawnSync('go', ['version'], { env, encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'The Temporal CLI is not installed and Go is not available to build it. Install Go 1.25 or newer (https://go.dev/dl/), ' +
        'or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use an existing Temporal cluster.',
    );
  }
  const binDir = path.dirname(target);
  mkdirSync(binDir, { recursive: true });
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go.stdout.trim()} (first run only; it takes a few minutes)…`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'go',
      ['install', '-v', '-ldflags', `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, GO_PACKAGE],
      { env: { ...env, GOBIN: binDir, CGO_ENABLED: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let packages = 0;
    let lastReport = Date.now();
    const tail: string[] = [];
    const onLine = (line: string): void => {
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (line.startsWith('go: downloading')) return;
      packages++;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        log(`  … ${packages} packages compiled (${Math.round((Date.now() - started) / 1000)} s), now ${line.trim()}`);
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && existsSync(target)) resolve();
      else reject(new Error(`go install ${GO_PACKAGE} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}
