import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './processes.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string;
  temporalSdk: string;
  gitCommit: string;
  /** Load average when the run started (other work on the machine skews the figures). */
  loadAverage: number[];
}

const run = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return 'unknown';
  }
};

export function machine(temporalCliPath: string): Machine {
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) osName = `${pretty} (${os.type()} ${os.release()})`;
  } catch {
    // not Linux: keep the kernel name
  }
  let sdk = 'unknown';
  try {
    const pkg = path.join(repoRoot, 'engine', 'node_modules', '@temporalio', 'worker', 'package.json');
    sdk = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    // left unknown
  }
  const dirty = run('git', ['status', '--porcelain']) ? ' (with local changes)' : '';
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName,
    node: process.version,
    temporalCli: run(temporalCliPath, ['--version']).replace(/^temporal version /, ''),
    temporalSdk: sdk,
    gitCommit: run('git', ['rev-parse', '--short', 'HEAD']) + dirty,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
