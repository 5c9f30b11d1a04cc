export { findTemporalCli, cachedCliPath, TEMPORAL_CLI_VERSION } from './find-temporal-cli.js';
export type { FindTemporalCliOptions } from './find-temporal-cli.js';
export { startDevServer, freePort } from './dev-server.js';
export type { DevServer, DevServerOptions } from './dev-server.js';
