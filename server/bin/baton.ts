// The Baton process: `start` (everything in one process: the default), `api` or `worker`.
import { createLogger } from '../src/log.js';
import { loadConfig } from '../src/config.js';
import { startStack } from '../src/runtime/stack.js';

const usage = `Usage: baton [start | api | worker]
  start   the HTTP API, a worker and (unless TEMPORAL_ADDRESS is set) a Temporal dev server
  api     only the HTTP API (needs TEMPORAL_ADDRESS)
  worker  only a conversation worker (needs TEMPORAL_ADDRESS)`;

const command = process.argv[2] ?? 'start';
if (!['start', 'api', 'worker'].includes(command)) {
  console.error(usage);
  process.exit(2);
}

const log = createLogger();
let config;
try {
  config = loadConfig();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}

try {
  const stack = await startStack(config, { api: command !== 'worker', worker: command !== 'api', log });
  if (stack.url) log.info(`Baton is running at ${stack.url}`, { temporal: stack.temporalAddress, data: config.dataDir });
  else log.info('Baton worker is running', { temporal: stack.temporalAddress });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('could not stop cleanly', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  log.error('Baton could not start', error);
  process.exit(1);
}
