// The package's root entry: node definitions only (the editor, the server and the workflow load
// it). Baton reads `nodes`; keep every version you ever published in it, so running
// conversations keep theirs.
import { orderStatusV1, orderStatusV2 } from './order-status.node.js';

export { orderStatusV1, orderStatusV2 };
export const nodes = [orderStatusV1, orderStatusV2];
