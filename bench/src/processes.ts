import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A child process of the benchmark, with its output kept for error messages. */
export interface Child {
  name: string;
  child: ChildProcess;
  pid: number;
  output: string[];
  /** Resolves with the first match of `pattern` in the output (or rejects after `timeoutMs` / on exit). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGINT, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

const running = new Set<Child>();

/** Kills whatever the benchmark started and is still running (on a crash or Ctrl-C). */
export function killAll(): void {
  for (const c of running) {
    if (c.child.exitCode === null && c.child.signalCode === null) {
      try {
        // Own process group (detached): the stack's Temporal dev server goes with it.
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        c.child.kill('SIGKILL');
      }
    }
  }
  running.clear();
}

export function spawnChild(name: string, command: string, args: string[], env: Record<string, string>, cwd = repoRoot): Child {
  // Detached: its own process group, so that a forced stop takes its children (the Temporal
  // dev server of an embedded stack) with it; a normal stop is a SIGINT to the process alone.
  // Baton reads its settings from the environment: none of the caller's may leak into a measured stack.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(BATON_|TEMPORAL_|OPENAI_|PORT$)/.test(key)));
  const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const output: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 400) output.shift();
      for (const l of listeners) l(line);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const handle: Child = {
    name,
    child,
    pid: child.pid,
    output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        for (const line of output) {
          const m = pattern.exec(line);
          if (m) return resolve(m);
        }
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('exit', onExit);
        };
        const listener = (line: string) => {
          const m = pattern.exec(line);
          if (m) {
            cleanup();
            resolve(m);
          }
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`${name} exited (${code}) before printing ${pattern}:\n${output.slice(-40).join('\n')}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-40).join('\n')}`));
        }, timeoutMs);
        listeners.add(listener);
        child.once('exit', onExit);
      });
    },
    stop(graceMs = 20_000) {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          running.delete(handle);
          return resolve(child.exitCode);
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, graceMs);
        child.once('exit', (code) => {
          clearTimeout(timer);
          running.delete(handle);
          resolve(code);
        });
        child.kill('SIGINT');
      });
    },
  };
  running.add(handle);
  return handle;
}

/** `node --import tsx server/bin/baton.ts <command>`: the process `pnpm start` runs, without the wrapper. */
export function spawnBaton(command: 'start' | 'api' | 'worker', env: Record<string, string>, root = repoRoot): Child {
  return spawnChild(`baton ${command}${root === repoRoot ? '' : ` (${root})`}`, process.execPath, ['--import', 'tsx', path.join(root, 'server', 'bin', 'baton.ts'), command], { BATON_HOST: '127.0.0.1', ...env }, root);
}

/** `node scripts/start.mjs`: the start command itself (`pnpm start`). */
export function spawnStartCommand(env: Record<string, string>): Child {
  return spawnChild('pnpm start', process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs')], { BATON_HOST: '127.0.0.1', ...env });
}

/** Parses Baton's start line: `Baton is running at <url> {"temporal":"127.0.0.1:NNNN",...}`. */
export async function batonStarted(child: Child, timeoutMs: number): Promise<{ url: string; temporalAddress: string }> {
  const match = await child.waitFor(/Baton is running at (\S+).*"temporal":"([^"]+)"/, timeoutMs);
  return { url: match[1]!, temporalAddress: match[2]! };
}

/** Resident set size of a process in bytes (Linux `/proc`), `undefined` when it cannot be read. */
export function rssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of a process (Linux `/proc`), e.g. the embedded stack's Temporal dev server. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn` with a deadline: rejects with a clear message when `ms` pass first. */
export async function withTimeout<T>(what: string, ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** CPU time (user + system) a process has used so far, in seconds (Linux `/proc`), `NaN` when unknown. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at index 2 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ: 100 on every Linux kernel configuration in use. */
const CLOCK_TICKS = 100;

/** CPU used by the given processes between `start()` and `stop()`, as a share of one core. */
export function cpuMeter(pids: Record<string, number | undefined>): { stop(): Record<string, number> } {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? cpuSeconds(pid) : Number.NaN]));
  const self = process.cpuUsage();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const out: Record<string, number> = {};
      for (const [k, pid] of Object.entries(pids)) out[k] = Math.round(((pid ? cpuSeconds(pid) : Number.NaN) - before[k]!) / seconds * 100) / 100;
      const used = process.cpuUsage(self);
      out['bench'] = Math.round(((used.user + used.system) / 1e6 / seconds) * 100) / 100;
      return out;
    },
  };
}
