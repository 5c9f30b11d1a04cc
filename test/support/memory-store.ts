// The in-memory store moved to the engine's testing kit, where node authors' transcript tests use it too.
export { MemoryStore } from '@baton/engine/testing';
export type { StoredMessage } from '@baton/engine/testing';
