// The sandbox benchmark's baseline bundle: a workflow that imports nothing but the SDK.
import { condition } from '@temporalio/workflow';

export async function idle(): Promise<void> {
  await condition(() => false);
}
