// The worker's workflowsPath: workflow functions only.
export { conversationWorkflow } from './conversation.workflow.js';
