// The sandbox benchmark's bundle with zod and one small schema, as a workflow validating its input would.
import { condition } from '@temporalio/workflow';
import { z } from 'zod';

const message = z.object({ id: z.string(), text: z.string() });

export async function idle(): Promise<void> {
  if (!message.safeParse({ id: 'm1', text: 'hello' }).success) throw new Error('the schema refused a valid message');
  await condition(() => false);
}
