// `pnpm temporal:cli`: finds or builds the Temporal CLI and prints its path.
import { findTemporalCli } from './find-temporal-cli.js';

try {
  console.log(await findTemporalCli());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
