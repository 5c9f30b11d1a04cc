// The package's root entry. The server (validation, the editor's palette) and the worker import
// it, and a node with its own step is bundled into the workflow from here: zod and @baton/nodes
// only, never the activity.
import { __CAMEL__Node } from './__KEBAB__.node.js';

export { __CAMEL__Node };

/** Every definition of this package. Keep older versions listed: conversations started on them finish on them. */
export const nodes = [__CAMEL__Node];
