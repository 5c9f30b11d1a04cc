import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface BatonProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  /** Ctrl-C, as a user would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `baton start` (server/bin/baton.ts) as its own process, the way `npm start` does, and
 * resolves once it prints its URL.
 */
export async function startBaton(env: Record<string, string>, options: { command?: 'start' | 'api' | 'worker'; timeoutMs?: number } = {}): Promise<BatonProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'bin', 'baton.ts'), options.command ?? 'start'], {
    cwd: root,
    env: { ...process.env, BATON_HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baton did not start in time:\n${output.join('\n')}`)), options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        output.push(line);
        const match = /Baton is running at (\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baton exited with ${code} before starting:\n${output.join('\n')}`));
    });
  });
  return {
    url,
    child,
    output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

/** A small JSON client for the public HTTP API. */
export function apiClient(baseUrl: string) {
  let cookie = '';
  const call = async (method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(new URL(pathname, baseUrl), {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };
  return {
    call,
    login: (email: string, password: string) => call('POST', '/api/auth/login', { email, password }),
  };
}
