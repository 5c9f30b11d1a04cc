// The sandbox benchmark's bundle with Baton's node language: zod, every built-in node definition
// and the registry, which is what the conversation workflow's bundle evaluates.
import { builtinNodes, createRegistry } from '@baton/nodes';
import { condition } from '@temporalio/workflow';

export async function idle(): Promise<void> {
  if (createRegistry([...builtinNodes]).all().length === 0) throw new Error('no node types');
  await condition(() => false);
}
