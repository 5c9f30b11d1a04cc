// The pure interpreter: no Temporal, no I/O. The workflow is a thin shell around it.
export { advance, FALLBACK_HANDOFF, MAX_STEPS_PER_ADVANCE } from './advance.js';
export { compileFlow } from './compile-flow.js';
export type { CompiledFlow, CompiledNode } from './compile-flow.js';
export { appendHistory, initialState, HISTORY_LIMIT, HISTORY_TEXT_LIMIT } from './conversation-state.js';
export type {
  ActivityCall,
  AdvanceResult,
  ConversationRef,
  ConversationState,
  Cursor,
  EndReason,
  EngineEvent,
  InitialUser,
  NodeFailure,
  OutboundMessage,
  Waiting,
} from './conversation-state.js';
export { REQUESTED_HANDOFF } from './advance.js';
export type { AdvanceOptions } from './advance.js';
export { EMAIL_ATTEMPTS, handoffDeadline, handoffStep, handoffTexts, humansAnswer } from './handoff.js';
export type { HandoffCommand, HandoffEvent, HandoffProgress, HandoffStart, HandoffStepResult } from './handoff.js';
