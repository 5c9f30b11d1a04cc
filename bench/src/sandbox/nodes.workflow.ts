// The sandbox benchmark's bundle with the node declarations: zod, every built-in node definition
// and the registry (what the conversation workflow's bundle evaluated before steps left them).
import { builtinNodes, createRegistry } from '@baton/nodes';
import { condition } from '@temporalio/workflow';

export async function idle(): Promise<void> {
  if (createRegistry([...builtinNodes]).all().length === 0) throw new Error('no node types');
  await condition(() => false);
}
