// The Node-only entry: activity halves of nodes. Never import it from the editor or from
// workflow code.
export { implementActivity } from './sdk/implement-activity.js';
export type { NodeActivity } from './sdk/implement-activity.js';
export * from './builtin/activities.js';
