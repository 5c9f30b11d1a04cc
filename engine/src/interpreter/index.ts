// The pure core of a conversation: no Temporal, no I/O, no clock, no schema library. The workflow
// is a thin shell around `reduce`; `advance` runs the flow, `handoffStep` the handoff to people.
export {
  assigneeOf,
  initialConversation,
  MAX_BURST_WINDOWS,
  MAX_USER_TEXT,
  reduce,
  SEEN_IDS_LIMIT,
  snapshotOf,
  statusOf,
  wakeAt,
} from './conversation.js';
export type {
  Conversation,
  ConversationCommand,
  ConversationEvent,
  ConversationSnapshot,
  ConversationStatus,
  GatewayAnswer,
  InboundMessage,
  Owner,
  ProjectionRecord,
  Reduction,
  ReplyMessage,
  TurnReply,
} from './conversation.js';
export { advance, FALLBACK_HANDOFF, LOCAL_CALL_MAX_SECONDS, MAX_STEPS_PER_ADVANCE, REQUESTED_HANDOFF } from './advance.js';
export { prepareProgram } from './program.js';
export type { Program, ProgramNode, StepTable } from './program.js';
export { appendHistory, botMessageId, initialFlowState, HISTORY_LIMIT, HISTORY_TEXT_LIMIT } from './conversation-state.js';
export type {
  ActivityCall,
  AdvanceResult,
  ConversationRef,
  Cursor,
  EndReason,
  EngineEvent,
  FlowState,
  InitialUser,
  NodeFailure,
  OutboundMessage,
  Waiting,
} from './conversation-state.js';
export { EMAIL_ATTEMPTS, handoffDeadline, handoffStep, handoffTexts, humansAnswer } from './handoff.js';
export type { HandoffCommand, HandoffEvent, HandoffProgress, HandoffStart, HandoffStepResult } from './handoff.js';
