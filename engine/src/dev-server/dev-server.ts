import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  cliPath: string;
  /** SQLite file that keeps workflows across restarts; in memory when absent. */
  dbFile?: string;
  /** gRPC port; a free one when absent. */
  port?: number;
  namespace?: string;
  /** `--dynamic-config-value` entries, e.g. `{ 'limit.historyCount.suggestContinueAsNew': 150 }`. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** `--sqlite-pragma` entries for the database file, e.g. `{ journal_mode: 'wal' }`. */
  sqlitePragmas?: Record<string, string>;
  /** Serve the Temporal Web UI on this port (off by default). */
  uiPort?: number;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (another process could take it before we bind: retried by the caller). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `temporal server start-dev` bound to 127.0.0.1 and resolves once it answers health
 * checks. The child is killed when this process exits.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn', '--log-format', 'pretty'];
  args.push('--namespace', options.namespace ?? 'default');
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    for (const [key, value] of Object.entries(options.sqlitePragmas ?? {})) args.push('--sqlite-pragma', `${key}=${value}`);
  }
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.log?.(line);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const address = `127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`the Temporal dev server exited early (${signal ?? code}):\n${output.join('\n')}`)),
    ),
  );
  exited.catch(() => undefined);
  await Promise.race([waitUntilHealthy(address, options.startTimeoutMs ?? 60_000), exited]);

  return {
    address,
    port,
    child,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

async function waitUntilHealthy(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const health = await connection.healthService.check({});
        if (health.status === 1) return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Temporal dev server at ${address} did not become healthy in ${timeoutMs} ms: ${String(lastError)}`);
}
