import type { AnyNodeDefinition } from '@baton/nodes';

/**
 * Node definitions from configured node packages that have their own deterministic `step`. The
 * worker replaces this module when it bundles the workflows (see `bundleConversationWorkflows`);
 * as it stands, there are none. Activity-only nodes never need to be here.
 */
export const customNodes: readonly AnyNodeDefinition[] = [];
