import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';

/** The dev server started by the global setup. */
export function temporalAddress(): string {
  const address = process.env['BATON_TEST_TEMPORAL_ADDRESS'];
  if (!address) throw new Error('BATON_TEST_TEMPORAL_ADDRESS is not set: run the tests with `pnpm test` (its global setup starts Temporal)');
  return address;
}

/** The workflow bundle built once by the global setup. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env['BATON_TEST_WORKFLOW_BUNDLE'];
  if (!codePath) throw new Error('BATON_TEST_WORKFLOW_BUNDLE is not set: run the tests with `pnpm test`');
  return { codePath };
}

export interface TemporalConnections {
  client: Client;
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export async function connectTemporal(): Promise<TemporalConnections> {
  if (!runtimeInstalled) {
    // Worker lifecycle chatter drowns test output; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const address = temporalAddress();
  const [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
  return {
    client: new Client({ connection }),
    nativeConnection,
    async close() {
      await Promise.all([connection.close(), nativeConnection.close()]);
    },
  };
}

/** Files share one server: each test gets its own task queue and ids. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
