// The engine's testing kit (`@baton/engine/testing`, Node only): run a flow that uses your nodes on
// the real engine. Unit tests of one node's step or activity need only `@baton/nodes/testing`.
export { runTranscript } from './run-transcript.js';
export type { TranscriptOptions, TranscriptResult, TranscriptRun, TranscriptState, TranscriptStep } from './run-transcript.js';
export { MemoryStore } from './memory-store.js';
export type { StoredMessage } from './memory-store.js';
