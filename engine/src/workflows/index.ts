// The worker's workflowsPath: workflow functions only. Every version that may still have
// running conversations stays registered.
export { conversationWorkflowV2 } from './conversation.workflow.js';
export { conversationWorkflow } from './conversation.v1.workflow.js';
